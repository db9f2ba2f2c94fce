package tables

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// load reads text as the named file with the options.
func load(t *testing.T, path, text string, opts LoadOptions) *Table {
	t.Helper()
	tb, err := Load(strings.NewReader(text), path, opts)
	require.NoError(t, err)
	checkShape(t, tb)
	return tb
}

// loadErr reads text and returns its error text, which must exist.
func loadErr(t *testing.T, path, text string, opts LoadOptions) string {
	t.Helper()
	_, err := Load(strings.NewReader(text), path, opts)
	require.Error(t, err)
	return err.Error()
}

// checkShape asserts the invariants every loaded table keeps.
func checkShape(t testing.TB, tb *Table) {
	t.Helper()
	require.Equal(t, len(tb.Schema), len(tb.Columns))
	for i, c := range tb.Columns {
		require.Equal(t, tb.Schema[i].Type, c.Type(), "column %s", tb.Schema[i].Name)
		require.Equal(t, tb.Rows(), c.Len(), "column %s", tb.Schema[i].Name)
	}
}

// col returns the values of the named column.
func col(t *testing.T, tb *Table, name string) []Value {
	t.Helper()
	i := tb.Schema.Index(name)
	require.GreaterOrEqual(t, i, 0, "no column %s in %s", name, tb.Schema)
	out := make([]Value, tb.Rows())
	for r := range out {
		out[r] = tb.Columns[i].Value(r)
	}
	return out
}

func ts(t *testing.T, s string) Value {
	t.Helper()
	ticks, ok := ParseDateTime(s)
	require.True(t, ok, s)
	return NewDateTime(ticks)
}

const inferJSON = `[
 {"b": true, "n": 1, "r": 1.5, "t": "2024-01-02T03:04:05Z", "d": {"x": [1, 2]}, "s": "hi", "m": 1},
 {"b": false, "n": -7, "r": 2, "t": "2024-01-02T03:04:05.1234567+01:00", "d": [], "s": "", "m": "one"},
 {"b": null, "n": null, "r": null, "t": null, "d": null, "s": null, "m": 2.50}
]`

func TestLoadInferTypes(t *testing.T) {
	tb := load(t, "T.json", inferJSON, LoadOptions{})
	assert.Equal(t, "T", tb.Name)
	assert.Equal(t, "(b:bool, n:long, r:real, t:datetime, d:dynamic, s:string, m:string)", tb.Schema.String())
	assert.Equal(t, []Value{NewBool(true), NewBool(false), Null(Bool)}, col(t, tb, "b"))
	assert.Equal(t, []Value{NewLong(1), NewLong(-7), Null(Long)}, col(t, tb, "n"))
	assert.Equal(t, []Value{NewReal(1.5), NewReal(2), Null(Real)}, col(t, tb, "r"))
	assert.Equal(t, []Value{ts(t, "2024-01-02T03:04:05Z"), ts(t, "2024-01-02T02:04:05.1234567Z"), Null(DateTime)},
		col(t, tb, "t"))
	assert.Equal(t, []Value{NewDynamic(`{"x":[1,2]}`), NewDynamic(`[]`), Null(Dynamic)}, col(t, tb, "d"))
	assert.Equal(t, []Value{NewString("hi"), NewString(""), NewString("")}, col(t, tb, "s"))
	// Mixed scalar kinds give a string column; numbers keep their JSON text.
	assert.Equal(t, []Value{NewString("1"), NewString("one"), NewString("2.50")}, col(t, tb, "m"))
}

