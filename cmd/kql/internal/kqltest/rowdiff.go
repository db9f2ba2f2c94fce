package kqltest

import (
	"fmt"
	"io"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// A row comparison pairs two lists of rows over the same columns, the left
// one (the expected rows, or the OLD query's) and the right one (the result,
// or the NEW query's), as multisets: equal rows cancel out whatever their
// order. What is left is shown as rows only on one side, except that a left
// row and a right row that agree on most columns are shown as one changed
// row with the cells that differ, which is what an edited expectation or a
// query that now computes one column differently looks like.

// rowSource is one side of a comparison.
type rowSource struct {
	rows int
	// text is a cell's JSON text, for display.
	text func(row, col int) string
	// key, when set on both sides, is a text equal for two rows exactly when
	// they are equal, so that rows match in linear time.
	key func(row int) string
}

// comparison is the input of compareRows.
type comparison struct {
	columns     []string
	left, right rowSource
	equal       func(l, r, col int) bool
}

// RowDiff is the difference between two lists of rows.
type RowDiff struct {
	Columns   []string
	LeftOnly  []int // indexes of rows only on the left
	RightOnly []int
	Changed   []ChangedRow

	cmp comparison
}

// ChangedRow is a left row and a right row that differ only in Cells
// (column indexes).
type ChangedRow struct {
	Left, Right int
	Cells       []int
}

// Empty reports whether the two sides hold the same rows.
func (d *RowDiff) Empty() bool {
	return len(d.LeftOnly) == 0 && len(d.RightOnly) == 0 && len(d.Changed) == 0
}

// maxPairWork bounds the cell comparisons spent looking for changed rows; a
// diff larger than that is shown as rows only on one side.
const maxPairWork = 4_000_000

// compareRows matches the rows of both sides and pairs up what is left.
func compareRows(cmp comparison) *RowDiff {
	d := &RowDiff{Columns: cmp.columns, cmp: cmp}
	if cmp.left.key != nil && cmp.right.key != nil {
		d.matchByKey()
	} else {
		d.matchByCells()
	}
	d.pairChanged()
	return d
}

func (d *RowDiff) matchByKey() {
	waiting := map[string][]int{}
	for r := 0; r < d.cmp.right.rows; r++ {
		k := d.cmp.right.key(r)
		waiting[k] = append(waiting[k], r)
	}
	matched := make([]bool, d.cmp.right.rows)
	for l := 0; l < d.cmp.left.rows; l++ {
		k := d.cmp.left.key(l)
		if q := waiting[k]; len(q) > 0 {
			matched[q[0]] = true
			waiting[k] = q[1:]
			continue
		}
		d.LeftOnly = append(d.LeftOnly, l)
	}
	d.RightOnly = unmatched(matched)
}

func (d *RowDiff) matchByCells() {
	matched := make([]bool, d.cmp.right.rows)
	for l := 0; l < d.cmp.left.rows; l++ {
		found := false
		for r := range matched {
			if !matched[r] && d.rowsEqual(l, r) {
				matched[r], found = true, true
				break
			}
		}
		if !found {
			d.LeftOnly = append(d.LeftOnly, l)
		}
	}
	d.RightOnly = unmatched(matched)
}

func unmatched(matched []bool) []int {
	var out []int
	for r, m := range matched {
		if !m {
			out = append(out, r)
		}
	}
	return out
}

func (d *RowDiff) rowsEqual(l, r int) bool {
	for c := range d.cmp.columns {
		if !d.cmp.equal(l, r, c) {
			return false
		}
	}
	return true
}

// differing returns the columns where rows l and r differ, or nil when more
// than limit do.
func (d *RowDiff) differing(l, r, limit int) []int {
	var cols []int
	for c := range d.cmp.columns {
		if !d.cmp.equal(l, r, c) {
			if len(cols) == limit {
				return nil
			}
			cols = append(cols, c)
		}
	}
	return cols
}

// pairChanged turns a left-only and a right-only row into a changed row when
// at least half of their columns agree. Closest pairs are made first, and
// among equally close ones the earliest rows, so the pairing is
// deterministic.
func (d *RowDiff) pairChanged() {
	n := len(d.cmp.columns)
	limit := n / 2
	if limit == 0 || len(d.LeftOnly) == 0 || len(d.RightOnly) == 0 ||
		len(d.LeftOnly)*len(d.RightOnly)*n > maxPairWork {
		return
	}
	diffs := make([][][]int, len(d.LeftOnly))
	for i, l := range d.LeftOnly {
		diffs[i] = make([][]int, len(d.RightOnly))
		for j, r := range d.RightOnly {
			diffs[i][j] = d.differing(l, r, limit)
		}
	}
	usedL := make([]bool, len(d.LeftOnly))
	usedR := make([]bool, len(d.RightOnly))
	for want := 1; want <= limit; want++ {
		for i := range d.LeftOnly {
			for j := range d.RightOnly {
				if usedL[i] || usedR[j] || len(diffs[i][j]) != want {
					continue
				}
				usedL[i], usedR[j] = true, true
				d.Changed = append(d.Changed, ChangedRow{Left: d.LeftOnly[i], Right: d.RightOnly[j], Cells: diffs[i][j]})
			}
		}
	}
	d.LeftOnly = keep(d.LeftOnly, usedL)
	d.RightOnly = keep(d.RightOnly, usedR)
	sortChanged(d.Changed)
}

func keep(rows []int, used []bool) []int {
	var out []int
	for i, r := range rows {
		if !used[i] {
			out = append(out, r)
		}
	}
	return out
}

// sortChanged orders changed rows by their right row, the order the result
// shows them in.
func sortChanged(c []ChangedRow) {
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j].Right < c[j-1].Right; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
}

