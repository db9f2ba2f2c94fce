package tables

import (
	"bufio"
	"crypto/sha1"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// ExternalOptions says how to read a local file in place of an
// externaldata URL.
type ExternalOptions struct {
	// Schema is the columns externaldata declares, in order.
	Schema Schema
	// Format is the with(format=...) property: csv, tsv, tsve, psv, scsv,
	// sohsv, txt, raw, json, multijson; "" goes by the file's extension
	// and then the URL's, and defaults to csv as Kusto does.
	Format string
	// URL is the URL the file stands for, used for the format only.
	URL string
	// IgnoreFirstRecord skips the first record (a header) of a delimited
	// file.
	IgnoreFirstRecord bool
	// Mapping is the ingestionMapping property: for the json and multijson
	// formats, a JSON list of {"Column", "Properties": {"Path"}} giving the
	// JSONPath of each column's value in a record. "" maps keys to
	// columns by name.
	Mapping string
	// ZipPattern is the zipPattern property: the URL names a zip archive.
	// kql reads no archives; the local file must be the extracted one.
	ZipPattern string
}

// delimiters maps the delimited externaldata formats to their separator.
var delimiters = map[string]rune{
	"csv": ',', "tsv": '\t', "tsve": '\t', "psv": '|', "scsv": ';', "sohsv": '\x01',
}

// externalFormat works out the format of an externaldata file.
func externalFormat(file string, o ExternalOptions) string {
	if o.Format != "" {
		return strings.ToLower(o.Format)
	}
	for _, p := range []string{file, urlPath(o.URL)} {
		switch ext := strings.TrimPrefix(fileExt(p), "."); ext {
		case "csv", "tsv", "psv", "txt", "json", "multijson":
			return ext
		case "jsonl", "ndjson":
			return "json"
		}
	}
	return "csv"
}

// urlPath returns the path of a URL without its query and fragment.
func urlPath(u string) string {
	u, _, _ = strings.Cut(u, "?")
	u, _, _ = strings.Cut(u, "#")
	return path.Base(u)
}

// LoadExternal reads a local file as externaldata would read its URL:
// delimited and text formats map fields to the declared columns by
// position (a missing field is null, extra fields are dropped); JSON
// formats map keys by name. Every value must fit its declared type; one
// that does not is an error naming the file, line and column.
func LoadExternal(file string, o ExternalOptions) (*Table, error) {
	if o.ZipPattern != "" {
		if err := notZip(file); err != nil {
			return nil, err
		}
	}
	f := externalFormat(file, o)
	switch f {
	case "json", "multijson":
		if o.Mapping != "" {
			paths, err := parseJSONMapping(o.Mapping, o.Schema)
			if err != nil {
				return nil, &DataError{Path: file, Msg: err.Error()}
			}
			return loadMappedJSON(file, o, paths)
		}
		// Named as JSON, so that a file that is not JSON is an error
		// rather than read as CSV.
		return LoadFile(file, LoadOptions{Schema: o.Schema, Columns: o.Schema.Names(), Format: "json"})
	case "txt", "raw":
		return loadLines(file, o)
	}
	if o.Mapping != "" {
		return nil, &DataError{Path: file, Msg: fmt.Sprintf("an ingestionMapping for format %s is not "+
			"supported: kql maps delimited fields to the declared columns by position", f)}
	}
	sep, ok := delimiters[f]
	if !ok {
		return nil, &DataError{Path: file, Msg: fmt.Sprintf("externaldata format %q is not supported "+
			"(kql reads csv, tsv, tsve, psv, scsv, sohsv, txt, raw, json and multijson)", f)}
	}
	return loadDelimited(file, o, sep)
}

// notZip refuses a zip archive: with zipPattern, Kusto reads the archive's
// matching entries, which kql does not do; a file extracted from it is
// read as it is.
func notZip(file string) error {
	head, err := readHead(file, 4)
	if err != nil {
		return err
	}
	if head == "PK\x03\x04" {
		return &DataError{Path: file, Msg: "a zip archive: kql does not read archives (zipPattern); " +
			"extract the file the pattern selects and map the URL to it"}
	}
	return nil
}

// loadLines reads a txt file: each line is one record whose text is the
// first column; other declared columns are null.
func loadLines(file string, o ExternalOptions) (*Table, error) {
	r, closeFn, err := openData(file)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	cols := make([]*Column, len(o.Schema))
	for i, fd := range o.Schema {
		cols[i] = NewColumn(fd.Type, 0)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		if line == 1 && o.IgnoreFirstRecord {
			continue
		}
		text := strings.TrimSuffix(sc.Text(), "\r")
		v, ok := parseText(o.Schema[0].Type, text)
		if !ok {
			return nil, &DataError{Path: file, Line: line, Col: 1, Msg: fmt.Sprintf("column '%s': cannot read %s as %s",
				o.Schema[0].Name, quoteShort(text), o.Schema[0].Type)}
		}
		cols[0].Append(v)
		for _, c := range cols[1:] {
			c.AppendNull()
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &DataError{Path: file, Msg: err.Error()}
	}
	return NewTable("", o.Schema, cols), nil
}

// loadDelimited reads records whose fields are separated by sep.
func loadDelimited(file string, o ExternalOptions, sep rune) (*Table, error) {
	r, closeFn, err := openData(file)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.Comma = sep
	cols := make([]*Column, len(o.Schema))
	for i, fd := range o.Schema {
		cols[i] = NewColumn(fd.Type, 0)
	}
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvReadError(file, err)
		}
		if first && o.IgnoreFirstRecord {
			continue
		}
		if err := appendRecord(file, cr, o.Schema, cols, rec); err != nil {
			return nil, err
		}
	}
	return NewTable("", o.Schema, cols), nil
}