func TestLoadInferEdgeCases(t *testing.T) {
	tb := load(t, "x.ndjson", strings.Join([]string{
		`{"obj": 1, "dt": "1/2/2020", "num": "12345", "js": "{\"a\":1}", "gap": "", "date": "2024-05-06"}`,
		`{"obj": {"a": 1}, "dt": "2020-01-02T00:00:00Z", "num": "1", "js": "[1]", "gap": "2024-05-06T07:08Z"}`,
		`{"allnull": null}`,
	}, "\n"), LoadOptions{})
	assert.Equal(t, "(obj:dynamic, dt:string, num:string, js:string, gap:datetime, date:string, allnull:string)",
		tb.Schema.String())
	// A mix with an object is dynamic: the number stays a number.
	assert.Equal(t, []Value{NewDynamic("1"), NewDynamic(`{"a":1}`), Null(Dynamic)}, col(t, tb, "obj"))
	// A string holding JSON stays a string without a schema.
	assert.Equal(t, []Value{NewString(`{"a":1}`), NewString("[1]"), NewString("")}, col(t, tb, "js"))
	// Empty strings in a datetime column are nulls.
	assert.Equal(t, []Value{Null(DateTime), ts(t, "2024-05-06T07:08:00Z"), Null(DateTime)}, col(t, tb, "gap"))
}

func TestLoadBigIntegersAndTicks(t *testing.T) {
	text := `{"id": 9007199254740993, "max": 9223372036854775807, "big": 9223372036854775808, ` +
		`"t": "2025-11-03T04:05:06.1234567Z", "t9": "2025-11-03T04:05:06.123456789Z"}`
	tb := load(t, "x.ndjson", text, LoadOptions{})
	assert.Equal(t, "(id:long, max:long, big:real, t:datetime, t9:datetime)", tb.Schema.String())
	assert.Equal(t, int64(9007199254740993), col(t, tb, "id")[0].Int64())
	assert.Equal(t, int64(9223372036854775807), col(t, tb, "max")[0].Int64())
	assert.Equal(t, 9223372036854775808.0, col(t, tb, "big")[0].Float())
	want := int64(1762142706)*Second + 1234567
	assert.Equal(t, want, col(t, tb, "t")[0].Int64())
	assert.Equal(t, want, col(t, tb, "t9")[0].Int64(), "digits past 100 ns are truncated")
	assert.Equal(t, "2025-11-03T04:05:06.1234567Z", col(t, tb, "t")[0].String())

	withSchema := load(t, "x.ndjson", text, LoadOptions{Schema: Schema{{"id", Long}, {"t", DateTime}}})
	assert.Equal(t, int64(9007199254740993), col(t, withSchema, "id")[0].Int64())
	assert.Equal(t, want, col(t, withSchema, "t")[0].Int64())
}

// The same table in the three formats loads to the same values.
func TestLoadFormatsAgree(t *testing.T) {
	rows := []string{
		`{"Name":"a, \"quoted\"","Count":3,"Ratio":0.25,"Ok":true,"When":"2024-02-29T23:59:59.9999999Z"}`,
		`{"Name":"line\nbreak","Count":-4,"Ratio":1e3,"Ok":false,"When":"2024-03-01T00:00:00Z"}`,
	}
	csvText := "Name,Count,Ratio,Ok,When\r\n" +
		"\"a, \"\"quoted\"\"\",3,0.25,true,2024-02-29T23:59:59.9999999Z\r\n" +
		"\"line\nbreak\",-4,1e3,false,2024-03-01T00:00:00Z\r\n"
	want := [][]Value{
		{NewString(`a, "quoted"`), NewLong(3), NewReal(0.25), NewBool(true), ts(t, "2024-02-29T23:59:59.9999999Z")},
		{NewString("line\nbreak"), NewLong(-4), NewReal(1000), NewBool(false), ts(t, "2024-03-01T00:00:00Z")},
	}
	inputs := map[string]string{
		"t.json":   "[" + strings.Join(rows, ",\n") + "]",
		"t.ndjson": strings.Join(rows, "\n") + "\n",
		"t.jsonl":  strings.Join(rows, "\r\n"),
		"t.csv":    csvText,
	}
	for path, text := range inputs {
		t.Run(path, func(t *testing.T) {
			tb := load(t, path, text, LoadOptions{})
			assert.Equal(t, "(Name:string, Count:long, Ratio:real, Ok:bool, When:datetime)", tb.Schema.String())
			require.Equal(t, len(want), tb.Rows())
			for r := range want {
				assert.Equal(t, want[r], tb.Row(r), "row %d", r)
			}
		})
	}
}

