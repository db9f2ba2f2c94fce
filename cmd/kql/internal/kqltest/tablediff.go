package kqltest

import (
	"fmt"
	"io"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// TableDiff is the difference between the results of two versions of a
// query: the columns each has alone, the columns whose type changed, and the
// rows compared over the columns both have.
type TableDiff struct {
	OldRows, NewRows int
	OnlyOld, OnlyNew []string
	TypeChanges      []TypeChange
	// Reordered is set when both have the same columns in another order.
	Reordered bool
	OldOrder  []string
	NewOrder  []string
	Rows      *RowDiff
}

// TypeChange is a column both results have with different types.
type TypeChange struct {
	Name     string
	Old, New tables.Type
}

// DiffTables compares two results. Rows are multisets: order does not
// matter, as it does not in KQL without sort. Two cells are equal when they
// print the same (a type change is reported as such, not on every row).
func DiffTables(old, new *tables.Table) *TableDiff {
	d := &TableDiff{OldRows: old.Rows(), NewRows: new.Rows(),
		OldOrder: old.Schema.Names(), NewOrder: new.Schema.Names()}
	var oldCols, newCols []int
	var common []string
	for i, f := range old.Schema {
		j := new.Schema.Index(f.Name)
		if j < 0 {
			d.OnlyOld = append(d.OnlyOld, f.Name)
			continue
		}
		if g := new.Schema[j]; g.Type != f.Type {
			d.TypeChanges = append(d.TypeChanges, TypeChange{f.Name, f.Type, g.Type})
		}
		oldCols, newCols = append(oldCols, i), append(newCols, j)
		common = append(common, f.Name)
	}
	for _, f := range new.Schema {
		if old.Schema.Index(f.Name) < 0 {
			d.OnlyNew = append(d.OnlyNew, f.Name)
		}
	}
	d.Reordered = len(d.OnlyOld) == 0 && len(d.OnlyNew) == 0 &&
		strings.Join(d.OldOrder, "\x00") != strings.Join(d.NewOrder, "\x00")

	oldSrc := tableSource(old, oldCols)
	newSrc := tableSource(new, newCols)
	d.Rows = compareRows(comparison{
		columns: common,
		left:    oldSrc,
		right:   newSrc,
		equal: func(l, r, c int) bool {
			return oldSrc.text(l, c) == newSrc.text(r, c)
		},
	})
	return d
}

// tableSource shows the columns cols of t, keyed by their JSON text.
func tableSource(t *tables.Table, cols []int) rowSource {
	text := func(r, c int) string { return cellJSON(t.Columns[cols[c]].Value(r)) }
	return rowSource{rows: t.Rows(), text: text, key: func(r int) string {
		var b strings.Builder
		for c := range cols {
			b.WriteString(text(r, c))
			b.WriteByte(0) // JSON text never holds a raw NUL
		}
		return b.String()
	}}
}

// Same reports whether the two results are the same.
func (d *TableDiff) Same() bool {
	return len(d.OnlyOld) == 0 && len(d.OnlyNew) == 0 && len(d.TypeChanges) == 0 &&
		!d.Reordered && d.Rows.Empty()
}

// Write prints the diff: a summary line, the column changes, then the rows
// only in OLD ("- "), only in NEW ("+ ") and changed ("~ "). limit caps the
// rows shown per section; 0 shows all.
func (d *TableDiff) Write(w io.Writer, limit int) {
	fmt.Fprintf(w, "OLD: %s, NEW: %s; %s\n", plural(d.OldRows, "row"), plural(d.NewRows, "row"),
		d.rowSummary())
	if len(d.OnlyOld) > 0 {
		fmt.Fprintf(w, "columns only in OLD: %s\n", strings.Join(d.OnlyOld, ", "))
	}
	if len(d.OnlyNew) > 0 {
		fmt.Fprintf(w, "columns only in NEW: %s\n", strings.Join(d.OnlyNew, ", "))
	}
	for _, tc := range d.TypeChanges {
		fmt.Fprintf(w, "column %s: type %s → %s\n", tc.Name, tc.Old, tc.New)
	}
	if d.Reordered {
		fmt.Fprintf(w, "column order: %s → %s\n",
			strings.Join(d.OldOrder, ", "), strings.Join(d.NewOrder, ", "))
	}
	if (len(d.OnlyOld) > 0 || len(d.OnlyNew) > 0) && len(d.Rows.Columns) > 0 {
		fmt.Fprintf(w, "rows compared over the %s both have\n", plural(len(d.Rows.Columns), "column"))
	}
	d.Rows.write(w, "", diffCmdLabels, limit)
}

func (d *TableDiff) rowSummary() string {
	if d.Rows.Empty() {
		return "the same rows"
	}
	return fmt.Sprintf("%d only in OLD, %d only in NEW, %d changed",
		len(d.Rows.LeftOnly), len(d.Rows.RightOnly), len(d.Rows.Changed))
}
