package tables

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var formatsDir = filepath.Join("testdata", "formats")

// eventsSchema is the schema every fixture of testdata/formats loads to.
const eventsSchema = "(TimeGenerated:datetime, Account:string, EventID:long, Score:real, " +
	"IsAdmin:bool, Duration:timespan, SessionId:guid, Details:dynamic)"

// formatFixtures names each fixture, the format it must be detected as, and
// whether it needs the schema file to be typed.
var formatFixtures = []struct {
	file, format string
	schema       bool
}{
	{"la-v1.json", FormatKustoV1, false},
	{"adx-v1.json", FormatKustoV1, false},
	{"adx-v2.json", FormatKustoV2, false},
	{"adx-v2-progressive.json", FormatKustoV2, false},
	{"defender.json", FormatDefender, false},
	{"graph.json", FormatDefender, false},
	{"az.json", FormatAzCLI, true},
	{"portal.csv", FormatPortalCSV, true},
	{"kql.json", "json", true},
}

// rowsOf returns every row of a table as values.
func rowsOf(tb *Table) [][]Value {
	out := make([][]Value, tb.Rows())
	for i := range out {
		out[i] = tb.Row(i)
	}
	return out
}

func gzipCopy(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err = zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	out := filepath.Join(t.TempDir(), filepath.Base(path)+".gz")
	require.NoError(t, os.WriteFile(out, buf.Bytes(), 0o644))
	return out
}

// signinFixtures are the second table (Signins: int, decimal, dynamic and
// a BOM and CRLF in the portal file) in the formats that carry those types.
var signinFixtures = []struct {
	file, format string
	schema       bool
}{
	{"signins/la-v1.json", FormatKustoV1, false},
	{"signins/adx-v2.json", FormatKustoV2, false},
	{"signins/defender.json", FormatDefender, false},
	{"signins/az.json", FormatAzCLI, true},
	{"signins/portal.csv", FormatPortalCSV, true},
	{"signins/kql.json", "json", true},
}

var updateGolden = flag.Bool("update", false, "rewrite testdata/formats/golden from the loaded tables")

// renderTyped prints a table with its schema and every value with its
// type, for the goldens: a change of type or value shows in the diff.
func renderTyped(tb *Table) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", tb.Name, tb.Schema)
	for i := 0; i < tb.Rows(); i++ {
		fmt.Fprintf(&b, "row %d:\n", i)
		for c, f := range tb.Schema {
			v := tb.Columns[c].Value(i)
			text := "null"
			if !v.IsNull() {
				text = strconv.Quote(v.String())
			}
			fmt.Fprintf(&b, "  %s %s = %s\n", f.Name, v.Type(), text)
		}
	}
	return b.String()
}

// checkGolden compares text with testdata/formats/golden/name, or rewrites
// the file under -update.
func checkGolden(t *testing.T, name, text string) {
	t.Helper()
	path := filepath.Join(formatsDir, "golden", name)
	if *updateGolden {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./tables -update to write it")
	assert.Equal(t, string(want), text)
}

// TestFormatsLoadAlike is the first acceptance test: one table
// exported in every format (and gzipped) loads to one typed table, the
// golden of testdata/formats/golden.
func TestFormatsLoadAlike(t *testing.T) {
	sets := []struct {
		table    string
		fixtures []struct {
			file, format string
			schema       bool
		}
	}{{"Events", formatFixtures}, {"Signins", signinFixtures}}
	for _, set := range sets {
		_, schema, err := ReadSchemaFile(filepath.Join(formatsDir, "schema", set.table+".json"))
		require.NoError(t, err)
		for _, fx := range set.fixtures {
			path := filepath.Join(formatsDir, fx.file)
			opts := LoadOptions{Name: set.table}
			if fx.schema {
				opts.Schema = schema
			}
			gz := gzipCopy(t, path)
			// A gzipped export saved without .gz is known by its content.
			unnamed := filepath.Join(t.TempDir(), filepath.Base(path))
			b, err := os.ReadFile(gz)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(unnamed, b, 0o644))
			for i, p := range []string{path, gz, unnamed} {
				t.Run(fx.file+[]string{"", ".gz", " gzipped"}[i], func(t *testing.T) {
					head, err := readHead(p, 4096)
					require.NoError(t, err)
					assert.Equal(t, fx.format, format(p, "", strings.TrimPrefix(head, "\xef\xbb\xbf")))
					got, err := LoadFile(p, opts)
					require.NoError(t, err)
					checkShape(t, got)
					assert.Equal(t, schema, got.Schema)
					checkGolden(t, set.table+".txt", renderTyped(got))
				})
			}
		}
	}
}

func TestFormatsFixtureValues(t *testing.T) {
	want, err := LoadFile(filepath.Join(formatsDir, "la-v1.json"), LoadOptions{Name: "Events"})
	require.NoError(t, err)
	require.Equal(t, eventsSchema, want.Schema.String())
	require.Equal(t, 3, want.Rows())
	assert.Equal(t, "2025-11-03T10:30:15.5000000Z", want.Row(1)[0].String())
	assert.Equal(t, `bob, "the" admin`, want.Row(1)[1].String())
	assert.Equal(t, "1.02:03:04", want.Row(1)[5].String())
	assert.Equal(t, `{"ip":"10.0.0.1","tags":["a","b"]}`, want.Row(0)[7].String())
	assert.True(t, want.Row(2)[2].IsNull())
	assert.True(t, want.Row(2)[7].IsNull())
}