func TestLoadWithSchema(t *testing.T) {
	schema := Schema{
		{"When", DateTime}, {"Id", GUID}, {"N", Int}, {"L", Long}, {"R", Real}, {"D", Decimal},
		{"B", Bool}, {"Span", Timespan}, {"S", String}, {"Dyn", Dynamic}, {"Absent", Long},
	}
	text := `{"When":"2024-01-02 03:04:05","Id":"{0F8FAD5B-D9CB-469F-A165-70867728950E}","N":"42",` +
		`"L":7,"R":"2.5","D":1.25,"B":"True","Span":"1.02:03:04","S":12.50,"Dyn":"plain","Extra":[1]}` + "\n" +
		`{"When":"2024-01-02T03:04:05Z","Id":null,"N":-3,"L":"","R":3,"D":"","B":1,"Span":"", ` +
		`"S":{"k": "v"},"Dyn":5,"Extra":"x"}`
	tb := load(t, "x.ndjson", text, LoadOptions{Schema: schema})
	assert.Equal(t, "(When:datetime, Id:guid, N:int, L:long, R:real, D:decimal, B:bool, Span:timespan, "+
		"S:string, Dyn:dynamic, Absent:long, Extra:dynamic)", tb.Schema.String())
	assert.Equal(t, []Value{
		ts(t, "2024-01-02T03:04:05Z"), NewGUID("0f8fad5b-d9cb-469f-a165-70867728950e"), NewInt(42),
		NewLong(7), NewReal(2.5), NewDecimal(1.25), NewBool(true), NewTimespan(Day + 2*Hour + 3*Minute + 4*Second),
		NewString("12.50"), NewDynamic(`"plain"`), Null(Long), NewDynamic("[1]"),
	}, tb.Row(0))
	assert.Equal(t, []Value{
		ts(t, "2024-01-02T03:04:05Z"), Null(GUID), NewInt(-3), Null(Long), NewReal(3), Null(Decimal),
		NewBool(true), Null(Timespan), NewString(`{"k":"v"}`), NewDynamic("5"), Null(Long), NewDynamic(`"x"`),
	}, tb.Row(1))
}

func TestLoadSchemaMismatch(t *testing.T) {
	schema := Schema{{"Name", String}, {"When", DateTime}}
	msg := loadErr(t, "data/x.ndjson", "{\"Name\":\"a\",\"When\":\"2024-01-01T00:00:00Z\"}\n"+
		"{\"Name\":\"b\", \"When\":\"abc\"}\n", LoadOptions{Schema: schema})
	assert.Equal(t, `data/x.ndjson:2:21: column 'When': cannot read "\"abc\"" as datetime`, msg)

	msg = loadErr(t, "x.json", `[{"N": 1.5}]`, LoadOptions{Schema: Schema{{"N", Long}}})
	assert.Equal(t, `x.json:1:8: column 'N': cannot read "1.5" as long`, msg)
	msg = loadErr(t, "x.json", `[{"N": 3000000000}]`, LoadOptions{Schema: Schema{{"N", Int}}})
	assert.Equal(t, `x.json:1:8: column 'N': cannot read "3000000000" as int`, msg)
	msg = loadErr(t, "x.json", `[{"G": "not-a-guid"}]`, LoadOptions{Schema: Schema{{"G", GUID}}})
	assert.Equal(t, `x.json:1:8: column 'G': cannot read "\"not-a-guid\"" as guid`, msg)
	msg = loadErr(t, "x.csv", "A,When\n1,2024-01-01\n2,tomorrow\n", LoadOptions{Schema: schema})
	assert.Equal(t, `x.csv:3:3: column 'When': cannot read "tomorrow" as datetime`, msg)
}