// appendRecord stores one record's fields in the declared columns.
func appendRecord(file string, cr *csv.Reader, s Schema, cols []*Column, rec []string) error {
	for i, c := range cols {
		if i >= len(rec) {
			c.AppendNull()
			continue
		}
		v, ok := parseText(s[i].Type, rec[i])
		if !ok {
			line, col := cr.FieldPos(i)
			return &DataError{Path: file, Line: line, Col: col,
				Msg: fmt.Sprintf("column '%s': cannot read %s as %s", s[i].Name, quoteShort(rec[i]), s[i].Type)}
		}
		c.Append(v)
	}
	return nil
}

func csvReadError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &DataError{Path: file, Line: pe.Line, Col: pe.Column, Msg: pe.Err.Error()}
	}
	return &DataError{Path: file, Msg: err.Error()}
}

// WatchlistSchema is the columns _GetWatchlist gives before the
// watchlist's own: an item id, the time the item was last updated, the
// value of the watchlist's search key column, and the whole item as a bag.
var WatchlistSchema = Schema{
	{Name: "_DTItemId", Type: String},
	{Name: "LastUpdatedTimeUTC", Type: DateTime},
	{Name: "SearchKey", Type: String},
	{Name: "WatchlistItem", Type: Dynamic},
}

// LoadWatchlist reads a watchlist exported or written as CSV (a header,
// then one item per record) into the table _GetWatchlist(name) returns in
// Sentinel: WatchlistSchema, then the CSV's columns, all strings, as
// Sentinel stores them. SearchKey holds the value of the key column: the
// column named key; when key is "", the column named SearchKey if the file
// has one (a saved _GetWatchlist result), else the first column. It
// returns the table and the name of the key column. _DTItemId is a GUID
// derived from the name and the item's position, so it is stable from run
// to run; LastUpdatedTimeUTC is the file's modification time.
func LoadWatchlist(file, name, key string) (*Table, string, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, "", err
	}
	r, closeFn, err := openData(file)
	if err != nil {
		return nil, "", err
	}
	defer closeFn()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, "", &DataError{Path: file, Msg: "the watchlist has no header line"}
	}
	if err != nil {
		return nil, "", csvReadError(file, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	w := newWatchlist(name, header, TicksFromTime(st.ModTime()))
	if key != "" {
		i := slices.Index(w.header, key)
		if i < 0 {
			return nil, "", &DataError{Path: file, Line: 1, Msg: fmt.Sprintf(
				"the search key column '%s' is not in the header (%s)", key, strings.Join(w.header, ", "))}
		}
		w.key = i
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, "", csvReadError(file, err)
		}
		w.add(rec)
	}
	return w.table(), w.header[w.key], nil
}