func TestAzCLIResultTables(t *testing.T) {
	// The CLI flattens every result table into one list, each row naming
	// its table: kql splits them again, as it does a Kusto response.
	path := writeTemp(t, "resp.json", `[{"TableName":"PrimaryResult","n":"1"},{"TableName":"Hosts","h":"a"},`+
		`{"TableName":"PrimaryResult","n":"2"}]`)
	ts, err := LoadTables(path, LoadOptions{Schema: Schema{{Name: "n", Type: Int}}})
	require.NoError(t, err)
	require.Len(t, ts, 2)
	assert.Equal(t, "resp", ts[0].Name)
	assert.Equal(t, "(n:int)", ts[0].Schema.String())
	assert.Equal(t, 2, ts[0].Rows())
	assert.Equal(t, "Hosts", ts[1].Name)
	assert.Equal(t, "(h:string)", ts[1].Schema.String())
	_, typings, err := ColumnTypings(path, LoadOptions{Schema: Schema{{Name: "n", Type: Int}}}, ts[0])
	require.NoError(t, err)
	assert.Equal(t, []Typing{TypedBySchema}, typings)
}

func TestAzCLINoneIsNullButInStrings(t *testing.T) {
	// The az CLI writes str(None) for a null. A Kusto string is never
	// null, so in a string column "None" is the text itself.
	text := `[{"TableName":"PrimaryResult","n":"None","s":"None","d":"None"},` +
		`{"TableName":"PrimaryResult","n":"2","s":"x","d":"{\"a\":1}"}]`
	tb, err := Load(strings.NewReader(text), "az.json", LoadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "(n:long, s:string, d:dynamic)", tb.Schema.String())
	assert.Equal(t, []Value{Null(Long), NewString("None"), Null(Dynamic)}, tb.Row(0))
}

func TestLoadTablesKeepsEveryResult(t *testing.T) {
	// Two result tables: the primary takes the file's name, the second
	// (named by `as`) keeps its own; metadata tables are skipped.
	v2 := `[{"FrameType":"DataSetHeader","Version":"v2.0"},
{"FrameType":"DataTable","TableKind":"QueryProperties","TableName":"@ExtendedProperties","Columns":[{"ColumnName":"K","ColumnType":"string"}],"Rows":[["x"]]},
{"FrameType":"DataTable","TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{"ColumnName":"n","ColumnType":"int"}],"Rows":[[1],[2]]},
{"FrameType":"DataTable","TableKind":"PrimaryResult","TableName":"Hosts","Columns":[{"ColumnName":"h","ColumnType":"string"}],"Rows":[["a"]]},
{"FrameType":"DataTable","TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{"ColumnName":"m","ColumnType":"decimal"}],"Rows":[["1.25"]]},
{"FrameType":"DataSetCompletion","HasErrors":false,"Cancelled":false}]`
	path := filepath.Join(t.TempDir(), "resp.json")
	require.NoError(t, os.WriteFile(path, []byte(v2), 0o644))
	ts, err := LoadTables(path, LoadOptions{})
	require.NoError(t, err)
	require.Len(t, ts, 3)
	assert.Equal(t, "resp", ts[0].Name)
	assert.Equal(t, "(n:int)", ts[0].Schema.String())
	assert.Equal(t, "Hosts", ts[1].Name)
	assert.Equal(t, "resp_3", ts[2].Name)
	assert.Equal(t, NewDecimal(1.25), ts[2].Row(0)[0])

	// A plain file is one table.
	ts, err = LoadTables(filepath.Join(formatsDir, "az.json"), LoadOptions{})
	require.NoError(t, err)
	require.Len(t, ts, 1)
	assert.Equal(t, "az", ts[0].Name)
}

func TestExportFormatForcedAndInferred(t *testing.T) {
	// Without a schema az output is typed from its text, as CSV is.
	tb, err := LoadFile(filepath.Join(formatsDir, "az.json"), LoadOptions{})
	require.NoError(t, err)
	assert.Equal(t, "(Account:string, Details:dynamic, Duration:string, EventID:long, IsAdmin:bool, "+
		"Score:real, SessionId:string, TimeGenerated:datetime)", tb.Schema.String())

	// A forced format skips sniffing: az output read as plain json keeps
	// TableName.
	tb, err = LoadFile(filepath.Join(formatsDir, "az.json"), LoadOptions{Format: "json"})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, tb.Schema.Index("TableName"), 0)
	tb, err = Load(strings.NewReader(`{"tables":[{"name":"PrimaryResult","columns":[{"name":"a","type":"int"}],"rows":[[1]]}]}`),
		"x.txt", LoadOptions{Format: "v1"})
	require.NoError(t, err)
	assert.Equal(t, "(a:int)", tb.Schema.String())
	f, ok := CanonicalFormat("ADX")
	assert.True(t, ok)
	assert.Equal(t, FormatKustoV2, f)
	_, ok = CanonicalFormat("parquet")
	assert.False(t, ok)
}

