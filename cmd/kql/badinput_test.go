package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// badCase is one entry of the bad-input catalogue: files to write into a
// fresh directory ($D in args and in the golden output), a command line,
// and a golden file under testdata/badinput holding what kql printed and
// its exit status.
type badCase struct {
	name  string
	files map[string]string
	// gen writes large inputs that are not worth committing.
	gen  func(t *testing.T, dir string)
	args []string
}

// badInputBudget is the most time one catalogue case may take. It catches
// a hang, not a slow answer: on a quiet machine every case answers in a
// few seconds, but CI and developers' machines may be loaded (one case took
// 28 s at a load average of 22), and a timed test must not fail for that.
const badInputBudget = 60 * time.Second

// badInputCatalogue lists what users feed kql by mistake. Each case is
// answered with a clear message and a non-zero exit status, or with
// Kusto's documented value; never a panic or a Go stack.
func badInputCatalogue() []badCase {
	q := func(query string, flags ...string) []string {
		return append(append([]string{"run"}, flags...), "-q", query)
	}
	tq := func(file, query string, flags ...string) []string {
		return append(append([]string{"run", "-t", "T=$D/" + file}, flags...), "-q", query)
	}
	return []badCase{
		// Files that are empty, cut short or malformed.
		{name: "empty_json", files: map[string]string{"T.json": ""}, args: tq("T.json", "T | count")},
		{name: "empty_ndjson", files: map[string]string{"T.ndjson": ""}, args: tq("T.ndjson", "T | count")},
		{name: "empty_csv", files: map[string]string{"T.csv": ""}, args: tq("T.csv", "T | count")},
		{name: "empty_table_column", files: map[string]string{"T.json": ""}, args: tq("T.json", "T | project a")},
		{name: "csv_header_only", files: map[string]string{"T.csv": "a,b\n"}, args: tq("T.csv", "T | getschema | project ColumnName, ColumnType")},
		{name: "json_truncated_mid_object", files: map[string]string{"T.json": `[{"a":1,"b":"x"},{"a":2,"b":`}, args: tq("T.json", "T")},
		{name: "json_truncated_after_comma", files: map[string]string{"T.json": "[{\"a\":1},\n{\"a\":2},\n"}, args: tq("T.json", "T")},
		{name: "json_not_a_table", files: map[string]string{"T.json": "42\n"}, args: tq("T.json", "T")},
		{name: "ndjson_malformed_line", files: map[string]string{"T.ndjson": "{\"a\":1}\n{\"a\":2}\n{\"a\":3,}\n{\"a\":4}\n"}, args: tq("T.ndjson", "T | count")},
		{name: "ndjson_skip_bad_rows", files: map[string]string{"T.ndjson": "{\"a\":1}\n{\"a\":2\n{\"a\":3}\nnot json\n[4]\n{\"a\":5}\n"},
			args: tq("T.ndjson", "T | project a", "--skip-bad-rows")},
		{name: "ndjson_skip_bad_rows_keeps_line_numbers", files: map[string]string{"T.ndjson": "{\"a\":1}\nbad\n{\"a\":\"x\"}\n",
			"s/T.json": `{"name": "T", "columns": [{"name": "a", "type": "long"}]}`},
			args: []string{"run", "--skip-bad-rows", "--schema", "$D/s", "-t", "T=$D/T.ndjson", "-q", "T"}},
		{name: "ndjson_blank_lines", files: map[string]string{"T.ndjson": "{\"a\":1}\n\n{\"a\":2}\n\n"}, args: tq("T.ndjson", "T | count")},
		{name: "ndjson_gz_corrupt", files: map[string]string{"T.ndjson.gz": "\x1f\x8b\x08\x00not really gzip"}, args: tq("T.ndjson.gz", "T | count")},

		// Encodings.
		{name: "bom_csv", files: map[string]string{"T.csv": "\ufeffa,b\n1,x\n"}, args: tq("T.csv", "T | project a, b")},
		{name: "bom_json", files: map[string]string{"T.json": "\ufeff[{\"a\":1}]"}, args: tq("T.json", "T | project a")},
		{name: "bom_ndjson", files: map[string]string{"T.ndjson": "\ufeff{\"a\":1}\n{\"a\":2}\n"}, args: tq("T.ndjson", "T | summarize sum(a)")},
		{name: "invalid_utf8_csv", files: map[string]string{"T.csv": "a,b\n1,caf\xe9\n"}, args: tq("T.csv", "T | extend n = strlen(b)", "-f", "json")},
		{name: "invalid_utf8_ndjson", files: map[string]string{"T.ndjson": "{\"a\":\"caf\xe9\"}\n"}, args: tq("T.ndjson", "T | extend n = strlen(a)", "-f", "json")},

		// CSV shapes.
		{name: "csv_ragged_row", files: map[string]string{"T.csv": "a,b\n1,2\n3\n4,5\n"}, args: tq("T.csv", "T")},
		{name: "csv_quoted_newline", files: map[string]string{"T.csv": "a,b\n1,\"two\nlines\"\n2,plain\n"}, args: tq("T.csv", "T | extend n = strlen(b)", "-f", "json")},
		{name: "csv_duplicate_header", files: map[string]string{"T.csv": "a,b,a\n1,2,3\n"}, args: tq("T.csv", "T")},
		{name: "csv_unterminated_quote", files: map[string]string{"T.csv": "a,b\n1,\"never closed\n2,3\n"}, args: tq("T.csv", "T")},

		// Files that are not there, or say the same thing twice.
		{name: "missing_table_file", args: tq("nope.json", "T")},
		{name: "missing_data_dir", args: []string{"run", "-d", "$D/nope", "-q", "T"}},
		{name: "two_files_one_table_dir", files: map[string]string{"d/T.json": `[{"a":1}]`, "d/T.ndjson": `{"a":2}` + "\n"},
			args: []string{"run", "-d", "$D/d", "-q", "T"}},
		{name: "two_files_one_table_flags", files: map[string]string{"a.json": `[{"a":1}]`, "b.json": `[{"a":2}]`},
			args: []string{"run", "-t", "T=$D/a.json", "-t", "T=$D/b.json", "-q", "T"}},

		// Schemas that the data contradicts.
		{name: "schema_contradicts_data", files: map[string]string{
			"s/T.json": `{"name": "T", "columns": [{"name": "t", "type": "datetime"}, {"name": "n", "type": "long"}]}`,
			"T.ndjson": "{\"t\":\"2024-01-01T00:00:00Z\",\"n\":1}\n{\"t\":\"last tuesday\",\"n\":2}\n"},
			args: tq("T.ndjson", "T", "--schema", "$D/s")},
		{name: "schema_unknown_type", files: map[string]string{
			"s/T.json": `{"name": "T", "columns": [{"name": "t", "type": "datetim"}]}`,
			"T.ndjson": "{\"t\":\"2024-01-01T00:00:00Z\"}\n"},
			args: tq("T.ndjson", "T", "--schema", "$D/s")},
		{name: "schema_malformed", files: map[string]string{"s/T.json": `{"name": "T", "columns": [`, "T.ndjson": "{\"t\":1}\n"},
			args: tq("T.ndjson", "T", "--schema", "$D/s")},

		// Sizes and depths.
		{name: "cell_100mb", gen: genBigCell, args: tq("T.ndjson", "T | project n = strlen(s), id")},
		{name: "json_deep_100k", gen: genDeep("T.json", "", ""), args: tq("T.json", "T | count")},
		{name: "ndjson_deep_100k", gen: genDeep("T.ndjson", `{"a":`, "}\n"), args: tq("T.ndjson", "T | count")},
		{name: "string_cell_deep_json", files: map[string]string{"T.ndjson": `{"s":"` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `"}` + "\n"},
			args: tq("T.ndjson", "T | extend d = parse_json(s) | project t = gettype(d), n = array_length(d), l = strlen(tostring(d))")},
		{name: "huge_function_result", args: q(`print n = strlen(repeat("a", 100000000000)), h = strlen(tohex(1, 1000000000000))`)},
		{name: "query_deep_100k_parens", gen: genDeepQuery, args: []string{"run", "$D/deep.kql"}},
		{name: "query_deep_100k_unclosed", gen: genUnclosedQuery, args: []string{"run", "$D/unclosed.kql"}},

		// Query mistakes.
		{name: "unterminated_string", args: q(`print x = "abc`)},
		{name: "unknown_operator", args: q("print x = 1 | frobnicate x")},
		{name: "unknown_column_did_you_mean", args: q("print count_ = 1 | project coutn_")},
		{name: "unknown_table_did_you_mean", files: map[string]string{"Events.json": `[{"a":1}]`},
			args: []string{"run", "-t", "Events=$D/Events.json", "-q", "Event | count"}},
		{name: "unknown_function", args: q("print x = frobnicate(1)")},
		{name: "wrong_argument_count", args: q(`print x = strlen("a", "b")`)},
		{name: "type_mismatch", args: q(`print x = 1 + "a"`)},
		{name: "where_not_bool", args: q(`print x = 1 | where x`)},
		{name: "empty_query", args: q("")},
		{name: "smart_quotes_from_web_page", args: q("print x = \u201chello\u201d")},
		{name: "non_breaking_space", args: q("print\u00a0x = 1")},

		// Arithmetic and regular expressions.
		{name: "int_divide_by_zero", args: q("print a = 1 / 0, b = 1 % 0, c = 1.0 / 0, d = -1.0 / 0, e = 0.0 / 0", "-f", "json")},
		{name: "long_overflow", args: q("print a = 9223372036854775807 + 1, b = -9223372036854775807 - 2, c = 4611686018427387904 * 4", "-f", "json")},
		{name: "tolong_not_a_number", args: q(`print a = tolong("12abc"), b = todatetime("yesterday"), c = toint(1e30)`, "-f", "json")},
		{name: "invalid_regex_matches", args: q(`print x = "abc" matches regex "[a-"`)},
		{name: "invalid_regex_extract", args: q(`print x = extract("(", 1, "abc")`)},
		// ^(a+)+$ against "aaa…a!" takes exponential time in a backtracking
		// engine; Go's RE2 is linear in the input.
		{name: "catastrophic_regex_is_linear", files: map[string]string{"T.ndjson": `{"s":"` + strings.Repeat("a", 100000) + `!"}` + "\n"},
			args: tq("T.ndjson", `T | project m = s matches regex "^(a+)+$", e = extract("^(a|aa)+$", 0, s), n = strlen(s)`)},

		// Queries that would produce too much.
		{name: "range_1e12", args: q("range x from 1 to 1000000000000 step 1 | count")},
		{name: "range_step_zero", args: q("range x from 1 to 10 step 0")},
		{name: "range_near_max_long", args: q("range x from 9223372036854775800 to 9223372036854775807 step 5")},
		{name: "mv_expand_billions", args: q("print a = range(1, 100000) | mv-expand a | mv-expand b = range(1, 100000) | count",
			"--max-operator-rows", "1000000")},
		{name: "mv_expand_billions_timeout", args: q("print a = range(1, 100000) | mv-expand a | mv-expand b = range(1, 100000) | count",
			"--timeout", "1s")},
		{name: "mv_expand_billions_memory", args: q("print a = range(1, 100000) | mv-expand a | mv-expand b = range(1, 100000) | count",
			"--max-memory", "200MiB")},
		{name: "join_explodes", args: q("range x from 1 to 100000 step 1 | extend k = 1 | join kind=inner (range y from 1 to 100000 step 1 | extend k = 1) on k | count")},
		{name: "max_rows_truncates", args: q("range x from 1 to 5 step 1", "--max-rows", "2")},

		// Limits given wrongly.
		{name: "usage_timeout", args: q("print 1", "--timeout", "soon")},
		{name: "usage_max_memory", args: q("print 1", "--max-memory", "lots")},
		{name: "usage_max_memory_percent", args: q("print 1", "--max-memory", "150%")},
		{name: "usage_max_rows", args: q("print 1", "--max-rows", "-1")},
		{name: "usage_max_operator_rows", args: q("print 1", "--max-operator-rows", "0")},
	}
}

