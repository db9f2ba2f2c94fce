package tables

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvCol is one header column: typed at once when the schema declares it,
// kept as text for inference otherwise, nil when not projected.
type csvCol struct {
	name  string
	col   *Column
	cells cells
}

// loadCSV reads a CSV file with a header line (RFC 4180: quoted fields may
// hold commas, quotes and newlines). Every record must have as many fields
// as the header. Empty fields are null in non-string columns.
//
// The file is read sequentially: encoding/csv cannot start in the middle of
// a file, because a newline may sit inside a quoted field.
func (ld *loader) loadCSV() (*Table, error) {
	r := csv.NewReader(strings.NewReader(ld.data))
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return ld.csvTable(nil, 0), nil
	}
	if err != nil {
		return nil, ld.csvError(err, 0, 0)
	}
	cols, err := ld.csvHeader(r, header)
	if err != nil {
		return nil, err
	}
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ld.csvError(err, len(rec), len(cols))
		}
		if err := ld.csvRecord(r, cols, rec); err != nil {
			return nil, err
		}
		rows++
	}
	return ld.csvTable(cols, rows), nil
}

// csvHeader checks the header's names and sets up its columns.
func (ld *loader) csvHeader(r *csv.Reader, header []string) ([]*csvCol, error) {
	declared := ld.opts.declaredTypes()
	project := map[string]bool{}
	for _, name := range ld.opts.Columns {
		project[name] = true
	}
	cols := make([]*csvCol, len(header))
	seen := map[string]bool{}
	for i, name := range header {
		line, col := r.FieldPos(i)
		if name == "" {
			return nil, &DataError{Path: ld.path, Line: line, Col: col,
				Msg: fmt.Sprintf("header field %d has no column name", i+1)}
		}
		if seen[name] {
			return nil, &DataError{Path: ld.path, Line: line, Col: col,
				Msg: fmt.Sprintf("duplicate column name '%s' in the header", name)}
		}
		seen[name] = true
		if ld.opts.Columns != nil && !project[name] {
			continue
		}
		cols[i] = &csvCol{name: name}
		if t := declared[name]; t != Unknown {
			cols[i].col = NewColumn(t, 0)
		}
	}
	return cols, nil
}

// csvRecord stores one record's fields.
func (ld *loader) csvRecord(r *csv.Reader, cols []*csvCol, rec []string) error {
	for i, field := range rec {
		c := cols[i]
		switch {
		case c == nil:
		case c.col == nil:
			c.cells.addText(field)
		default:
			v, ok := parseText(c.col.typ, field)
			if !ok {
				line, col := r.FieldPos(i)
				return &DataError{Path: ld.path, Line: line, Col: col,
					Msg: fmt.Sprintf("column '%s': cannot read %s as %s", c.name, preview(field), c.col.typ)}
			}
			c.col.pushValue(v)
		}
	}
	return nil
}

// csvError turns an encoding/csv error into a DataError at its position.
func (ld *loader) csvError(err error, got, want int) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return &DataError{Path: ld.path, Msg: err.Error()}
	}
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return &DataError{Path: ld.path, Line: pe.StartLine,
			Msg: fmt.Sprintf("the record has %d fields but the header has %d", got, want)}
	}
	return &DataError{Path: ld.path, Line: pe.Line, Col: pe.Column, Msg: pe.Err.Error()}
}

// csvTable orders and types the columns (see LoadOptions).
func (ld *loader) csvTable(cols []*csvCol, rows int) *Table {
	byName := map[string]*csvCol{}
	var order []string
	add := func(name string) {
		if _, ok := byName[name]; !ok {
			byName[name] = nil
			order = append(order, name)
		}
	}
	if ld.opts.Columns != nil {
		for _, name := range ld.opts.Columns {
			add(name)
		}
	} else {
		for _, f := range ld.opts.Schema {
			add(f.Name)
		}
	}
	for _, c := range cols {
		if c != nil {
			add(c.name)
			byName[c.name] = c
		}
	}
	schema := make(Schema, len(order))
	out := make([]*Column, len(order))
	for i, name := range order {
		schema[i], out[i] = ld.csvColumn(name, byName[name], rows)
	}
	t := NewTable(ld.name, schema, out)
	t.SetRows(rows)
	return t
}

// csvColumn finishes one column: typed already, inferred from its text, or
// all null when the file lacks it.
func (ld *loader) csvColumn(name string, c *csvCol, rows int) (Field, *Column) {
	declared := ld.opts.declaredTypes()[name]
	switch {
	case c == nil:
		if declared == Unknown {
			declared = String
		}
		return Field{name, declared}, nullColumn(declared, rows)
	case c.col != nil:
		return Field{name, c.col.typ}, c.col
	}
	t := c.cells.stats.infer()
	return Field{name, t}, c.cells.build(t, nil)
}
