package kqltest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

func loadJSON(t *testing.T, text string) *tables.Table {
	t.Helper()
	tb, err := tables.Load(strings.NewReader(text), "t.json", tables.LoadOptions{Format: "json"})
	require.NoError(t, err)
	return tb
}

// TestDiffTables compares two results: a removed row, an added row, a
// changed cell and column changes, and checks the text kql diff prints.
func TestDiffTables(t *testing.T) {
	old := loadJSON(t, `[
		{"User": "alice", "Domain": "gmail.com", "Count": 3, "Gone": 1},
		{"User": "bob", "Domain": "contoso.com", "Count": 1, "Gone": 1},
		{"User": "carol", "Domain": "fabrikam.com", "Count": 2, "Gone": 1},
		{"User": "carol", "Domain": "fabrikam.com", "Count": 2, "Gone": 1}]`)
	new := loadJSON(t, `[
		{"User": "carol", "Domain": "fabrikam.com", "Count": 2.5, "New": "x"},
		{"User": "bob", "Domain": "contoso.com", "Count": 1, "New": "x"},
		{"User": "dave", "Domain": "outlook.com", "Count": 7, "New": "x"},
		{"User": "carol", "Domain": "fabrikam.com", "Count": 2, "New": "x"}]`)
	d := DiffTables(old, new)
	assert.False(t, d.Same())
	var out bytes.Buffer
	d.Write(&out, 0)
	assert.Equal(t, `OLD: 4 rows, NEW: 4 rows; 1 only in OLD, 1 only in NEW, 1 changed
columns only in OLD: Gone
columns only in NEW: New
column Count: type long → real
rows compared over the 3 columns both have
rows only in OLD: 1
  - {"User": "alice", "Domain": "gmail.com", "Count": 3}
rows only in NEW: 1
  + {"User": "dave", "Domain": "outlook.com", "Count": 7}
changed rows: 1
  ~ {"User": "carol", "Domain": "fabrikam.com", …}
      Count: 2 → 2.5
`, out.String())
}

// TestDiffTablesSame checks that row order does not matter, and that a
// column order change alone is a difference.
func TestDiffTablesSame(t *testing.T) {
	a := loadJSON(t, `[{"A": 1, "B": "x"}, {"A": 2, "B": "y"}]`)
	b := loadJSON(t, `[{"A": 2, "B": "y"}, {"A": 1, "B": "x"}]`)
	assert.True(t, DiffTables(a, b).Same())

	c := loadJSON(t, `[{"B": "x", "A": 1}, {"B": "y", "A": 2}]`)
	d := DiffTables(a, c)
	assert.False(t, d.Same())
	var out bytes.Buffer
	d.Write(&out, 0)
	assert.Equal(t, "OLD: 2 rows, NEW: 2 rows; the same rows\ncolumn order: A, B → B, A\n", out.String())
}

// TestDiffLimit checks that a long section is cut with a count of the rest.
func TestDiffLimit(t *testing.T) {
	a := loadJSON(t, `[{"A": 1}, {"A": 2}, {"A": 3}, {"A": 4}]`)
	b := tables.Empty("t", a.Schema)
	var out bytes.Buffer
	DiffTables(a, b).Write(&out, 2)
	assert.Equal(t, `OLD: 4 rows, NEW: 0 rows; 4 only in OLD, 0 only in NEW, 0 changed
rows only in OLD: 4
  - {"A": 1}
  - {"A": 2}
  … and 2 more
`, out.String())
}
