package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// cliResult is what one invocation printed and returned.
type cliResult struct {
	code           int
	stdout, stderr string
}

// String is the golden-file form of a result.
func (r cliResult) String() string {
	return fmt.Sprintf("exit: %d\n-- stdout --\n%s-- stderr --\n%s", r.code, r.stdout, r.stderr)
}

// runCLI runs kql in-process with the given standard input and arguments;
// stdout is not a terminal, so tables are never truncated.
func runCLI(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{
		stdin:     strings.NewReader(stdin),
		stdout:    &out,
		stderr:    &errb,
		termWidth: func() int { return 0 },
	}
	code := execute(context.Background(), args, a)
	return cliResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// checkGolden compares a result with testdata/golden/<name>.txt, or rewrites
// that file with -update.
func checkGolden(t *testing.T, name string, got cliResult) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".txt")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got.String()), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing; run go test ./cmd/kql -update and review it")
	assert.Equal(t, string(want), got.String())
}

const formatsQuery = "testdata/queries/types.kql"

// TestGolden runs each command line and compares everything it printed,
// and its exit status, with a golden file.
func TestGolden(t *testing.T) {
	cases := []struct {
		name  string
		stdin string
		args  []string
	}{
		// Output formats, over every kind of cell: numbers, text that
		// needs quoting, datetimes with and without a fraction,
		// timespans, bools, dynamic values and nulls.
		{name: "format_table", args: []string{"run", "-f", "table", formatsQuery}},
		{name: "format_table", args: []string{"run", formatsQuery}},
		{name: "format_json", args: []string{"run", "--format", "json", formatsQuery}},
		{name: "format_jsonl", args: []string{"run", "-f", "jsonl", formatsQuery}},
		{name: "format_csv", args: []string{"run", "-f", "csv", formatsQuery}},
		{name: "print_json", args: []string{"run", "-f", "json", "-q",
			`print n = 42, s = "tab\there", g = guid(0A1B2C3D-0000-4000-8000-00000000000F), e = 1.5e-7`}},
		{name: "empty_table", args: []string{"run", "-q", `datatable(a:long, b:string) []`}},
		{name: "empty_json", args: []string{"run", "-f", "json", "-q", `datatable(a:long) []`}},
		{name: "stdin", stdin: "print x = 1, y = \"one\"\n", args: []string{"run", "-"}},
		{name: "now", args: []string{"run", "-f", "csv", "--now", "2025-01-02T03:04:05Z",
			"-q", "print t = now(), d = ago(1d)"}},
		{name: "yaml_rule", args: []string{"run", "testdata/queries/rule.yaml"}},
		// A rendered result: the rows, and in the table format a note of the chart.
		{name: "render_note", args: []string{"run", "-q", "range x from 1 to 3 step 1 | render timechart with (title='t')"}},
		{name: "render_csv", args: []string{"run", "-f", "csv", "-q", "range x from 1 to 2 step 1 | render piechart"}},

		// Errors with a place in the query: file:line:col, the line and a caret.
		{name: "error_kql", args: []string{"run", "testdata/queries/badcol.kql"}},
		{name: "error_yaml", args: []string{"run", "testdata/queries/badcol.yaml"}},
		{name: "error_query_flag", args: []string{"run", "-q", "print x = nosuchcolumn"}},

		// Usage errors exit 2.
		{name: "usage_unknown_flag", args: []string{"run", "--bogus", "-q", "print 1"}},
		{name: "usage_format", args: []string{"run", "-f", "xml", "-q", "print 1"}},
		{name: "usage_no_query", args: []string{"run"}},
		{name: "usage_table_arg", args: []string{"run", "-t", "=x.json", "-q", "print 1"}},
		{name: "usage_now", args: []string{"run", "--now", "yesterday", "-q", "print 1"}},
		{name: "usage_unknown_command", args: []string{"frobnicate"}},
		{name: "usage_stdin_twice", args: []string{"run", "-", "-"}},

		// Tables from files: a directory with a schema, and single files.
		{name: "data_dir", args: []string{"run", "-d", "testdata/data", "--schema", "testdata/schemas",
			"-f", "json", "-q", "Events | where Bytes > 100 | project User, Time, Bytes"}},
		{name: "table_flag", args: []string{"run", "-t", "Ev=testdata/data/Events.ndjson",
			"-t", "testdata/data/Users.csv", "-q", `Users | where User == "bob" | project Dept`}},
		{name: "bad_data", args: []string{"run", "-t", "testdata/bad/Broken.ndjson", "-q", "Broken"}},

		// Files that are not there.
		{name: "missing_table", args: []string{"run", "-t", "Events=testdata/nope.json", "-q", "Events"}},
		{name: "missing_data_dir", args: []string{"run", "-d", "testdata/nope", "-q", "Events"}},
		{name: "missing_query_file", args: []string{"run", "testdata/nope.kql"}},

		// Several queries: a directory, and files with --query.
		{name: "multi_table", args: []string{"run", "testdata/multi"}},
		{name: "multi_jsonl", args: []string{"run", "-f", "jsonl", "testdata/multi"}},
		{name: "multi_json", args: []string{"run", "-f", "json", "testdata/multi"}},
		{name: "multi_csv", args: []string{"run", "-f", "csv", "-q", "print a = 1",
			"testdata/queries/rule.yaml"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c.name, runCLI(t, c.stdin, c.args...))
		})
	}
}

