package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const flagshipRule = "../../queries/ai-agents/Copilot_Studio_Connector/AIAgentsEmailExternalMailbox.yaml"

// flagshipWith writes a copy of the flagship rule with one more operator at
// the end of its query.
func flagshipWith(t *testing.T, extra string) string {
	t.Helper()
	data, err := os.ReadFile(flagshipRule)
	require.NoError(t, err)
	last := "  | project-reorder AgentCreationTime, AIAgentId, AIAgentName, AgentStatus, CreatorAccountUpn, OwnerAccountUpns \n"
	text := string(data)
	require.Contains(t, text, last)
	text = strings.Replace(text, last, last+"  "+extra+"\n", 1)
	return writeFile(t, t.TempDir(), "edited.yaml", text)
}

// removedRows returns the addresses on the "- " lines of a diff, and fails
// when the diff has any "+ " or "~ " line.
func removedRows(t *testing.T, out string) []string {
	t.Helper()
	assert.NotContains(t, out, "\n  + ")
	assert.NotContains(t, out, "\n  ~ ")
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^  - .*"ToAddress": "([^"]*)"`).FindAllStringSubmatch(out, -1) {
		got = append(got, m[1])
	}
	return got
}

// TestDiffFlagshipFilter runs the flagship and a copy with an extra where:
// the diff lists exactly the rows the filter removes (see
// tables/sample/flagship-want.json and testdata/flagship/want.json).
func TestDiffFlagshipFilter(t *testing.T) {
	edited := flagshipWith(t, `| where Domain != "vendorhub.example"`)
	res := runCLI(t, "", "diff", flagshipRule, edited)
	assert.Equal(t, 1, res.code, res.stderr)
	assert.True(t, strings.HasPrefix(res.stdout,
		"OLD: 10 rows, NEW: 8 rows; 2 only in OLD, 0 only in NEW, 0 changed\nrows only in OLD: 2\n"), res.stdout)
	assert.ElementsMatch(t, []string{"invoices@vendorhub.example", "alerts@vendorhub.example"},
		removedRows(t, res.stdout))

	edited = flagshipWith(t, `| where Domain != "gmail.com"`)
	res = runCLI(t, "", "diff", "-d", "../../testdata/flagship/text", "--now", "2025-11-10T00:00:00Z",
		flagshipRule, edited)
	assert.Equal(t, 1, res.code, res.stderr)
	assert.True(t, strings.HasPrefix(res.stdout, "OLD: 21 rows, NEW: 20 rows;"), res.stdout)
	assert.Equal(t, []string{"cv-tool@gmail.com"}, removedRows(t, res.stdout))
}

func TestDiffSame(t *testing.T) {
	res := runCLI(t, "", "diff", flagshipRule, flagshipWith(t, "| order by ToAddress"))
	assert.Equal(t, 0, res.code, res.stdout+res.stderr)
	assert.Equal(t, "OLD and NEW return the same 10 rows\n", res.stdout)
}

func TestDiffErrors(t *testing.T) {
	res := runCLI(t, "", "diff", flagshipRule)
	assert.Equal(t, 2, res.code)

	bad := writeFile(t, t.TempDir(), "bad.kql", "AIAgentsInfo\n| where Nope == 1\n")
	res = runCLI(t, "", "diff", flagshipRule, bad)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "bad.kql:2:9: unknown column or variable 'Nope'")
	assert.Empty(t, res.stdout)
}

// TestDiffGitRevision compares a query with its committed version, read
// with git show REV:PATH, in a scratch repository.
func TestDiffGitRevision(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	q := "AIAgentsInfo | summarize by AIAgentName, AgentStatus\n"
	writeFile(t, dir, "q.kql", q)
	git("init", "-q")
	git("add", "q.kql")
	git("commit", "-q", "-m", "query")
	writeFile(t, dir, "q.kql", "AIAgentsInfo | where AgentStatus != \"Deleted\" | summarize by AIAgentName, AgentStatus\n")
	t.Chdir(dir)

	res := runCLI(t, "", "diff", "HEAD:q.kql", "q.kql")
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Regexp(t, `^OLD: \d+ rows, NEW: \d+ rows; \d+ only in OLD, 0 only in NEW, 0 changed\n`, res.stdout)
	assert.Contains(t, res.stdout, `"AgentStatus": "Deleted"}`)

	res = runCLI(t, "", "diff", "HEAD:q.kql", "HEAD:./q.kql")
	assert.Equal(t, 0, res.code, res.stderr)

	res = runCLI(t, "", "diff", "HEAD:nope.kql", "q.kql")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "kql: git show HEAD:nope.kql: fatal: path 'nope.kql' does not exist in 'HEAD'")
}

// TestDiffFitsTerminal checks that on a terminal each line of the diff is
// cut to its width, with a note saying how to see the rows whole, and that
// -v prints them whole.
func TestDiffFitsTerminal(t *testing.T) {
	edited := flagshipWith(t, `| where Domain != "vendorhub.example"`)
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, termWidth: func() int { return 80 }}
	assert.Equal(t, 1, execute(context.Background(), []string{"diff", flagshipRule, edited}, a), errb.String())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	for _, l := range lines {
		assert.LessOrEqual(t, textWidth(l), 80, l)
	}
	require.Len(t, lines, 5, out.String())
	assert.Regexp(t, `^  - \{"AgentCreationTime": "[^"]+", "AIAgentId": .*…$`, lines[2])
	assert.Equal(t, "(long lines cut to the terminal's width; -v prints them whole)", lines[4])

	out.Reset()
	assert.Equal(t, 1, execute(context.Background(), []string{"diff", "-v", flagshipRule, edited}, a))
	assert.ElementsMatch(t, []string{"invoices@vendorhub.example", "alerts@vendorhub.example"},
		removedRows(t, out.String()))
	assert.NotContains(t, out.String(), "-v prints them whole")
}

func TestLineFitter(t *testing.T) {
	var b bytes.Buffer
	f := newLineFitter(&b, 8)
	for _, p := range []string{"short\nmuch too", " long\n名前名前名前\n", "no end in sight"} {
		n, err := f.Write([]byte(p))
		require.NoError(t, err)
		assert.Equal(t, len(p), n)
	}
	require.NoError(t, f.Close())
	assert.Equal(t, "short\nmuch to…\n名前名…\nno end …", b.String())
	assert.True(t, f.cut)

	b.Reset()
	f = newLineFitter(&b, 8)
	f.Write([]byte("fits\n"))
	f.Close()
	assert.Equal(t, "fits\n", b.String())
	assert.False(t, f.cut)
}