func TestExportValueErrorsArePlaced(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"v1.json", "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"n\",\"type\":\"long\"}],\n\"rows\":[[1],\n  [\"x\"]]}]}",
			`v1.json:3:4: column 'n': cannot read "x" as long`},
		{"d.json", "{\"Schema\":[{\"Name\":\"T\",\"Type\":\"DateTime\"}],\n\"Results\":[{\"T\":\"soon\"}]}",
			`d.json:2:17: column 'T': cannot read "soon" as datetime`},
		{"d2.json", "{\"Schema\":[{\"Name\":\"T\",\"Type\":\"DateTime\"}],\n\"Results\":[{\"U\":1}]}",
			`d2.json:2:13: key 'U' is not in the schema`},
		{"v2.json", `[{"FrameType":"DataTable","TableKind":"PrimaryResult","TableName":"PrimaryResult","Columns":[{"ColumnName":"a","ColumnType":"blob"}],"Rows":[]}]`,
			`v2.json:1:125: column 'a': unknown type 'blob'`},
		{"bad.json", "{\"tables\":[1,}", `bad.json:1:14: invalid JSON`},
		{"err.json", `{"error":{"code":"BadArgumentError","message":"The request had some invalid properties",` +
			`"innererror":{"code":"SyntaxError","message":"A recognition error occurred in the query."}}}`,
			"err.json: the file is an error response, not a result: The request had some invalid properties: " +
				"A recognition error occurred in the query."},
		{"partial.json", `{"tables":[{"name":"PrimaryResult","columns":[{"name":"n","type":"long"}],"rows":[[1]]}],` +
			`"error":{"code":"PartialError","message":"There were some errors when processing your query.",` +
			`"details":[{"code":"EngineError","message":"Something went wrong processing your query on the server."}]}}`,
			"partial.json: the response reports an error, so its rows may be incomplete: There were some errors " +
				"when processing your query.: Something went wrong processing your query on the server."},
		{"p.csv", "T [UTC],n\n\"11/3/2025, 10:00:00 AM\",1\nyesterday,2\n", `p.csv:3:1: column 'T': cannot read "yesterday" as datetime`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := loadErr(t, c.name, c.text, LoadOptions{})
			assert.Contains(t, msg, c.want)
		})
	}
}

func TestPortalDateTime(t *testing.T) {
	got, ok := ParseDateTime("11/3/2025, 1:02:03.456 PM")
	require.True(t, ok)
	assert.Equal(t, "2025-11-03T13:02:03.4560000Z", NewDateTime(got).String())
	_, ok = ParseDateTime("11/3/2025, 1:02")
	assert.False(t, ok)
}

func TestLoadDirTablesLoadsEveryResult(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(formatsDir, "adx-v1.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "A.json"), b, 0o644))
	two := `{"tables":[{"name":"PrimaryResult","columns":[{"name":"n","type":"int"}],"rows":[[1]]},
{"name":"Extra","columns":[{"name":"s","type":"string"}],"rows":[["x"],["y"]]}]}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "B.json"), []byte(two), 0o644))
	ts, err := LoadDirTables(dir, func(string) LoadOptions { return LoadOptions{} })
	require.NoError(t, err)
	var names []string
	for _, tb := range ts {
		names = append(names, fmt.Sprintf("%s:%d", tb.Name, tb.Rows()))
	}
	assert.Equal(t, []string{"A:3", "B:1", "Extra:2"}, names)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "Extra.csv"), []byte("a\n1\n"), 0o644))
	_, err = LoadDirTables(dir, func(string) LoadOptions { return LoadOptions{} })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "table Extra is also defined by")
}

func TestSniffLeavesLookalikesAlone(t *testing.T) {
	cases := map[string]string{
		`{"tables":[{"name":"PrimaryResult"}]}`:                  FormatKustoV1,
		`{"Stats":{"x":1},"Schema":[{"Name":"a"}],"Results":[]}`: FormatDefender,
		`{"tables":"x"}`:                                      "ndjson",
		`{"Results":[1],"n":2}`:                               "ndjson",
		"{\"tables\":[1]}\n{\"tables\":[2]}\n":                "ndjson",
		`{"Schema":[],"Results":[]}` + "\n" + `{"Schema":[]}`: "ndjson",
		`[{"a":"1","TableName":"PrimaryResult"}]`:             FormatAzCLI,
		`[{"a":1,"TableName":"PrimaryResult"}]`:               "json",
		`[{"FrameType":"DataSetHeader"}]`:                     FormatKustoV2,
	}
	for text, want := range cases {
		assert.Equal(t, want, format("x.json", "", text), text)
	}
	assert.Equal(t, FormatPortalCSV, format("x.csv", "", "\"Time [UTC]\",n\n1,2\n"))
	assert.Equal(t, FormatPortalCSV, format("x.csv", "", "n,Time [UTC]\r\n1,2\n"))
	assert.Equal(t, "csv", format("x.csv", "", "n,Time\n1,2\n"))
}