// Exports store dynamic values as JSON text inside strings; ingestion parses
// them, so both forms give identical values.
func TestLoadDynamicStorageForms(t *testing.T) {
	schema := Schema{{"D", Dynamic}}
	nested := `[{"D": {"a": [1, 2.0, "x"], "b": {"c": null}}}, {"D": [ ]}, {"D": "word"}, {"D": 7}, {"D": null}]`
	quoted := `[{"D": "{\"a\": [1, 2.0, \"x\"],\n \"b\":{\"c\":null}}"}, {"D": "[]"}, {"D": "word"}, {"D": "7"},` +
		` {"D": ""}]`
	csvText := "D\n\"{\"\"a\"\":[1,2.0,\"\"x\"\"],\"\"b\"\":{\"\"c\"\":null}}\"\n[]\nword\n7\n\n"
	a := col(t, load(t, "a.json", nested, LoadOptions{Schema: schema}), "D")
	b := col(t, load(t, "b.json", quoted, LoadOptions{Schema: schema}), "D")
	c := col(t, load(t, "c.csv", csvText, LoadOptions{Schema: schema}), "D")
	want := []Value{
		NewDynamic(`{"a":[1,2.0,"x"],"b":{"c":null}}`), NewDynamic("[]"), NewDynamic(`"word"`),
		NewDynamic("7"), Null(Dynamic),
	}
	assert.Equal(t, want, a)
	assert.Equal(t, want, b)
	// The CSV's blank last line is no record, so it has one row fewer.
	assert.Equal(t, want[:4], c)
	assert.Equal(t, "x", a[0].Member("a").Index(2).String())
}

func TestLoadMissingKeysAndColumnOrder(t *testing.T) {
	tb := load(t, "x.ndjson", `{"a":1}`+"\n\n   \n"+`{"b":"x","a":2}`+"\n"+`{"c":true}`+"\n", LoadOptions{})
	assert.Equal(t, "(a:long, b:string, c:bool)", tb.Schema.String())
	assert.Equal(t, [][]Value{
		{NewLong(1), NewString(""), Null(Bool)},
		{NewLong(2), NewString("x"), Null(Bool)},
		{Null(Long), NewString(""), NewBool(true)},
	}, [][]Value{tb.Row(0), tb.Row(1), tb.Row(2)})
}

func TestLoadDuplicateKeyFirstWins(t *testing.T) {
	tb := load(t, "x.ndjson", `{"a":1,"a":2,"b":3}`, LoadOptions{})
	assert.Equal(t, []Value{NewLong(1), NewLong(3)}, tb.Row(0))
}

func TestLoadEscapes(t *testing.T) {
	tb := load(t, "x.ndjson", `{"s":"tab\tq\"b\\s\/ \u00e9 \ud83d\ude00 \ud800x","k\u0031":1}`, LoadOptions{})
	assert.Equal(t, "(s:string, k1:long)", tb.Schema.String())
	assert.Equal(t, "tab\tq\"b\\s/ é 😀 \uFFFDx", col(t, tb, "s")[0].Str())
}

func TestLoadProjection(t *testing.T) {
	text := `{"a":1,"b":"x","c":{"big":[1,2,3]},"d":"2024-01-01T00:00:00Z"}` + "\n" + `{"a":2,"b":"y"}`
	tb := load(t, "x.ndjson", text, LoadOptions{Columns: []string{"d", "a", "zz"}})
	assert.Equal(t, "(d:datetime, a:long, zz:string)", tb.Schema.String())
	assert.Equal(t, []Value{ts(t, "2024-01-01T00:00:00Z"), NewLong(1), NewString("")}, tb.Row(0))
	assert.Equal(t, []Value{Null(DateTime), NewLong(2), NewString("")}, tb.Row(1))

	typed := load(t, "x.ndjson", text, LoadOptions{Columns: []string{"b", "zz"}, Schema: Schema{{"zz", Long}}})
	assert.Equal(t, "(b:string, zz:long)", typed.Schema.String())
	assert.Equal(t, []Value{NewString("y"), Null(Long)}, typed.Row(1))

	csv := load(t, "x.csv", "a,b,c\n1,x,2024-01-01T00:00:00Z\n", LoadOptions{Columns: []string{"c", "a"}})
	assert.Equal(t, "(c:datetime, a:long)", csv.Schema.String())
	assert.Equal(t, []Value{ts(t, "2024-01-01T00:00:00Z"), NewLong(1)}, csv.Row(0))
}

