package kqltest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// TestParseForms reads the three layouts of a case file.
func TestParseForms(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"one mapping", "name: a\nquery: T\nexpect: {count: 1}\n", []string{"a"}},
		{"a list", "- name: a\n  query: T\n- name: b\n  query: T\n", []string{"a", "b"}},
		{"documents", "name: a\nquery: T\n---\nname: b\nquery: T\n---\n- name: c\n  query: T\n",
			[]string{"a", "b", "c"}},
		{"unnamed", "- query: T\n- query: U\n", []string{"x.kqltest.yaml#1", "x.kqltest.yaml#2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseFile("x.kqltest.yaml", []byte(tc.text))
			require.NoError(t, err)
			var names []string
			for _, c := range f.Cases {
				require.NoError(t, c.Err)
				names = append(names, c.Name)
			}
			assert.Equal(t, tc.want, names)
		})
	}
}

// TestParseFields reads every field of a case.
func TestParseFields(t *testing.T) {
	text := `name: all fields
query_file: q.kql
now: 2025-11-10T00:00:00Z
data: [d1, d2]
schema: schemas
tables:
  A: a.json
  B: [{x: 1}]
  C: {columns: {x: long}, rows: [{x: 1}]}
ignore_columns: [Z]
expect:
  ordered: true
  count: 2
  columns: [x, "y:string", {z: real}]
  rows: [{x: 1, y: 0x10, z: 2025-01-01}]
  ignore_columns: [W]
`
	f, err := ParseFile("x.kqltest.yaml", []byte(text))
	require.NoError(t, err)
	c := f.Cases[0]
	require.NoError(t, c.Err)
	assert.Equal(t, "q.kql", c.QueryFile)
	assert.Equal(t, "2025-11-10T00:00:00Z", c.Now)
	assert.Equal(t, []string{"d1", "d2"}, c.Data)
	assert.Equal(t, "schemas", c.Schema)
	require.Len(t, c.Tables, 3)
	assert.Equal(t, "a.json", c.Tables[0].Path)
	assert.NotNil(t, c.Tables[1].Rows)
	assert.Equal(t, []Column{{"x", "long"}}, c.Tables[2].Columns)
	e := c.Expect
	assert.True(t, e.Ordered)
	assert.Equal(t, 2, *e.Count)
	assert.Equal(t, []Column{{"x", ""}, {"y", "string"}, {"z", "real"}}, e.Columns)
	assert.Equal(t, []string{"W", "Z"}, e.Ignore)
	require.Len(t, e.Rows, 1)
	assert.Equal(t, []string{"x", "y", "z"}, e.Rows[0].Keys)
	assert.Equal(t, map[string]any{"x": json.Number("1"), "y": json.Number("16"), "z": "2025-01-01"},
		e.Rows[0].Cells)
}

// TestParseErrors checks that a malformed case is an error of that case,
// placed at its line, and a malformed file an error of the file.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"name: a\nexpect: {count: 1}\n", "x.kqltest.yaml:1:1: the case has neither query nor query_file"},
		{"query: T\nquery_file: q.kql\n", "x.kqltest.yaml:1:1: the case has both query and query_file"},
		{"query: T\nexpected: {count: 1}\n", `x.kqltest.yaml:2:1: unknown field "expected" (want name, query, ` +
			`query_file, now, tables, data, schema, expect or ignore_columns)`},
		{"query: T\nexpect: {error: x, count: 1}\n",
			"x.kqltest.yaml:2:9: expect: error cannot be combined with rows, count or columns"},
		{"query: T\nexpect: {count: many}\n", "x.kqltest.yaml:2:17: expect.count: yaml: unmarshal errors:\n" +
			"  line 2: cannot unmarshal !!str `many` into int"},
		{"query: T\nexpect: {rows: [1]}\n", "x.kqltest.yaml:2:17: expect.rows: each row must be a mapping of column to value"},
		{"query: T\ntables: {A: {rows: [], file: a.json}}\n", "x.kqltest.yaml:2:13: table A: want either rows or file"},
		{"query: T\nexpect: {error: {msg: x}}\n", `x.kqltest.yaml:2:18: unknown field "msg" (want message, line or col)`},
	} {
		f, err := ParseFile("x.kqltest.yaml", []byte(tc.text))
		require.NoError(t, err, tc.text)
		require.Error(t, f.Cases[0].Err, tc.text)
		assert.Equal(t, tc.want, f.Cases[0].Err.Error())
	}

	_, err := ParseFile("x.kqltest.yaml", []byte("query: [unclosed\n"))
	assert.ErrorContains(t, err, "x.kqltest.yaml: not valid YAML")
	_, err = ParseFile("x.kqltest.yaml", []byte("# nothing\n"))
	assert.EqualError(t, err, "x.kqltest.yaml: no test cases")
	_, err = ParseFile("x.kqltest.yaml", []byte("just text\n"))
	assert.EqualError(t, err, "x.kqltest.yaml:1: want a case (a mapping) or a list of cases")
}

// TestDecodeScalars checks the values expectations are compared with.
func TestDecodeScalars(t *testing.T) {
	for text, want := range map[string]any{
		"12":                   json.Number("12"),
		"-0x1f":                json.Number("-31"),
		"1.50":                 json.Number("1.5"),
		"1e3":                  json.Number("1000"),
		".nan":                 "NaN",
		"-.inf":                "-Infinity",
		"true":                 true,
		"~":                    nil,
		"null":                 nil,
		"2025-01-02T03:04:05Z": "2025-01-02T03:04:05Z",
		`"12"`:                 "12",
		"yes":                  "yes",
		"{b: 1, a: [x, 2]}":    map[string]any{"a": []any{"x", json.Number("2")}, "b": json.Number("1")},
	} {
		var n yaml.Node
		require.NoError(t, yaml.Unmarshal([]byte(text), &n))
		got, err := decodeNode(&n)
		require.NoError(t, err, text)
		assert.Equal(t, want, got, text)
	}
}

// TestInlineRowsKeepOrder checks that inline rows reach the loader as JSON
// with their keys in the order written.
func TestInlineRowsKeepOrder(t *testing.T) {
	var n yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(`[{z: 1, a: "x", m: {q: [1, 2.5, null, true]}, t: 2025-01-01}]`), &n))
	got, err := appendNodeJSON(nil, &n)
	require.NoError(t, err)
	assert.Equal(t, `[{"z":1,"a":"x","m":{"q":[1,2.5,null,true]},"t":"2025-01-01"}]`, string(got))
}
