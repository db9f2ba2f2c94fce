package main

import (
	"bytes"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// gap is the space between two columns of the table format.
const gap = "  "

// minColumnWidth is the narrowest a column is squeezed to when a table is
// wider than the terminal.
const minColumnWidth = 8

// writeText writes the table format: a header, a line of dashes and a line
// per row, each column as wide as its widest cell, numbers right-aligned.
// With termWidth > 0 (stdout is a terminal) the widest columns are narrowed
// until the table fits, and the cells cut short end in '…'; a file gets every
// cell whole.
func writeText(w *bytes.Buffer, t *tables.Table, termWidth int) {
	if len(t.Schema) == 0 {
		return
	}
	cells := textCells(t)
	widths := columnWidths(cells)
	if termWidth > 0 {
		fitWidths(widths, termWidth)
	}
	writeCells(w, t, cells, widths)
}

// writeCells writes the table format of cells (textCells) in columns of
// the given widths.
func writeCells(w *bytes.Buffer, t *tables.Table, cells [][]string, widths []int) {
	right := make([]bool, len(t.Schema))
	for c, f := range t.Schema {
		right[c] = f.Type.IsNumeric()
	}

	writeTextLine(w, cells[0], widths, right)
	dashes := make([]string, len(widths))
	for c, n := range widths {
		dashes[c] = strings.Repeat("-", n)
	}
	writeTextLine(w, dashes, widths, right)
	for _, row := range cells[1:] {
		writeTextLine(w, row, widths, right)
	}
}

// textCells returns the header and the rows as one-line strings.
func textCells(t *tables.Table) [][]string {
	cells := make([][]string, 0, t.Rows()+1)
	cells = append(cells, t.Schema.Names())
	for i := 0; i < t.Rows(); i++ {
		row := make([]string, len(t.Schema))
		for c := range t.Schema {
			row[c] = escapeControls(cellText(t.Columns[c].Value(i)))
		}
		cells = append(cells, row)
	}
	return cells
}

func columnWidths(cells [][]string) []int {
	widths := make([]int, len(cells[0]))
	for _, row := range cells {
		for c, s := range row {
			widths[c] = max(widths[c], textWidth(s))
		}
	}
	return widths
}

// fitWidths narrows the widest column, one cell at a time, until the table
// fits in total cells or every column is down to minColumnWidth. Narrowing
// the widest first keeps short columns (ids, counts) whole.
func fitWidths(widths []int, total int) {
	least := make([]int, len(widths))
	for c := range least {
		least[c] = minColumnWidth
	}
	fitWidthsAbove(widths, least, total)
}

// fitWidthsAbove narrows the widest column that is wider than its least
// width, one cell at a time, until the table fits in total cells or no
// column can give more.
func fitWidthsAbove(widths, least []int, total int) {
	sum := len(gap) * (len(widths) - 1)
	for _, n := range widths {
		sum += n
	}
	for sum > total {
		widest := -1
		for c, n := range widths {
			if n > least[c] && (widest < 0 || n > widths[widest]) {
				widest = c
			}
		}
		if widest < 0 {
			return
		}
		widths[widest]--
		sum--
	}
}

// writeTextLine writes one line of padded cells, without trailing spaces.
func writeTextLine(w *bytes.Buffer, row []string, widths []int, right []bool) {
	var line strings.Builder
	for c, s := range row {
		if c > 0 {
			line.WriteString(gap)
		}
		s = truncate(s, widths[c])
		pad := strings.Repeat(" ", widths[c]-textWidth(s))
		if right[c] {
			line.WriteString(pad)
			line.WriteString(s)
		} else {
			line.WriteString(s)
			line.WriteString(pad)
		}
	}
	w.WriteString(strings.TrimRight(line.String(), " "))
	w.WriteByte('\n')
}