// TestBadInput runs the catalogue and compares each result with its golden
// file (rewritten with -update). Besides the golden text it checks what a
// golden file cannot show: the time taken and that no panic or Go stack
// reached the user.
func TestBadInput(t *testing.T) {
	t.Cleanup(func() { debug.SetMemoryLimit(math.MaxInt64) })
	cases := badInputCatalogue()
	require.GreaterOrEqual(t, len(cases), 40)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range c.files {
				path := filepath.Join(dir, filepath.FromSlash(name))
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
			}
			if c.gen != nil {
				c.gen(t, dir)
			}
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "$D", dir)
			}
			start := time.Now()
			r := runCLI(t, "", args...)
			took := time.Since(start)
			debug.SetMemoryLimit(math.MaxInt64)
			runtime.GC()

			r.stdout = strings.ReplaceAll(r.stdout, dir, "$D")
			r.stderr = strings.ReplaceAll(r.stderr, dir, "$D")
			r.stderr = memoryUsed.ReplaceAllString(r.stderr, "used <SIZE> of")
			assert.Less(t, took, badInputBudget)
			assert.NotContains(t, r.stderr, "goroutine ")
			assert.NotContains(t, r.stderr, "internal error")
			assert.NotContains(t, r.stderr, "panic")
			checkBadGolden(t, c, r)
		})
	}
}

