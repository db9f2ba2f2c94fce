package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/cmd/kql/internal/kqltest"
)

// projectCases is where the project's own query test cases live.
var projectCases = filepath.Join("..", "..", "testdata", "kqltest")

// summaryLine is the last line of every kql test report.
var summaryLine = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed\n\z`)

// TestProjectCases runs the project's own *.kqltest.yaml cases (the
// flagship over the sample and over its edge fixtures, other AI Agents
// queries, the README example) through `kql test`, as CI would.
func TestProjectCases(t *testing.T) {
	res := runCLI(t, "", "test", projectCases)
	require.Equal(t, 0, res.code, res.stdout+res.stderr)
	m := summaryLine.FindStringSubmatch(res.stdout)
	require.NotNil(t, m, res.stdout)
	assert.Equal(t, "0", m[2])
	assert.GreaterOrEqual(t, len(regexp.MustCompile(`(?m)^PASS `).FindAllString(res.stdout, -1)), 13)
	assert.Contains(t, res.stdout, "PASS  flagship over the sample (")
	assert.Contains(t, res.stdout, "PASS  flagship over the edge fixtures (nested form) (")
	assert.Empty(t, res.stderr)
}

// TestFlagshipCasesMatchWant checks that the flagship cases expect exactly
// the rows of the project's reference results, so that an --update run
// cannot quietly move them away.
func TestFlagshipCasesMatchWant(t *testing.T) {
	for _, tc := range []struct{ cases, want string }{
		{"flagship-sample.kqltest.yaml", "../../tables/sample/flagship-want.json"},
		{"flagship-fixtures.kqltest.yaml", "../../testdata/flagship/want.json"},
	} {
		f, err := kqltest.ReadFile(filepath.Join(projectCases, tc.cases))
		require.NoError(t, err)
		data, err := os.ReadFile(tc.want)
		require.NoError(t, err)
		var want []map[string]any
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&want))
		for _, c := range f.Cases {
			require.NoError(t, c.Err)
			got := make([]map[string]any, len(c.Expect.Rows))
			for i, r := range c.Expect.Rows {
				got[i] = r.Cells
			}
			assert.Equal(t, want, got, c.Name)
		}
	}
}

// TestTestCommandFailure runs a failing case: exit status 1, the diff names
// the cell, and the JUnit report is written.
func TestTestCommandFailure(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.kqltest.yaml", `name: counts by user
tables:
  T: [{User: a, N: 1}, {User: b, N: 2}]
query: T | summarize N = sum(N) by User
expect:
  rows:
    - {User: a, N: 1}
    - {User: b, N: 3}
`)
	junit := filepath.Join(dir, "out.xml")
	res := runCLI(t, "", "test", "--junit", junit, dir)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stdout, "FAIL  counts by user (")
	assert.Contains(t, res.stdout, "      ~ {\"User\": \"b\", …}\n          N: 3 → 2\n")
	assert.True(t, strings.HasSuffix(res.stdout, "\n0 passed, 1 failed\n"), res.stdout)
	xml, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Contains(t, string(xml), `<failure message="rows differ: 1 changed" type="FAIL">`)

	res = runCLI(t, "", "test", "--update", dir)
	assert.Equal(t, 0, res.code, res.stdout)
	assert.Contains(t, res.stdout, "updated "+filepath.Join(dir, "a.kqltest.yaml")+" (1 case)\n")
	res = runCLI(t, "", "test", dir)
	assert.Equal(t, 0, res.code, res.stdout)
	assert.True(t, strings.HasSuffix(res.stdout, "\n1 passed, 0 failed\n"), res.stdout)
}

// TestTestCommandErrors checks the command-line problems: a bad --run is a
// usage error (2), a missing path a failure (1).
func TestTestCommandErrors(t *testing.T) {
	res := runCLI(t, "", "test", "--run", "(", projectCases)
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "kql: --run: error parsing regexp")

	res = runCLI(t, "", "test", "no/such/dir")
	assert.Equal(t, 1, res.code)
	assert.Equal(t, "kql: no/such/dir: no such file or directory\n", res.stderr)

	res = runCLI(t, "", "test", t.TempDir())
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "kql: no *.kqltest.yaml files found under ")
}

// TestReadmeExample checks that the README's example case is the one the
// project runs (testdata/kqltest/readme-example.kqltest.yaml), once the
// README has the "Testing your queries" section.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil || !strings.Contains(string(readme), "## Testing your queries") {
		t.Skip("README.md has no \"Testing your queries\" section yet")
	}
	example, err := os.ReadFile(filepath.Join(projectCases, "readme-example.kqltest.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "```yaml\n"+string(example)+"```\n")
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

// TestReadmeTestTranscripts runs the README's example case as its reader
// would, saved as tests/external-mail.kqltest.yaml, and checks that kql
// test prints what the README shows: the passing run, and the failing one
// after one expected cell is changed.
func TestReadmeTestTranscripts(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	example, err := os.ReadFile(filepath.Join(projectCases, "readme-example.kqltest.yaml"))
	require.NoError(t, err)
	block := func(start string) string {
		text := string(readme)
		i := strings.Index(text, "```\n"+start)
		require.GreaterOrEqual(t, i, 0, "README has no block starting %q", start)
		text = text[i+4:]
		return text[:strings.Index(text, "```")]
	}
	times := regexp.MustCompile(`\(\d+\.\d\ds\)`)

	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "tests"), 0o755))
	writeFile(t, dir, "tests/external-mail.kqltest.yaml", string(example))
	t.Chdir(dir)
	res := runCLI(t, "", "test", "tests/")
	assert.Equal(t, 0, res.code, res.stdout+res.stderr)
	assert.Equal(t, times.ReplaceAllString(block("$ kql test tests/\n"), "(T)"),
		"$ kql test tests/\n"+times.ReplaceAllString(res.stdout, "(T)"))

	changed := strings.Replace(string(example), "Messages: 2,", "Messages: 3,", 1)
	require.NotEqual(t, string(example), changed)
	writeFile(t, dir, "tests/external-mail.kqltest.yaml", changed)
	res = runCLI(t, "", "test", "tests/")
	assert.Equal(t, 1, res.code, res.stdout+res.stderr)
	assert.Equal(t, times.ReplaceAllString(block("FAIL  mail to external"), "(T)"),
		times.ReplaceAllString(res.stdout, "(T)"))

	res = runCLI(t, "", "test", "--update", "tests/")
	assert.Equal(t, 0, res.code, res.stdout+res.stderr)
	got, err := os.ReadFile(filepath.Join(dir, "tests/external-mail.kqltest.yaml"))
	require.NoError(t, err)
	assert.Equal(t, string(example), string(got), "--update restores the file byte for byte")
}
