package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkDir holds the inputs of the kql check goldens.
var checkDir = filepath.Join("testdata", "check")

// TestCheckGolden compares `kql check` runs with testdata/golden/check_*.txt:
// one case per kind of finding, all kinds at once, both formats, a Sentinel
// rule, schemas from files and from data, and the usage errors.
func TestCheckGolden(t *testing.T) {
	in := func(name string) string { return filepath.Join(checkDir, name) }
	cases := []struct {
		name string
		args []string
	}{
		{"check_clean", []string{"check", in("clean.kql")}},
		{"check_syntax", []string{"check", in("syntax.kql")}},
		{"check_names", []string{"check", in("names.kql")}},
		{"check_types", []string{"check", in("types.kql")}},
		{"check_unsupported", []string{"check", in("unsupported.kql")}},
		{"check_all", []string{"check", in("all.kql")}},
		{"check_all_json", []string{"check", "--format", "json", in("all.kql"), in("clean.kql")}},
		{"check_rule_yaml", []string{"check", in("rule.yaml")}},
		{"check_rule_syntax_yaml", []string{"check", in("rule_syntax.yaml")}},
		{"check_dir", []string{"check", in("dir")}},
		{"check_schema_dir", []string{"check", "--schema", filepath.Join("testdata", "schemas"),
			"-q", "Events | where Usr == 'a' | summarize sum(Bytes) by bin(Time, 1h)"}},
		{"check_table_data", []string{"check", "-t", "Users=" + filepath.Join("testdata", "data", "Users.csv"),
			"-q", "Users | join kind=inner (IdentityInfo) on $left.User == $right.AccountName | where Dept == now()"}},
		{"check_data_dir", []string{"check", "-d", filepath.Join("testdata", "data"),
			"-q", "Events | where Userr == 'a' | lookup (Users) on User"}},
		{"check_usage_format", []string{"check", "--format", "xml", in("clean.kql")}},
		{"check_usage_no_path", []string{"check"}},
		{"check_missing_file", []string{"check", in("nope.kql")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c.name, runCLI(t, "", c.args...))
		})
	}
}

func TestCheckExitStatus(t *testing.T) {
	assert.Equal(t, exitOK, runCLI(t, "", "check", filepath.Join(checkDir, "clean.kql")).code)
	assert.Equal(t, exitFailure, runCLI(t, "", "check", filepath.Join(checkDir, "types.kql")).code)
	assert.Equal(t, exitUsage, runCLI(t, "", "check", "--format", "xml", "x.kql").code)
	res := runCLI(t, "AIAgentsInfo | take 1", "check", "-")
	assert.Equal(t, exitOK, res.code, res.stderr)
}

// TestCheckJSONShape decodes --format json: one object per file and line,
// with the fields and kinds the README documents.
func TestCheckJSONShape(t *testing.T) {
	res := runCLI(t, "", "check", "--format", "json", filepath.Join(checkDir, "all.kql"), filepath.Join(checkDir, "clean.kql"))
	require.Equal(t, exitFailure, res.code)
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	require.Len(t, lines, 2)
	kinds := map[string]int{}
	for _, l := range lines {
		var rep fileReport
		require.NoError(t, json.Unmarshal([]byte(l), &rep))
		for _, f := range rep.Findings {
			kinds[f.Kind]++
			assert.Equal(t, "error", f.Severity)
			assert.Positive(t, f.Line)
			assert.Positive(t, f.Col)
		}
	}
	assert.Equal(t, map[string]int{"syntax": 1, "name": 2, "type": 1, "unsupported": 2}, kinds)
	assert.Empty(t, res.stderr)
}

// TestCheckCapsFindingsPerFile checks that a file with many findings prints
// the first maxFindingsPerFile and a note of the rest.
func TestCheckCapsFindingsPerFile(t *testing.T) {
	var q strings.Builder
	for i := 0; i < 30; i++ {
		q.WriteString("IdentityInfo | take 1 | evaluate autocluster();\n")
	}
	res := runCLI(t, q.String(), "check", "-")
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	require.Len(t, lines, maxFindingsPerFile+1)
	assert.Equal(t, "<stdin>:1:25: error: evaluate plugin 'autocluster' is not supported yet", lines[0])
	assert.Equal(t, "<stdin>: note: 10 more findings not shown", lines[maxFindingsPerFile])
}

// TestCheckSentinelCorpus checks the corpus's AI-agent rules, which the
// engine runs, against the sample schemas: no findings, in well under the
// seconds the issue allows.
func TestCheckSentinelCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "sentinel-ai-agents")
	if !isDir(dir) {
		t.Skip("../shared/corpus is absent; skipping the corpus check")
	}
	start := time.Now()
	res := runCLI(t, "", "check", dir)
	assert.Equal(t, exitOK, res.code, res.stdout)
	assert.Empty(t, res.stdout)
	assert.Less(t, time.Since(start), 5*time.Second)
}
