package tables

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// LoadOptions controls how one table file is read.
//
// The resulting columns are:
//   - without Schema or Columns: the union of the keys (CSV: the header) in
//     order of first appearance, each typed by inference over all rows;
//   - with Schema: the schema's columns in schema order with their declared
//     types, then any key of the data the schema lacks, appended in order of
//     first appearance with an inferred type (a schema column absent from the
//     data is all null);
//   - with Columns: exactly those columns in that order, typed by the schema
//     when it declares them and by inference otherwise; other keys are not
//     decoded at all (projection pushdown) and a requested column missing
//     from the data is all null.
//
// A key that is missing from a row gives null there (the empty string in a
// string column). When an object repeats a key, the first occurrence wins,
// as it does for member access on dynamic values.
type LoadOptions struct {
	// Name is the table name; empty means the file's base name without its
	// extensions (AIAgentsInfo.ndjson and AIAgentsInfo.json.gz give
	// AIAgentsInfo).
	Name string
	// Schema gives column names and types; nil means infer them from the data.
	Schema Schema
	// Format is "json", "ndjson", "csv", or "" to go by the file extension
	// (.json .jsonl .ndjson .csv, optionally followed by .gz) and fall back to
	// sniffing the content. A "json" file whose content is NDJSON is read as
	// NDJSON, because exports name both kinds .json.
	Format string
	// Columns, when non-nil, lists the only columns to decode.
	Columns []string
	// Hints types the columns the data has, like Schema, but adds no column
	// and keeps the data's column order. kql passes the known Sentinel
	// schemas this way, so that a file lacking a column still lacks it
	// (column_ifexists sees the truth). Schema wins where both name a column.
	Hints Schema
	// Progress, when set, is called as the file is decoded (a few times a
	// second on a large file, never concurrently) and once at the end with
	// Done set.
	Progress func(Progress)
	// SkipBadRows, when set, makes an NDJSON file's malformed lines be
	// skipped and reported to it, one call per line, instead of failing the
	// load. Other formats are not affected.
	SkipBadRows func(line int, msg string)
}

// Progress reports how far the loading of one file has got.
type Progress struct {
	Path  string
	Bytes int64 // input bytes decoded so far
	Total int64 // the input's size, or 0 when it is not known (gzip, pipes)
	Rows  int64 // rows decoded so far
	Done  bool
}

// declaredTypes returns the type of every column the options declare.
func (o LoadOptions) declaredTypes() map[string]Type {
	out := make(map[string]Type, len(o.Hints)+len(o.Schema))
	for _, f := range o.Hints {
		out[f.Name] = f.Type
	}
	for _, f := range o.Schema {
		out[f.Name] = f.Type
	}
	return out
}

// DataError reports malformed input or a value that does not fit its
// column, at a position in a data or schema file. Line and Col are 1-based;
// zero means unknown.
type DataError struct {
	Path      string
	Line, Col int
	Msg       string
}

// Error returns "path:line:col: msg", leaving out the column (or line) when
// it is not known, like compilers do, so editors can jump to the spot.
func (e *DataError) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	case e.Col == 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
}

// LoadFile reads one table file (see LoadOptions).
func LoadFile(path string, opts LoadOptions) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Load(f, path, opts)
}

// Load reads one table from r. The path is used in error messages, for the
// default table name and for the format when opts.Format is empty; it need
// not exist.
//
// NDJSON is streamed: decoded in blocks as it is read, so the input is never
// held whole. JSON arrays and CSV are read whole first. When r is a regular
// file (not gzipped), large string and dynamic values are left in the file
// and read back when a query asks for them (see lazy.go); the table then
// holds its own handle on the file, which must not change while the table
// is in use.
func Load(r io.Reader, path string, opts LoadOptions) (*Table, error) {
	name := opts.Name
	if name == "" {
		name = TableName(path)
	}
	ld := &loader{path: path, name: name, opts: opts}
	t, err := ld.load(r)
	if err != nil {
		return nil, err
	}
	for _, c := range t.Columns {
		c.loaded = true
	}
	if opts.Progress != nil {
		ld.prog.Done = true
		opts.Progress(ld.prog)
	}
	return t, err
}

func (ld *loader) load(r io.Reader) (*Table, error) {
	in := r
	if isGzip(ld.path) || gzipped(r) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, &DataError{Path: ld.path, Msg: err.Error()}
		}
		defer zr.Close()
		in = zr
	} else {
		ld.src = openSource(r, ld.path)
		ld.total = inputSize(r)
	}
	if ld.opts.SkipBadRows != nil {
		// Dropped lines move later rows, so values cannot be read back
		// from the file by their offsets.
		in, ld.src = newBadLineFilter(in, ld.opts.SkipBadRows), nil
	}
	ld.prog = Progress{Path: ld.path, Total: ld.total}
	br := newBlockReader(in, blockSize(ld.total), runtime.GOMAXPROCS(0)+2)
	first, off, err := br.next()
	if err != nil && err != io.EOF {
		return nil, &DataError{Path: ld.path, Msg: err.Error()}
	}
	if bytes.HasPrefix(first, []byte("\xef\xbb\xbf")) {
		first, ld.base = first[3:], 3
	}
	head := unsafe.String(unsafe.SliceData(first), len(first))
	f := format(ld.path, ld.opts.Format, head)
	if f == "ndjson" && streamable(head, br.eof && len(br.carry) == 0) {
		// Only the first block lost the byte order mark: it starts base
		// bytes into the file, and the later blocks' offsets are already
		// file offsets, so base must not be added to them.
		off += int64(ld.base)
		ld.base = 0
		if m := ld.mapRest(r, br); m != nil {
			defer m.close()
			return ld.streamNDJSON(m, first, off, true)
		}
		return ld.streamNDJSON(br, first, off, false)
	}
	// The rest of the formats want the whole text.
	rest, err := io.ReadAll(io.MultiReader(bytes.NewReader(br.carry), br.r))
	if err != nil {
		return nil, &DataError{Path: ld.path, Msg: err.Error()}
	}
	b := append(first, rest...)
	// The buffer is never written again, so viewing it as a string is safe
	// and lets values share its memory.
	ld.data = unsafe.String(unsafe.SliceData(b), len(b))
	switch f {
	case "json":
		return ld.loadJSONArray()
	case "ndjson":
		return ld.loadNDJSON()
	case "csv":
		return ld.loadCSV()
	}
	if isExportFormat(f) { // hook: service export formats (export.go)
		return ld.loadExport(f)
	}
	return nil, &DataError{Path: ld.path, Msg: fmt.Sprintf("unknown format %q", ld.opts.Format)}
}