// watchlist builds the table of one watchlist.
type watchlist struct {
	name    string
	header  []string
	key     int         // index of the search key column
	meta    map[int]int // header index -> WatchlistSchema index, for an exported _GetWatchlist result
	updated int64
	schema  Schema
	cols    []*Column
	rows    int
}

func newWatchlist(name string, header []string, updated int64) *watchlist {
	w := &watchlist{name: name, header: header, updated: updated, meta: map[int]int{}}
	w.schema = append(w.schema, WatchlistSchema...)
	for i, h := range header {
		h = strings.TrimSuffix(h, utcSuffix) // a portal export of _GetWatchlist
		header[i] = h
		if m := WatchlistSchema.Index(h); m >= 0 {
			w.meta[i] = m
			if h == "SearchKey" {
				w.key = i
			}
			continue
		}
		w.schema = append(w.schema, Field{Name: h, Type: String})
	}
	for _, f := range w.schema {
		w.cols = append(w.cols, NewColumn(f.Type, 0))
	}
	return w
}

func (w *watchlist) add(rec []string) {
	field := func(i int) string {
		if i < len(rec) {
			return rec[i]
		}
		return ""
	}
	meta := [4]string{}
	for i, m := range w.meta {
		meta[m] = field(i)
	}
	if meta[0] == "" {
		sum := sha1.Sum([]byte(fmt.Sprintf("%s\x00%d", strings.ToLower(w.name), w.rows)))
		meta[0] = fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	}
	w.cols[0].Append(NewString(meta[0]))
	updated := NewDateTime(w.updated)
	if v, ok := parseText(DateTime, meta[1]); ok && !v.IsNull() {
		updated = v
	}
	w.cols[1].Append(updated)
	w.cols[2].Append(NewString(field(w.key)))
	var bag []byte
	bag = append(bag, '{')
	c := 4
	for i, h := range w.header {
		if _, isMeta := w.meta[i]; isMeta && h != "SearchKey" {
			continue
		}
		if len(bag) > 1 {
			bag = append(bag, ',')
		}
		bag = AppendJSONString(bag, h)
		bag = append(bag, ':')
		bag = AppendJSONString(bag, field(i))
		if h != "SearchKey" {
			w.cols[c].Append(NewString(field(i)))
			c++
		}
	}
	bag = append(bag, '}')
	if item := parseWatchlistItem(meta[3]); item != "" {
		w.cols[3].Append(NewDynamic(item))
	} else {
		w.cols[3].Append(NewDynamic(string(bag)))
	}
	w.rows++
}

func (w *watchlist) table() *Table {
	t := NewTable(w.name, w.schema, w.cols)
	t.SetRows(w.rows)
	return t
}

// parseWatchlistItem returns an exported WatchlistItem's JSON text, or ""
// when there is none.
func parseWatchlistItem(s string) string {
	v, ok := parseText(Dynamic, s)
	if !ok || v.IsNull() || !strings.HasPrefix(v.Str(), "{") {
		return ""
	}
	return v.Str()
}

// mappingEntry is one element of a JSON ingestionMapping: the column and
// the JSONPath of its value in each record.
type mappingEntry struct {
	Column     string            `json:"Column"`
	Properties map[string]string `json:"Properties"`
	Path       string            `json:"Path"`
}

