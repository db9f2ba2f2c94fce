package kqltest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/kql-offline/kql/tables"
)

func TestUnquoteTimes(t *testing.T) {
	for in, want := range map[string]string{
		"- {A: '2025-01-01T00:00:00Z', B: 1}\n":   "- {A: 2025-01-01T00:00:00Z, B: 1}\n",
		"- {A: '2025-01-01T00:00:00.5Z'}\n":       "- {A: 2025-01-01T00:00:00.5Z}\n",
		"- ['2025-01-01T00:00:00Z']\n":            "- [2025-01-01T00:00:00Z]\n",
		"- {A: 'x ''2025-01-01T00:00:00Z'' y'}\n": "- {A: 'x ''2025-01-01T00:00:00Z'' y'}\n",
		"- {A: '2025-01-01'}\n":                   "- {A: '2025-01-01'}\n",
		// Typed column names in a flow list read back the same plain.
		"columns: ['K:string', 'N:long', 'T:datetime']\n": "columns: [K:string, N:long, T:datetime]\n",
		"columns: ['odd name:string']\n":                  "columns: ['odd name:string']\n",
	} {
		assert.Equal(t, want, string(unquoteTimes([]byte(in))), in)
	}
}

// TestValueNodesReadBack writes a cell of every type as --update does and
// checks that the text reads back as an expectation the cell matches.
func TestValueNodesReadBack(t *testing.T) {
	rows := `[{"b": true, "l": 9007199254740993, "r": 0.1, "s": "12", "e": "", "n": "null",
		"d": "2025-01-02T03:04:05.1234567Z", "g": "0F8FAD5B-D9CB-469F-A165-70867728950E",
		"bag": {"k": [1, "two", null]}, "ts": "01:02:03", "q": "a: b # c"}]`
	opts := tables.LoadOptions{Format: "json", Schema: tables.Schema{
		{Name: "g", Type: tables.GUID}, {Name: "ts", Type: tables.Timespan}}}
	tb, err := tables.Load(strings.NewReader(rows), "t.json", opts)
	require.NoError(t, err)

	row := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for c, f := range tb.Schema {
		mapSet(row, f.Name, valueNode(tb.Columns[c].Value(0)))
	}
	text, err := encodeField(scalarNode("!!str", "row"), row, 0)
	require.NoError(t, err)

	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(text, &doc), string(text))
	back, err := decodeNode(mapGet(doc.Content[0], "row"))
	require.NoError(t, err)
	cells := back.(map[string]any)
	for c, f := range tb.Schema {
		assert.True(t, tables.MatchJSON(tb.Columns[c].Value(0), cells[f.Name]),
			"%s: %v from %s", f.Name, cells[f.Name], text)
	}
	assert.True(t, bytes.Contains(text, []byte("d: 2025-01-02T03:04:05.1234567Z")), string(text))
}