// inputSize returns the number of bytes r will give, or 0 when unknown.
func inputSize(r io.Reader) int64 {
	switch r := r.(type) {
	case *os.File:
		if st, err := r.Stat(); err == nil && st.Mode().IsRegular() {
			if pos, err := r.Seek(0, io.SeekCurrent); err == nil {
				return st.Size() - pos
			}
		}
	case interface{ Len() int }:
		return int64(r.Len())
	}
	return 0
}

// progress records n more bytes and rows decoded and reports them.
func (ld *loader) progress(n, rows int) {
	if ld.opts.Progress == nil {
		return
	}
	ld.progMu.Lock()
	defer ld.progMu.Unlock()
	ld.prog.Bytes += int64(n)
	ld.prog.Rows += int64(rows)
	ld.opts.Progress(ld.prog)
}

func isGzip(path string) bool {
	return strings.EqualFold(filepath.Ext(path), ".gz")
}

// gzipped reports whether r is a file that starts, at its current
// position, with the gzip magic bytes: a compressed export saved without a
// .gz suffix. Other readers are judged by their name only.
func gzipped(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	pos, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return false
	}
	var magic [2]byte
	n, _ := f.ReadAt(magic[:], pos)
	return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
}

// formatExts maps a data file extension to its format.
var formatExts = map[string]string{
	".json": "json", ".jsonl": "ndjson", ".ndjson": "ndjson", ".csv": "csv",
}

// fileExt returns the lower-case format extension of path, looking past a
// .gz suffix.
func fileExt(path string) string {
	base := filepath.Base(path)
	if isGzip(base) {
		base = base[:len(base)-3]
	}
	return strings.ToLower(filepath.Ext(base))
}

// TableName returns the table name a file stands for: its base name without
// a compression suffix and without its format extension.
func TableName(path string) string {
	base := filepath.Base(path)
	if isGzip(base) {
		base = base[:len(base)-3]
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// format decides how to read data: the explicit format wins, then the
// extension, then the first significant byte. JSON is sniffed even when
// named, because a .json export may hold one object per line.
func format(path, explicit, data string) string {
	if g := sniffExport(path, explicit, data); g != "" { // hook: export formats (export.go)
		return g
	}
	f := explicit
	if f == "" {
		f = formatExts[fileExt(path)]
	}
	if f != "" && f != "json" {
		return f
	}
	i := skipSpace(data, 0)
	switch {
	case i == len(data):
		if f == "" {
			return "ndjson"
		}
		return f
	case data[i] == '[':
		return "json"
	case data[i] == '{':
		return "ndjson"
	case f == "":
		return "csv"
	}
	return f
}

// skipSpace returns the index of the first non-whitespace byte of s at or
// after i, or len(s).
func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// loader holds what every format's reader needs.
type loader struct {
	path  string
	data  string // the whole text, for the formats that read it whole
	name  string
	opts  LoadOptions
	src   *source // the file large values stay in; nil: decode them all
	base  int64   // file offset of the first byte after a BOM
	total int64   // input size, 0 when unknown

	progMu sync.Mutex
	prog   Progress
}

// errAt returns a DataError at byte offset off of the data.
func (ld *loader) errAt(off int, format string, args ...any) *DataError {
	line, col := lineCol(ld.data, off)
	return &DataError{Path: ld.path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// lineCol converts a byte offset to a 1-based line and a 1-based column
// counted in characters. It is only called on the error path, so counting
// newlines from the start of the file costs nothing in the common case.
func lineCol(data string, off int) (int, int) {
	off = min(max(off, 0), len(data))
	line := 1 + strings.Count(data[:off], "\n")
	start := strings.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCountInString(data[start:off])
}

// LoadDir loads every .json, .jsonl, .ndjson and .csv file (optionally
// gzipped) directly in dir, in file name order. A table whose name is a key
// of schemas is read with that schema. Two files that give the same table
// name are an error naming both, rather than one silently shadowing the
// other.
func LoadDir(dir string, schemas map[string]Schema) ([]*Table, error) {
	return LoadDirWith(dir, func(name string) LoadOptions {
		return LoadOptions{Name: name, Schema: schemas[name]}
	})
}

// LoadDirWith is LoadDir with the options of each table chosen by its name.
func LoadDirWith(dir string, options func(name string) LoadOptions) ([]*Table, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	var out []*Table
	for _, e := range entries {
		if e.IsDir() || formatExts[fileExt(e.Name())] == "" {
			continue
		}
		path := filepath.Join(dir, e.Name())
		name := TableName(path)
		if prev, ok := seen[name]; ok {
			return nil, &DataError{Path: path,
				Msg: fmt.Sprintf("table %s is also defined by %s", name, prev)}
		}
		seen[name] = path
		opts := options(name)
		opts.Name = name
		t, err := LoadFile(path, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