// parseJSONMapping reads a JSON ingestionMapping against the declared
// columns and returns, for each column in order, the gjson path of its
// value ("" for the whole record, nil entries for unmapped columns).
// Only Path is read: a mapping that also transforms or sets constant
// values is refused by name.
func parseJSONMapping(text string, s Schema) ([]*string, error) {
	var entries []mappingEntry
	if err := json.Unmarshal([]byte(text), &entries); err != nil {
		return nil, fmt.Errorf("ingestionMapping is not a JSON list of {Column, Properties: {Path}}: %v", err)
	}
	out := make([]*string, len(s))
	for _, e := range entries {
		path := e.Path
		for k, v := range e.Properties {
			switch strings.ToLower(k) {
			case "path":
				path = v
			default:
				return nil, fmt.Errorf("ingestionMapping property %s of column %s is not supported "+
					"(kql reads Path only)", k, e.Column)
			}
		}
		i := s.Index(e.Column)
		if i < 0 {
			return nil, fmt.Errorf("ingestionMapping names column %s, which externaldata does not declare",
				e.Column)
		}
		p, err := gjsonPath(path)
		if err != nil {
			return nil, fmt.Errorf("ingestionMapping of column %s: %v", e.Column, err)
		}
		out[i] = &p
	}
	return out, nil
}

// gjsonPath converts a mapping's JSONPath ($, $.a.b, $['a b'], $.a[0]) to
// a gjson path; "" stands for the whole record.
func gjsonPath(jp string) (string, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(jp), "$")
	if !ok {
		return "", fmt.Errorf("path %q does not start with $", jp)
	}
	var parts []string
	for rest != "" {
		switch {
		case rest[0] == '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			name := rest[1 : 1+end]
			if name == "" {
				return "", fmt.Errorf("path %q has an empty step", jp)
			}
			parts, rest = append(parts, gjson.Escape(name)), rest[1+end:]
		case strings.HasPrefix(rest, "['") || strings.HasPrefix(rest, `["`):
			end := strings.Index(rest[2:], rest[1:2]+"]")
			if end < 0 {
				return "", fmt.Errorf("path %q has an unclosed [", jp)
			}
			parts, rest = append(parts, gjson.Escape(rest[2:2+end])), rest[2+end+2:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			n, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil || n < 0 {
				return "", fmt.Errorf("path %q: kql reads names and array indexes only", jp)
			}
			parts, rest = append(parts, strconv.Itoa(n)), rest[end+1:]
		default:
			return "", fmt.Errorf("path %q: kql reads names and array indexes only", jp)
		}
	}
	return strings.Join(parts, "."), nil
}

// loadMappedJSON reads json or multijson records (a JSON array of them, or
// values one after another) and takes each column's value from its mapped
// path, converted to the declared type.
func loadMappedJSON(file string, o ExternalOptions, paths []*string) (*Table, error) {
	text, err := readAll(file)
	if err != nil {
		return nil, err
	}
	cols := make([]*Column, len(o.Schema))
	for i, fd := range o.Schema {
		cols[i] = NewColumn(fd.Type, 0)
	}
	ld := &loader{path: file, data: text}
	add := func(rec gjson.Result, base int) error {
		for i, p := range paths {
			v := rec
			if p == nil {
				v = gjson.Result{}
			} else if *p != "" {
				v = rec.Get(*p)
			}
			if !v.Exists() {
				cols[i].AppendNull()
				continue
			}
			val, ok := valueFromJSON(o.Schema[i].Type, v)
			if !ok {
				return ld.errAt(base+rec.Index+v.Index, "column '%s': cannot read %s as %s",
					o.Schema[i].Name, quoteShort(v.Raw), o.Schema[i].Type)
			}
			cols[i].Append(val)
		}
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(text))
	for {
		start := int(dec.InputOffset())
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			break
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, ld.errAt(int(se.Offset)-1, "invalid JSON: %v", se)
		}
		if err != nil {
			return nil, &DataError{Path: file, Msg: err.Error()}
		}
		base := skipSpace(text, start)
		v := gjson.Parse(string(raw))
		if v.IsArray() {
			v.ForEach(func(_, rec gjson.Result) bool {
				err = add(rec, base)
				return err == nil
			})
		} else {
			err = add(v, base)
		}
		if err != nil {
			return nil, err
		}
	}
	return NewTable("", o.Schema, cols), nil
}