func TestLoadEmpty(t *testing.T) {
	schema := Schema{{"a", Long}, {"b", String}}
	for _, c := range []struct{ path, text string }{
		{"e.json", ""}, {"e.json", " \n"}, {"e.json", "[]"}, {"e.json", "[ \n ]\n"},
		{"e.ndjson", ""}, {"e.ndjson", "\n\n"}, {"e.csv", ""}, {"e", ""},
	} {
		tb := load(t, c.path, c.text, LoadOptions{})
		assert.Equal(t, 0, tb.Rows(), "%s %q", c.path, c.text)
		assert.Empty(t, tb.Schema, "%s %q", c.path, c.text)
		tb = load(t, c.path, c.text, LoadOptions{Schema: schema})
		assert.Equal(t, 0, tb.Rows())
		assert.Equal(t, schema, tb.Schema, "%s %q", c.path, c.text)
	}
	header := load(t, "h.csv", "x,y\n", LoadOptions{})
	assert.Equal(t, "(x:string, y:string)", header.Schema.String())
	assert.Equal(t, 0, header.Rows())
	// Objects without keys are rows without columns.
	keyless := load(t, "k.ndjson", "{}\n{ }\n", LoadOptions{})
	assert.Equal(t, 2, keyless.Rows())
	assert.Empty(t, keyless.Schema)
}

func TestLoadBOM(t *testing.T) {
	bom := "\xef\xbb\xbf"
	for path, text := range map[string]string{
		"b.json": bom + `[{"a":1}]`, "b.ndjson": bom + `{"a":1}`, "b.csv": bom + "a\n1\n", "b": bom + `{"a":1}`,
	} {
		tb := load(t, path, text, LoadOptions{})
		assert.Equal(t, "(a:long)", tb.Schema.String(), path)
		assert.Equal(t, []Value{NewLong(1)}, tb.Row(0), path)
	}
}

func TestLoadSniffing(t *testing.T) {
	// A .json file holding NDJSON, a file without extension, and an object
	// printed over several lines.
	assert.Equal(t, 2, load(t, "x.json", "{\"a\":1}\n{\"a\":2}\n", LoadOptions{}).Rows())
	assert.Equal(t, 1, load(t, "noext", `[{"a":1}]`, LoadOptions{}).Rows())
	assert.Equal(t, "(a:long, b:string)", load(t, "noext", "a,b\n1,x\n", LoadOptions{}).Schema.String())
	multi := load(t, "x.json", "{\n  \"a\": 1,\n  \"b\": [1,\n 2]\n}\n", LoadOptions{})
	assert.Equal(t, []Value{NewLong(1), NewDynamic("[1,2]")}, multi.Row(0))
	// An explicit format wins over the extension.
	assert.Equal(t, "(x:long)", load(t, "x.txt", "x\n5\n", LoadOptions{Format: "csv"}).Schema.String())
	assert.Contains(t, loadErr(t, "x.txt", "", LoadOptions{Format: "xml"}), `unknown format "xml"`)
}