// memoryUsed matches the measured size in a memory-limit error, which
// varies from run to run.
var memoryUsed = regexp.MustCompile(`used [0-9.]+[KMGT]?i?B of`)

// checkBadGolden compares a result with testdata/badinput/<name>.txt.
func checkBadGolden(t *testing.T, c badCase, got cliResult) {
	t.Helper()
	text := "args: " + quoteArgs(c.args) + "\n" + got.String()
	path := filepath.Join("testdata", "badinput", c.name+".txt")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing; run go test ./cmd/kql -run TestBadInput -update and review it")
	assert.Equal(t, string(want), text)
}

// quoteArgs writes a command line for the golden file's first line.
func quoteArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n\"'|$()\\") {
			a = fmt.Sprintf("%q", a)
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// genBigCell writes an NDJSON table whose second row holds one 100 MB
// string, between two small rows.
func genBigCell(t *testing.T, dir string) {
	var b strings.Builder
	b.Grow(100<<20 + 100)
	b.WriteString(`{"id":1,"s":"small"}` + "\n" + `{"id":2,"s":"`)
	b.WriteString(strings.Repeat("x", 100<<20))
	b.WriteString(`"}` + "\n" + `{"id":3,"s":"small"}` + "\n")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "T.ndjson"), []byte(b.String()), 0o644))
}

// genDeep writes 100,000 nested arrays inside prefix and suffix.
func genDeep(name, prefix, suffix string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		text := prefix + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + suffix
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
}

// genDeepQuery writes a query nested 100,000 parentheses deep.
func genDeepQuery(t *testing.T, dir string) {
	text := "print x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "deep.kql"), []byte(text), 0o644))
}

// genUnclosedQuery writes 100,000 opening parentheses that never close.
func genUnclosedQuery(t *testing.T, dir string) {
	text := "print x = " + strings.Repeat("(", 100000) + "1\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "unclosed.kql"), []byte(text), 0o644))
}