func TestNoArgsPrintsHelp(t *testing.T) {
	r := runCLI(t, "")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "Usage:\n  kql [flags]\n  kql [command]")
	assert.Contains(t, r.stdout, "run         Run queries and print their results")
	assert.NotContains(t, r.stdout, "--debug", "--debug is hidden")
	assert.Empty(t, r.stderr)
}

func TestVersion(t *testing.T) {
	r := runCLI(t, "", "version")
	assert.Equal(t, 0, r.code)
	assert.Regexp(t, `^kql dev \(go[0-9.]+\S*, \w+/\w+(, commit [0-9a-f]{12})?\)\n$`, r.stdout)
}

func TestRunHelpListsFlags(t *testing.T) {
	r := runCLI(t, "", "run", "--help")
	assert.Equal(t, 0, r.code)
	for _, f := range []string{"-q, --query TEXT", "-d, --data DIR", "-t, --table NAME=PATH",
		"--schema DIR", "-f, --format FORMAT", "--now TIME"} {
		assert.Contains(t, r.stdout, f)
	}
}

// TestPanicIsReported checks that a bug in kql reaches the user as a message,
// with the Go stack only under --debug, and that a multi-query run goes on.
func TestPanicIsReported(t *testing.T) {
	saved := queryRunner
	t.Cleanup(func() { queryRunner = saved })
	queryRunner = func(context.Context, *querySource, *engine.Catalog, engine.Options) (*tables.Table, error) {
		var m map[string]int
		m["boom"]++ // a nil-map write: a real runtime panic
		return nil, nil
	}

	r := runCLI(t, "", "run", "-q", "print 1")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "kql: internal error: assignment to entry in nil map "+
		"(please report this; run with --debug for the stack)\n", r.stderr)
	assert.Empty(t, r.stdout)

	r = runCLI(t, "", "run", "--debug", "-q", "print 1", "testdata/queries/types.kql")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "kql: internal error: assignment to entry in nil map")
	assert.Contains(t, r.stderr, "goroutine ")
	assert.Contains(t, r.stderr, "kql: 2 of 2 queries failed\n")
}

// TestSampleNow checks that the sample's reference time is now() when the
// sample tables are queried and no --now is given.
func TestSampleNow(t *testing.T) {
	r := runCLI(t, "", "run", "-f", "csv", "-q", "print t = now()")
	want := tables.FormatDateTime(tables.TicksFromTime(sample.Now()), false)
	assert.Equal(t, cliResult{stdout: "t\n" + want + "\n"}, r)
}

// TestRunFitsTheTerminal checks that kql run's table on a terminal leaves
// out the columns that do not fit and names them, so that no line wraps:
// the flagship's 40 columns on an 80-column terminal.
func TestRunFitsTheTerminal(t *testing.T) {
	var out, errb bytes.Buffer
	a := &app{
		stdin:     strings.NewReader(""),
		stdout:    &out,
		stderr:    &errb,
		termWidth: func() int { return 80 },
	}
	code := execute(context.Background(), []string{"run",
		"../../queries/ai-agents/Copilot_Studio_Connector/AIAgentsEmailExternalMailbox.yaml"}, a)
	require.Equal(t, 0, code, errb.String())
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	for _, l := range lines {
		assert.LessOrEqual(t, textWidth(l), 80, l)
	}
	assert.True(t, strings.HasPrefix(lines[0], "AgentCreati"), lines[0])
	last := lines[len(lines)-1]
	assert.Regexp(t, `^\.\.\. \d+ more columns not shown: `, last)
}