// diffLabels names the sections of a printed RowDiff.
type diffLabels struct {
	leftOnly, rightOnly string
}

var (
	testLabels = diffLabels{
		leftOnly:  "missing rows (expected, not in the result)",
		rightOnly: "unexpected rows (in the result, not expected)",
	}
	diffCmdLabels = diffLabels{
		leftOnly:  "rows only in OLD",
		rightOnly: "rows only in NEW",
	}
)

// idCells is how many unchanged cells identify a changed row.
const idCells = 3

// write prints the diff: rows only on the left ("- "), rows only on the
// right ("+ "), and changed rows ("~ " and the row's first unchanged cells,
// then one line per changed cell, "Column: old → new"). limit caps the rows
// shown per section; 0 shows them all.
func (d *RowDiff) write(w io.Writer, indent string, labels diffLabels, limit int) {
	d.writeRows(w, indent, labels.leftOnly, "- ", d.LeftOnly, d.cmp.left, limit)
	d.writeRows(w, indent, labels.rightOnly, "+ ", d.RightOnly, d.cmp.right, limit)
	if len(d.Changed) == 0 {
		return
	}
	fmt.Fprintf(w, "%schanged rows: %d\n", indent, len(d.Changed))
	for i, ch := range d.Changed {
		if limit > 0 && i == limit {
			fmt.Fprintf(w, "%s  … and %d more\n", indent, len(d.Changed)-limit)
			break
		}
		fmt.Fprintf(w, "%s  ~ %s\n", indent, d.identify(ch))
		for _, c := range ch.Cells {
			fmt.Fprintf(w, "%s      %s: %s → %s\n", indent, d.Columns[c],
				d.cmp.left.text(ch.Left, c), d.cmp.right.text(ch.Right, c))
		}
	}
}

func (d *RowDiff) writeRows(w io.Writer, indent, label, mark string, rows []int, src rowSource, limit int) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(w, "%s%s: %d\n", indent, label, len(rows))
	for i, r := range rows {
		if limit > 0 && i == limit {
			fmt.Fprintf(w, "%s  … and %d more\n", indent, len(rows)-limit)
			return
		}
		fmt.Fprintf(w, "%s  %s%s\n", indent, mark, d.rowText(src, r, nil))
	}
}

// rowText prints a row as a JSON-like object; with only set, just those
// columns, and "…" when some were left out.
func (d *RowDiff) rowText(src rowSource, r int, only []int) string {
	var b strings.Builder
	b.WriteByte('{')
	cols := only
	if cols == nil {
		cols = make([]int, len(d.Columns))
		for c := range cols {
			cols[c] = c
		}
	}
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tables.QuoteJSON(d.Columns[c]))
		b.WriteString(": ")
		b.WriteString(src.text(r, c))
	}
	if only != nil && len(only) < len(d.Columns) {
		if len(only) > 0 {
			b.WriteString(", ")
		}
		b.WriteString("…")
	}
	b.WriteByte('}')
	return b.String()
}

// identify shows a changed row by its first unchanged cells.
func (d *RowDiff) identify(ch ChangedRow) string {
	changed := map[int]bool{}
	for _, c := range ch.Cells {
		changed[c] = true
	}
	var id []int
	for c := range d.Columns {
		if !changed[c] && len(id) < idCells {
			id = append(id, c)
		}
	}
	return d.rowText(d.cmp.right, ch.Right, id)
}
