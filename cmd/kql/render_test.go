package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

// typesTable builds by hand the table testdata/queries/types.kql describes,
// so that the format goldens are checked without the engine.
func typesTable(t *testing.T) *tables.Table {
	t.Helper()
	dt := func(s string) tables.Value {
		ticks, ok := tables.ParseDateTime(s)
		require.True(t, ok, s)
		return tables.NewDateTime(ticks)
	}
	schema := tables.Schema{
		{Name: "n", Type: tables.Long}, {Name: "s", Type: tables.String},
		{Name: "r", Type: tables.Real}, {Name: "t", Type: tables.DateTime},
		{Name: "ts", Type: tables.Timespan}, {Name: "b", Type: tables.Bool},
		{Name: "d", Type: tables.Dynamic},
	}
	rows := [][]tables.Value{
		{tables.NewLong(1), tables.NewString("alpha"), tables.NewReal(2.5),
			dt("2025-11-03 10:00:00"), tables.NewTimespan(tables.Hour), tables.NewBool(true),
			tables.NewDynamic(`{"k": [1, 2]}`)},
		{tables.Null(tables.Long), tables.NewString(`say "hi", bye`), tables.Null(tables.Real),
			tables.Null(tables.DateTime), tables.Null(tables.Timespan), tables.Null(tables.Bool),
			tables.Null(tables.Dynamic)},
		{tables.NewLong(20), tables.NewString(""), tables.NewReal(0.125),
			dt("2025-11-03 10:00:00.5"), tables.NewTimespan(1500 * tables.Millisecond),
			tables.NewBool(false), tables.NewDynamic(`"text"`)},
	}
	return buildTable(schema, rows)
}

func buildTable(schema tables.Schema, rows [][]tables.Value) *tables.Table {
	cols := make([]*tables.Column, len(schema))
	for c, f := range schema {
		cols[c] = tables.NewColumn(f.Type, len(rows))
		for _, row := range rows {
			cols[c].Append(row[c])
		}
	}
	return tables.NewTable("t", schema, cols)
}

// goldenStdout returns the stdout section of a golden file.
func goldenStdout(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden", name+".txt"))
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(data), "-- stdout --\n")
	require.True(t, ok)
	out, _, ok := strings.Cut(rest, "-- stderr --\n")
	require.True(t, ok)
	return out
}

func TestFormatsMatchGoldens(t *testing.T) {
	tab := typesTable(t)
	for _, c := range []struct {
		golden string
		format format
	}{
		{"format_table", formatTable},
		{"format_json", formatJSON},
		{"format_jsonl", formatJSONL},
		{"format_csv", formatCSV},
	} {
		t.Run(c.golden, func(t *testing.T) {
			var b bytes.Buffer
			w := newResultWriter(&b, c.format, false, 0)
			require.NoError(t, w.result("q", "", tab))
			require.NoError(t, w.finish())
			assert.Equal(t, goldenStdout(t, c.golden), b.String())
		})
	}
}

func TestJSONValues(t *testing.T) {
	cases := []struct {
		v    tables.Value
		want string
	}{
		{tables.NewInt(-3), `-3`},
		{tables.NewReal(1e20), `1E+20`},
		{tables.NewDecimal(0.1), `0.1`},
		{tables.NewGUID("0a1b2c3d-0000-4000-8000-00000000000f"), `"0a1b2c3d-0000-4000-8000-00000000000f"`},
		{tables.NewDateTime(0), `"1970-01-01T00:00:00Z"`},
		{tables.NewDateTime(1), `"1970-01-01T00:00:00.0000001Z"`},
		{tables.NewTimespan(-tables.Day - tables.Second), `"-1.00:00:01"`},
		{tables.NewString("a\nb\u0001"), `"a\nb\u0001"`},
		{tables.NewDynamic("[1,\n  {\"a\": null}]"), `[1,{"a":null}]`},
		{tables.Null(tables.GUID), `null`},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, string(appendJSONValue(nil, c.v)), "%v", c.v)
	}
}

func TestTextTableTruncatesOnlyOnATerminal(t *testing.T) {
	long := strings.Repeat("x", 60)
	tab := buildTable(tables.Schema{{Name: "id", Type: tables.Long}, {Name: "text", Type: tables.String}},
		[][]tables.Value{{tables.NewLong(7), tables.NewString(long)}})

	var file bytes.Buffer
	writeText(&file, tab, 0)
	assert.Equal(t, "id  text\n--  "+strings.Repeat("-", 60)+"\n 7  "+long+"\n", file.String())

	var term bytes.Buffer
	writeText(&term, tab, 30)
	assert.Equal(t, "id  text\n--  "+strings.Repeat("-", 26)+"\n 7  "+strings.Repeat("x", 25)+"…\n",
		term.String())
	for _, line := range strings.Split(strings.TrimSuffix(term.String(), "\n"), "\n") {
		assert.LessOrEqual(t, textWidth(line), 30, line)
	}
}

func TestTextTableAlignsWideRunesAndEscapesControls(t *testing.T) {
	tab := buildTable(tables.Schema{{Name: "name", Type: tables.String}, {Name: "n", Type: tables.Int}},
		[][]tables.Value{
			{tables.NewString("東京"), tables.NewInt(1)},
			{tables.NewString("a\tb\nc"), tables.NewInt(22)},
		})
	var b bytes.Buffer
	writeText(&b, tab, 0)
	assert.Equal(t, ""+
		"name      n\n"+
		"-------  --\n"+
		"東京      1\n"+
		"a\\tb\\nc  22\n", b.String())
}

func TestTextTableWithoutColumnsPrintsNothing(t *testing.T) {
	var b bytes.Buffer
	writeText(&b, tables.NewTable("t", nil, nil), 0)
	assert.Empty(t, b.String())
}

func TestParseFormat(t *testing.T) {
	for s, want := range map[string]format{"table": formatTable, "JSON": formatJSON,
		"jsonl": formatJSONL, "ndjson": formatJSONL, "csv": formatCSV} {
		got, err := parseFormat(s)
		require.NoError(t, err)
		assert.Equal(t, want, got, s)
	}
	_, err := parseFormat("xml")
	var ue *usageError
	assert.ErrorAs(t, err, &ue)
}