func TestLoadJSONErrors(t *testing.T) {
	cases := []struct{ path, text, want string }{
		{"t.json", "[\n{\"a\":1},\n{\"a\":2", "t.json:3:7: unexpected end of input: the array element starting at line 3 is not closed"},
		{"t.json", "[\n{\"a\":1},\n", "t.json:3:1: unexpected end of input: the array opened at line 1 is not closed"},
		{"t.json", `[{"a":1} {"a":2}]`, `t.json:1:10: expected ',' or ']' after an array element, found "{\"a\":2}]"`},
		{"t.json", `[{"a":1}] x`, `t.json:1:11: unexpected "x" after the JSON array`},
		{"t.json", "[\n{\"a\":tru}]", "t.json:2:9: invalid character '}' in literal true (expecting 'e')"},
		{"t.json", `[1]`, `t.json:1:2: expected a JSON object, found "1"`},
		{"t.ndjson", "{\"a\":1}\n\n{\"a\":}\n{\"a\":3}", "t.ndjson:3:6: invalid character '}' looking for beginning of value"},
		{"t.ndjson", "{\"a\":1}\n{\"a\":1", "t.ndjson:2:7: unexpected end of JSON input"},
		{"t.ndjson", "{\"a\":1}\n{\"a\":1}}", "t.ndjson:2:8: invalid character '}' after top-level value"},
		{"t.ndjson", "{\"a\":\"x\\q\"}", `t.ndjson:1:9: invalid character 'q' in string escape code`},
		{"t.ndjson", "[1,2]", `t.ndjson:1:1: expected a JSON object, found "[1,2]"`},
		{"t.ndjson", "{\"a\":01}", `t.ndjson:1:7: invalid character '1' after object key:value pair`},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, loadErr(t, c.path, c.text, LoadOptions{}), "%q", c.text)
	}
}

func TestLoadCSV(t *testing.T) {
	tb := load(t, "c.csv", "id,zip,flag,when,note\n"+
		"1,02134,True,2024-01-01T00:00:00Z,\"multi\nline, with comma\"\n"+
		",10001,false,,\n", LoadOptions{})
	assert.Equal(t, "(id:long, zip:string, flag:bool, when:datetime, note:string)", tb.Schema.String())
	assert.Equal(t, []Value{NewLong(1), NewString("02134"), NewBool(true), ts(t, "2024-01-01T00:00:00Z"),
		NewString("multi\nline, with comma")}, tb.Row(0))
	assert.Equal(t, []Value{Null(Long), NewString("10001"), NewBool(false), Null(DateTime), NewString("")},
		tb.Row(1))

	nums := load(t, "n.csv", "a,b,c\n1,1.5,NaN\n2,-3,x\n", LoadOptions{})
	assert.Equal(t, "(a:long, b:real, c:string)", nums.Schema.String())

	assert.Equal(t, "c.csv:3: the record has 3 fields but the header has 2",
		loadErr(t, "c.csv", "a,b\n1,2\n1,2,3\n4,5\n", LoadOptions{}))
	assert.Equal(t, "c.csv:4: the record has 1 fields but the header has 2",
		loadErr(t, "c.csv", "a,b\n\"x\ny\",2\n1\n", LoadOptions{}))
	assert.Equal(t, "c.csv:1:5: duplicate column name 'a' in the header",
		loadErr(t, "c.csv", "a,b,a\n1,2,3\n", LoadOptions{}))
	assert.Equal(t, `c.csv:2:4: bare " in non-quoted-field`,
		loadErr(t, "c.csv", "a,b\n1,x\"y\n", LoadOptions{}))
	assert.Equal(t, "c.csv:1:3: header field 2 has no column name",
		loadErr(t, "c.csv", "a,,b\n", LoadOptions{}))
}

func TestDataErrorText(t *testing.T) {
	assert.Equal(t, "f:3:4: m", (&DataError{Path: "f", Line: 3, Col: 4, Msg: "m"}).Error())
	assert.Equal(t, "f:3: m", (&DataError{Path: "f", Line: 3, Msg: "m"}).Error())
	assert.Equal(t, "f: m", (&DataError{Path: "f", Msg: "m"}).Error())
}

func TestTableName(t *testing.T) {
	for path, want := range map[string]string{
		"AIAgentsInfo.ndjson": "AIAgentsInfo", "dir/x.json.gz": "x", "a.b.csv": "a.b", "plain": "plain",
	} {
		assert.Equal(t, want, TableName(path), path)
	}
}

