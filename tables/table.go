package tables

import (
	"strings"
	"unsafe"
)

// Field names and types one column of a table.
type Field struct {
	Name string
	Type Type
}

// Schema is the ordered list of a table's columns.
type Schema []Field

// Index returns the position of the column with exactly this name, or -1.
// KQL column names are case-sensitive.
func (s Schema) Index(name string) int {
	for i, f := range s {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Names returns the column names in order.
func (s Schema) Names() []string {
	out := make([]string, len(s))
	for i, f := range s {
		out[i] = f.Name
	}
	return out
}

// String prints the schema as KQL writes one: (a:long, b:string).
func (s Schema) String() string {
	var b strings.Builder
	b.WriteByte('(')
	for i, f := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.Name)
		b.WriteByte(':')
		b.WriteString(f.Type.String())
	}
	b.WriteByte(')')
	return b.String()
}

// Table is a named set of equally long typed columns.
type Table struct {
	Name    string
	Schema  Schema
	Columns []*Column
	rows    int
}

// NewTable returns a table over the given columns, which must all have the
// same length and the types the schema gives.
func NewTable(name string, schema Schema, cols []*Column) *Table {
	rows := 0
	if len(cols) > 0 {
		rows = cols[0].Len()
	}
	return &Table{Name: name, Schema: schema, Columns: cols, rows: rows}
}

// Empty returns a table with the schema and no rows.
func Empty(name string, schema Schema) *Table {
	cols := make([]*Column, len(schema))
	for i, f := range schema {
		cols[i] = NewColumn(f.Type, 0)
	}
	return NewTable(name, schema, cols)
}

// Rows returns the number of rows.
func (t *Table) Rows() int { return t.rows }

// SetRows sets the row count of a table that has no columns (a result of
// `project` with nothing to project still has rows in Kusto's model).
func (t *Table) SetRows(n int) {
	if len(t.Columns) == 0 {
		t.rows = n
	}
}

// Row returns row i as values in column order.
func (t *Table) Row(i int) []Value {
	out := make([]Value, len(t.Columns))
	for c, col := range t.Columns {
		out[c] = col.Value(i)
	}
	return out
}

// Take returns the rows idx of t, in that order (see Column.Take). Columns
// that become views of the same rows share one slice of row numbers.
func (t *Table) Take(idx []int) *Table {
	cols := make([]*Column, len(t.Columns))
	shared := map[*int32][]int32{} // a view's rows -> those rows composed with idx
	var identity []int32           // idx itself, for bases
	for i, c := range t.Columns {
		if !c.viewable(len(idx)) {
			cols[i] = c.Take(idx)
			continue
		}
		base, rows := c.viewBase()
		if rows == nil {
			if identity == nil {
				identity = composeRows(nil, idx)
			}
			cols[i] = view(base, identity)
			continue
		}
		key := unsafe.SliceData(rows)
		composed, ok := shared[key]
		if !ok {
			composed = composeRows(rows, idx)
			shared[key] = composed
		}
		cols[i] = view(base, composed)
	}
	out := NewTable(t.Name, t.Schema, cols)
	out.rows = len(idx)
	return out
}
