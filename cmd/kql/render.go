package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// format is an output format of `kql run`.
type format int

const (
	formatTable format = iota
	formatJSON
	formatJSONL
	formatCSV
)

func parseFormat(s string) (format, error) {
	switch strings.ToLower(s) {
	case "table":
		return formatTable, nil
	case "json":
		return formatJSON, nil
	case "jsonl", "ndjson":
		return formatJSONL, nil
	case "csv":
		return formatCSV, nil
	}
	return 0, usagef("unknown format %q (want table, json, jsonl or csv)", s)
}

// resultWriter prints the results of one run. With one query it prints the
// table alone. With several (multi) each result is introduced by its name
// and row count, except in jsonl, where each row carries a _query key, and
// json, where the whole output is one array of {query, rows, data} objects so
// that it stays a single JSON document.
type resultWriter struct {
	w         io.Writer
	format    format
	multi     bool
	termWidth int
	count     int // results written so far
	err       error
}

func newResultWriter(w io.Writer, f format, multi bool, termWidth int) *resultWriter {
	return &resultWriter{w: w, format: f, multi: multi, termWidth: termWidth}
}

// result prints one query's result table.
func (r *resultWriter) result(name, title string, t *tables.Table) error {
	var b bytes.Buffer
	switch {
	case r.format == formatJSONL:
		query := ""
		if r.multi {
			query = name
		}
		writeJSONL(&b, t, query)
	case r.format == formatJSON && r.multi:
		r.jsonEntry(&b, name, title, t)
	default:
		if r.multi {
			r.separate(&b)
			fmt.Fprintf(&b, "== %s: %s\n", heading(name, title), rowCount(t.Rows()))
		}
		r.body(&b, t)
	}
	r.count++
	return r.write(b.Bytes())
}

// failed marks a query that printed an error instead of a result, so that
// a table listing shows where it was.
func (r *resultWriter) failed(name, title string) {
	if !r.multi || r.format != formatTable {
		return
	}
	var b bytes.Buffer
	r.separate(&b)
	fmt.Fprintf(&b, "== %s: failed\n", heading(name, title))
	r.count++
	r.write(b.Bytes())
}

// finish closes what result left open (the json array of a multi run).
func (r *resultWriter) finish() error {
	if r.format == formatJSON && r.multi {
		if r.count == 0 {
			return r.write([]byte("[]\n"))
		}
		return r.write([]byte("\n]\n"))
	}
	return r.err
}

func (r *resultWriter) separate(b *bytes.Buffer) {
	if r.count > 0 {
		b.WriteByte('\n')
	}
}

func (r *resultWriter) body(b *bytes.Buffer, t *tables.Table) {
	switch r.format {
	case formatJSON:
		writeJSON(b, t)
	case formatCSV:
		writeCSV(b, t)
	default:
		writeText(b, t, r.termWidth)
	}
}

func (r *resultWriter) jsonEntry(b *bytes.Buffer, name, title string, t *tables.Table) {
	if r.count == 0 {
		b.WriteString("[\n")
	} else {
		b.WriteString(",\n")
	}
	b.WriteString(`{"query":`)
	b.Write(tables.AppendJSONString(nil, name))
	if title != "" {
		b.WriteString(`,"title":`)
		b.Write(tables.AppendJSONString(nil, title))
	}
	fmt.Fprintf(b, `,"rows":%d,"data":`, t.Rows())
	writeJSON(b, t)
	b.Truncate(b.Len() - 1) // writeJSON's final newline
	b.WriteByte('}')
}

func (r *resultWriter) write(p []byte) error {
	if r.err != nil {
		return r.err
	}
	if _, err := r.w.Write(p); err != nil {
		r.err = fmt.Errorf("writing the results: %w", err)
	}
	return r.err
}

func heading(name, title string) string {
	if title == "" {
		return name
	}
	return fmt.Sprintf("%s (%s)", name, title)
}

func rowCount(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}

// appendJSONValue writes a cell as JSON. It differs from tables.AppendJSON,
// which is the form a value takes inside a dynamic value, in two ways:
// datetimes carry a fraction only when it is non-zero (2025-11-03T10:00:00Z),
// and dynamic text is compacted so that a jsonl row stays on one line.
func appendJSONValue(b []byte, v tables.Value) []byte {
	if v.IsNull() {
		return append(b, "null"...)
	}
	switch v.Type() {
	case tables.DateTime:
		return tables.AppendJSONString(b, tables.FormatDateTime(v.Int64(), false))
	case tables.Dynamic:
		return appendCompactJSON(b, v.Str())
	}
	return tables.AppendJSON(b, v)
}

// appendCompactJSON appends JSON text without insignificant white space, or
// as it is if it does not parse.
func appendCompactJSON(b []byte, text string) []byte {
	if tables.IsCompactJSON(text) {
		return append(b, text...) // what Compact would give, found faster
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(text)); err != nil {
		return append(b, text...)
	}
	return append(b, buf.Bytes()...)
}

// appendJSONRow writes one row as an object whose keys are in column order;
// a map would lose that order. A non-empty query becomes a leading _query key.
func appendJSONRow(b []byte, t *tables.Table, row int, query string) []byte {
	b = append(b, '{')
	if query != "" {
		b = append(b, `"_query":`...)
		b = tables.AppendJSONString(b, query)
	}
	for c, f := range t.Schema {
		if c > 0 || query != "" {
			b = append(b, ',')
		}
		b = tables.AppendJSONString(b, f.Name)
		b = append(b, ':')
		b = appendJSONValue(b, t.Columns[c].Value(row))
	}
	return append(b, '}')
}

// writeJSON writes the table as one JSON array, a row per line.
func writeJSON(w *bytes.Buffer, t *tables.Table) {
	if t.Rows() == 0 {
		w.WriteString("[]\n")
		return
	}
	w.WriteString("[\n")
	var line []byte
	for i := 0; i < t.Rows(); i++ {
		line = append(line[:0], "  "...)
		line = appendJSONRow(line, t, i, "")
		if i < t.Rows()-1 {
			line = append(line, ',')
		}
		line = append(line, '\n')
		w.Write(line)
	}
	w.WriteString("]\n")
}

// writeJSONL writes one JSON object per row and line.
func writeJSONL(w *bytes.Buffer, t *tables.Table, query string) {
	var line []byte
	for i := 0; i < t.Rows(); i++ {
		line = appendJSONRow(line[:0], t, i, query)
		line = append(line, '\n')
		w.Write(line)
	}
}

// writeCSV writes a header of column names and a record per row.
func writeCSV(w *bytes.Buffer, t *tables.Table) {
	cw := csv.NewWriter(w)
	cw.Write(t.Schema.Names())
	rec := make([]string, len(t.Schema))
	for i := 0; i < t.Rows(); i++ {
		for c := range t.Schema {
			rec[c] = cellText(t.Columns[c].Value(i))
		}
		cw.Write(rec)
	}
	cw.Flush()
}

// cellText is a value as the table and csv formats show it: null as
// nothing, datetimes as in json without quotes, dynamic values as compact
// JSON (a dynamic string keeps its quotes, telling it apart from a string).
func cellText(v tables.Value) string {
	if v.IsNull() {
		return ""
	}
	switch v.Type() {
	case tables.DateTime:
		return tables.FormatDateTime(v.Int64(), false)
	case tables.Dynamic:
		return string(appendCompactJSON(nil, v.Str()))
	}
	return v.String()
}