// Many small chunks, with keys and kinds that first appear in late chunks,
// must give the table one chunk gives.
func TestLoadParallelChunksMerge(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		switch {
		case i == 2500:
			fmt.Fprintf(&b, `{"late":"x","n":%d.5,"id":%d}`+"\n", i, i)
		case i%7 == 0:
			fmt.Fprintf(&b, `{"id":%d,"t":"2024-01-01T00:00:%02dZ"}`+"\n", i, i%60)
		default:
			fmt.Fprintf(&b, `{"n":%d,"id":%d,"s":"row %d"}`+"\n", i, i, i)
		}
	}
	text := b.String()
	one := load(t, "x.ndjson", text, LoadOptions{})
	defer func(old int) { minChunk = old }(minChunk)
	minChunk = 512
	many := load(t, "x.ndjson", text, LoadOptions{})
	arr := load(t, "x.json", "["+strings.ReplaceAll(strings.TrimSpace(text), "\n", ",\n")+"]", LoadOptions{})
	assert.Equal(t, "(id:long, t:datetime, n:real, s:string, late:string)", many.Schema.String())
	assert.Equal(t, one.Schema, many.Schema)
	assert.Equal(t, one.Schema, arr.Schema)
	require.Equal(t, 3000, many.Rows())
	for r := 0; r < 3000; r++ {
		require.Equal(t, one.Row(r), many.Row(r), "row %d", r)
		require.Equal(t, one.Row(r), arr.Row(r), "row %d", r)
	}
	assert.Equal(t, []Value{NewLong(2500), Null(DateTime), NewReal(2500.5), NewString(""), NewString("x")},
		many.Row(2500))
	assert.Equal(t, []Value{NewLong(7), ts(t, "2024-01-01T00:00:07Z"), Null(Real), NewString(""), NewString("")},
		many.Row(7))

	// The first error in the file is reported whichever chunk fails first.
	bad := strings.Replace(text, `"id":2999}`, `"id":}`, 1)
	bad = strings.Replace(bad, `"id":1000,`, `"id":1000,,`, 1)
	assert.Equal(t, "x.ndjson:1001:21: invalid character ',' looking for beginning of object key string",
		loadErr(t, "x.ndjson", bad, LoadOptions{}))
}

func TestLoadGzipAndDir(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write([]byte(`{"a":1}` + "\n"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "A.ndjson.gz"), gz.Bytes(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "B.csv"), []byte("x\n1\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("skip me"), 0o644))
	tabs, err := LoadDir(dir, map[string]Schema{"B": {{"x", String}}})
	require.NoError(t, err)
	require.Len(t, tabs, 2)
	assert.Equal(t, "A", tabs[0].Name)
	assert.Equal(t, []Value{NewLong(1)}, tabs[0].Row(0))
	assert.Equal(t, "B", tabs[1].Name)
	assert.Equal(t, []Value{NewString("1")}, tabs[1].Row(0))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "B.json"), []byte("[]"), 0o644))
	_, err = LoadDir(dir, nil)
	require.Error(t, err)
	assert.Equal(t, filepath.Join(dir, "B.json")+": table B is also defined by "+filepath.Join(dir, "B.csv"),
		err.Error())
}

func TestParseISO(t *testing.T) {
	good := map[string]string{
		"2024-01-02T03:04":                  "2024-01-02T03:04:00Z",
		"2024-01-02T03:04:05":               "2024-01-02T03:04:05Z",
		"2024-02-29T03:04:05.5Z":            "2024-02-29T03:04:05.5Z",
		"2024-01-02T03:04:05-0130":          "2024-01-02T04:34:05Z",
		"2024-01-02T03:04+02":               "2024-01-02T01:04:00Z",
		"1969-12-31T23:59:59.9999999Z":      "1969-12-31T23:59:59.9999999Z",
		"0001-01-01T00:00:00Z":              "0001-01-01T00:00:00Z",
		"2025-11-03T04:05:06.1234567890123": "2025-11-03T04:05:06.1234567Z",
	}
	for in, want := range good {
		ticks, ok := parseISO(in)
		require.True(t, ok, in)
		wantTicks, ok := ParseDateTime(want)
		require.True(t, ok, want)
		assert.Equal(t, wantTicks, ticks, in)
	}
	for _, bad := range []string{"2024-01-02", "1/2/2020", "12345", "2023-02-29T00:00", "2024-01-02T24:00",
		"2024-01-02T03:04:05.", "2024-01-02T03:04:5", "2024-01-02 03:04", "2024-01-02T03:04Zx", "2024-13-01T00:00"} {
		_, ok := parseISO(bad)
		assert.False(t, ok, bad)
	}
}

