package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

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
		// On a terminal, columns that do not fit are left out and named
		// (as in the REPL) rather than all cut to a few letters and wrapped.
		writeFitted(b, t, r.termWidth)
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
	formatRows(w, t.Rows(), func(b []byte, i int) []byte {
		b = append(b, "  "...)
		b = appendJSONRow(b, t, i, "")
		if i < t.Rows()-1 {
			b = append(b, ',')
		}
		return append(b, '\n')
	})
	w.WriteString("]\n")
}

// writeJSONL writes one JSON object per row and line.
func writeJSONL(w *bytes.Buffer, t *tables.Table, query string) {
	formatRows(w, t.Rows(), func(b []byte, i int) []byte {
		b = appendJSONRow(b, t, i, query)
		return append(b, '\n')
	})
}

// rowsPerPart is how many rows one formatRows worker formats at a time.
const rowsPerPart = 256

// formatRows writes the text row(i) appends for rows 0 to n-1, in order.
// Parts of rowsPerPart rows are formatted on all cores: reading the large
// values of the result back from the file and encoding them took a tenth
// of the flagship's time on one core. A panic while formatting (a table
// file that changed) is raised again in the caller, where it is reported.
func formatRows(w *bytes.Buffer, n int, row func(b []byte, i int) []byte) {
	parts := make([][]byte, (n+rowsPerPart-1)/rowsPerPart)
	var next atomic.Int64
	var failure any
	var once sync.Once
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(parts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					once.Do(func() { failure = r })
				}
			}()
			for k := int(next.Add(1) - 1); k < len(parts); k = int(next.Add(1) - 1) {
				var b []byte
				for i := k * rowsPerPart; i < min(n, (k+1)*rowsPerPart); i++ {
					b = row(b, i)
				}
				parts[k] = b
			}
		}()
	}
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
	for _, p := range parts {
		w.Write(p)
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