func TestCompactJSON(t *testing.T) {
	assert.Equal(t, `{"a":[1,2],"b":"x y\" z"}`, compactJSON("{ \"a\" : [1,\n 2],\t\"b\": \"x y\\\" z\" }"))
	s := `{"a":1}`
	assert.Equal(t, s, compactJSON(s))
}

// Row counts of the generator's files survive loading.
func TestLoadGeneratedRowCounts(t *testing.T) {
	dir := generated(t)
	for file, rows := range map[string]int{
		"AIAgentsInfo.ndjson": 60000, "IdentityInfo.ndjson": 10000, "AIAgentsInfo.json": 6000, "IdentityInfo.json": 1000,
	} {
		path := filepath.Join(dir, file)
		tb, err := LoadFile(path, LoadOptions{})
		require.NoError(t, err)
		checkShape(t, tb)
		assert.Equal(t, rows, tb.Rows(), file)
		if strings.HasPrefix(file, "AIAgentsInfo") {
			assert.Equal(t, 24, len(tb.Schema))
			assert.Equal(t, DateTime, tb.Schema[tb.Schema.Index("Timestamp")].Type)
			assert.Equal(t, Bool, tb.Schema[tb.Schema.Index("IsGenerativeOrchestrationEnabled")].Type)
		}
	}
	// With the published schema the detail columns are parsed into dynamic
	// values equal to what todynamic() gives for the inferred string column.
	schema := aiAgentsSchema(t)
	path := filepath.Join(dir, "AIAgentsInfo.json")
	typed, err := LoadFile(path, LoadOptions{Schema: schema})
	require.NoError(t, err)
	plain, err := LoadFile(path, LoadOptions{})
	require.NoError(t, err)
	require.Equal(t, plain.Rows(), typed.Rows())
	tools := col(t, typed, "AgentToolsDetails")
	text := col(t, plain, "AgentToolsDetails")
	for r := range tools {
		require.Equal(t, ParseJSON(text[r].Str()), tools[r], "row %d", r)
	}
}

func TestReadSharedSchemas(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "schemas")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("skipping: ../../shared/schemas is absent")
	}
	all, err := ReadSchemaDir(dir)
	require.NoError(t, err)
	for _, name := range []string{"AIAgentsInfo", "AgentsInfo", "CloudAppEvents", "IdentityInfo"} {
		require.Contains(t, all, name)
		assert.NotEmpty(t, all[name])
	}
	s := all["AIAgentsInfo"]
	assert.Equal(t, Field{"Timestamp", DateTime}, s[0])
	assert.Equal(t, GUID, s[s.Index("AIAgentId")].Type)
	assert.Equal(t, Dynamic, s[s.Index("AgentToolsDetails")].Type)
}

func TestReadSchemaFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	name, s, err := ReadSchemaFile(write("T.json", `{"columns":[{"name":"a","type":"Int64"},{"name":"b","type":"double"}]}`))
	require.NoError(t, err)
	assert.Equal(t, "T", name)
	assert.Equal(t, Schema{{"a", Long}, {"b", Real}}, s)

	p := write("u.json", `{"name":"U","columns":[{"name":"a","type":"text"}]}`)
	_, _, err = ReadSchemaFile(p)
	assert.EqualError(t, err, p+": column 'a': unknown type 'text'")
	p = write("v.json", "{\"name\":\"V\",\n\"columns\":[}")
	_, _, err = ReadSchemaFile(p)
	assert.EqualError(t, err, p+":2:12: invalid character '}' looking for beginning of value")
	p = write("w.json", `{"name":"W","columns":[{"name":"a","type":"long"},{"name":"a","type":"long"}]}`)
	_, _, err = ReadSchemaFile(p)
	assert.EqualError(t, err, p+": column 'a' is declared twice")
}
