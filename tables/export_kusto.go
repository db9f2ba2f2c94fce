package tables

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// netTypes maps the .NET type names Kusto's v1 DataType and Defender's
// Schema use (System. prefix removed, lower case) to KQL types, where
// ParseType does not know them already.
var netTypes = map[string]Type{
	"object": Dynamic, "jobject": Dynamic, "jarray": Dynamic, "jtoken": Dynamic,
	"newtonsoft.json.linq.jobject": Dynamic, "newtonsoft.json.linq.jarray": Dynamic,
	"newtonsoft.json.linq.jtoken": Dynamic,
	"sbyte":                       Bool, "sqldecimal": Decimal, "data.sqltypes.sqldecimal": Decimal,
	"int16": Int, "byte": Int, "single": Real, "uint64": Long, "uint32": Long,
}

// ExportType returns the KQL type of a column type named in an exported
// response: a Kusto name (string, long, ...) or a .NET one (String,
// System.Int64, Object, SByte, ...), in any case.
func ExportType(name string) (Type, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimPrefix(n, "system.")
	if t, ok := netTypes[n]; ok {
		return t, true
	}
	return ParseType(n)
}

// member returns the first of the keys obj has.
func member(obj gjson.Result, keys ...string) gjson.Result {
	for _, k := range keys {
		if r := obj.Get(gjson.Escape(k)); r.Exists() {
			return r
		}
	}
	return gjson.Result{}
}

// resultTable is one table of a response before it is named.
type resultTable struct {
	name, kind string
	t          *Table
}

// metaKinds are the kinds of tables that describe a query rather than hold
// its results; they are not loaded.
var metaKinds = map[string]bool{
	"QueryProperties": true, "QueryCompletionInformation": true, "QueryTraceLog": true,
	"QueryPerfLog": true, "TableOfContents": true, "QueryPlan": true, "QueryStatus": true,
	"ExtendedProperties": true, "@ExtendedProperties": true,
}

// loadKustoV1 reads {"tables":[...]} (Log Analytics) or {"Tables":[...]}
// (ADX v1). In ADX v1 the last table may be a table of contents that gives
// each table its kind and name.
func (ld *loader) loadKustoV1() ([]*Table, error) {
	root := gjson.Parse(ld.data)
	list := member(root, "tables", "Tables")
	if !list.IsArray() {
		if e := root.Get("error"); e.Exists() {
			return nil, &DataError{Path: ld.path, Msg: "the file is an error response, not a result: " +
				errorMessage(e)}
		}
		return nil, &DataError{Path: ld.path, Msg: `no "tables" list in the response`}
	}
	if e := root.Get("error"); e.Exists() {
		// A 200 response with a PartialError: the rows may be incomplete.
		return nil, &DataError{Path: ld.path, Msg: "the response reports an error, so its rows may be " +
			"incomplete: " + errorMessage(e)}
	}
	var raw []gjson.Result
	list.ForEach(func(_, v gjson.Result) bool {
		raw = append(raw, v)
		return true
	})
	kinds, names := v1Contents(raw)
	var out []resultTable
	for i, tb := range raw {
		name := member(tb, "name", "TableName").Str
		kind := "PrimaryResult"
		if kinds != nil {
			kind, name = kinds[i], names[i]
		}
		if metaKinds[kind] || metaKinds[name] || kind == "" {
			continue
		}
		t, err := ld.rowsTable(tb, member(tb, "columns", "Columns"), member(tb, "rows", "Rows"))
		if err != nil {
			return nil, err
		}
		out = append(out, resultTable{name: name, kind: kind, t: t})
	}
	return ld.nameResults(out), nil
}

// v1Contents reads an ADX v1 table of contents (the last table, with
// columns Ordinal, Kind, Name, Id, PrettyName): the kind and name of each
// table by position. It returns nils when there is none. The TOC itself
// and any table it does not list get kind "".
func v1Contents(raw []gjson.Result) (kinds, names []string) {
	if len(raw) < 2 {
		return nil, nil
	}
	toc := raw[len(raw)-1]
	cols := member(toc, "columns", "Columns").Array()
	idx := map[string]int{}
	for i, c := range cols {
		idx[member(c, "name", "ColumnName").Str] = i
	}
	ko, okK := idx["Kind"]
	no, okN := idx["Name"]
	oo, okO := idx["Ordinal"]
	if !okK || !okN || !okO {
		return nil, nil
	}
	kinds, names = make([]string, len(raw)), make([]string, len(raw))
	member(toc, "rows", "Rows").ForEach(func(_, row gjson.Result) bool {
		r := row.Array()
		if len(r) <= max(ko, no, oo) {
			return true
		}
		if i := int(r[oo].Int()); i >= 0 && i < len(raw)-1 {
			kind := r[ko].Str
			if kind == "QueryResult" {
				kind = "PrimaryResult"
			}
			kinds[i], names[i] = kind, r[no].Str
		}
		return true
	})
	return kinds, names
}

// loadKustoV2 reads a v2 frame array: DataTable frames, or the
// TableHeader, TableFragment and TableCompletion frames of a progressive
// response.
func (ld *loader) loadKustoV2() ([]*Table, error) {
	root := gjson.Parse(ld.data)
	if !root.IsArray() {
		return nil, &DataError{Path: ld.path, Msg: "a v2 response is an array of frames"}
	}
	var out []resultTable
	progressive := map[int64]*v2Progressive{}
	var order []int64
	var err error
	root.ForEach(func(_, fr gjson.Result) bool {
		switch fr.Get("FrameType").Str {
		case "DataTable":
			err = ld.v2Table(fr, &out, fr.Get("Rows"))
		case "TableHeader":
			id := fr.Get("TableId").Int()
			progressive[id] = &v2Progressive{header: fr}
			order = append(order, id)
		case "TableFragment":
			p := progressive[fr.Get("TableId").Int()]
			if p == nil {
				err = ld.errAt(int(fr.Index), "a TableFragment frame before its TableHeader")
				break
			}
			if fr.Get("TableFragmentType").Str == "DataReplace" {
				p.rows = nil
			}
			p.rows = append(p.rows, fr.Get("Rows"))
		case "DataSetCompletion":
			err = v2Errors(ld, fr)
		}
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	for _, id := range order {
		p := progressive[id]
		if err := ld.v2Table(p.header, &out, p.rows...); err != nil {
			return nil, err
		}
	}
	return ld.nameResults(out), nil
}

// v2Progressive collects the fragments of one table of a progressive
// response.
type v2Progressive struct {
	header gjson.Result
	rows   []gjson.Result
}

// v2Table loads one result table of a v2 response unless it only
// describes the query.
func (ld *loader) v2Table(fr gjson.Result, out *[]resultTable, rows ...gjson.Result) error {
	kind, name := fr.Get("TableKind").Str, fr.Get("TableName").Str
	if metaKinds[kind] || metaKinds[name] {
		return nil
	}
	t, err := ld.rowsTable(fr, fr.Get("Columns"), rows...)
	if err != nil {
		return err
	}
	*out = append(*out, resultTable{name: name, kind: kind, t: t})
	return nil
}

// v2Errors reports a response whose completion frame says it failed.
func v2Errors(ld *loader, fr gjson.Result) error {
	if !fr.Get("HasErrors").Bool() && !fr.Get("Cancelled").Bool() {
		return nil
	}
	msg := fr.Get("OneApiErrors.0.error.message").Str
	if msg == "" {
		msg = "the query failed or was cancelled"
	}
	return ld.errAt(int(fr.Index), "the response reports an error: %s", msg)
}

// nameResults names the result tables: the first gets the file's table
// name; a later one keeps its own name unless that is PrimaryResult or a
// generic Table_N, in which case it becomes <file table>_<N> with N its
// position from 1.
func (ld *loader) nameResults(rs []resultTable) []*Table {
	out := make([]*Table, len(rs))
	for i, r := range rs {
		name := r.name
		switch {
		case i == 0:
			name = ld.name
		case name == "" || name == "PrimaryResult" || isGenericTableName(name):
			name = ld.name + "_" + strconv.Itoa(i+1)
		}
		r.t.Name = name
		out[i] = r.t
	}
	return out
}

func isGenericTableName(n string) bool {
	rest, ok := strings.CutPrefix(n, "Table_")
	_, err := strconv.Atoi(rest)
	return ok && err == nil
}

// rowsTable builds a table from a column list and arrays of row arrays
// (one, or the fragments of a progressive response, in order).
// Each column is typed by the response (ColumnType before DataType), and
// by the options' schema where the response gives no type.
func (ld *loader) rowsTable(tb, cols gjson.Result, rows ...gjson.Result) (*Table, error) {
	if !cols.IsArray() {
		return nil, ld.errAt(int(tb.Index), `a table without a "columns" list`)
	}
	declared := ld.opts.declaredTypes()
	var schema Schema
	var failed error
	cols.ForEach(func(_, c gjson.Result) bool {
		name := member(c, "name", "ColumnName", "Name").Str
		tn := member(c, "ColumnType", "type", "DataType", "Type")
		t, ok := ExportType(tn.Str)
		switch {
		case name == "":
			failed = ld.errAt(int(c.Index), "a column without a name")
		case !ok && declared[name] != Unknown:
			t = declared[name]
		case !ok:
			failed = ld.errAt(int(tn.Index), "column '%s': unknown type '%s'", name, tn.Str)
		}
		schema = append(schema, Field{Name: name, Type: t})
		return failed == nil
	})
	if failed != nil {
		return nil, failed
	}
	b := newTableBuilder(ld, schema)
	for _, list := range rows {
		list.ForEach(func(_, row gjson.Result) bool {
			failed = b.row(row)
			return failed == nil
		})
		if failed != nil {
			return nil, failed
		}
	}
	return b.table(), nil
}

// tableBuilder appends typed JSON values to the columns of a schema.
type tableBuilder struct {
	ld     *loader
	schema Schema
	cols   []*Column
	index  map[string]int
}

func newTableBuilder(ld *loader, schema Schema) *tableBuilder {
	b := &tableBuilder{ld: ld, schema: schema, index: map[string]int{}}
	for i, f := range schema {
		b.cols = append(b.cols, NewColumn(f.Type, 0))
		b.index[f.Name] = i
	}
	return b
}

// row appends one row given as an array of values in column order.
func (b *tableBuilder) row(row gjson.Result) error {
	if !row.IsArray() {
		if row.IsObject() && member(row, "error", "OneApiErrors").Exists() {
			return b.ld.errAt(int(row.Index), "the response holds an error row: %s",
				member(row, "error", "OneApiErrors").Get("message").Str)
		}
		return b.ld.errAt(int(row.Index), "a row is not an array")
	}
	i := 0
	var err error
	row.ForEach(func(_, v gjson.Result) bool {
		if i >= len(b.cols) {
			err = b.ld.errAt(int(v.Index), "the row has more values than the %d columns", len(b.cols))
			return false
		}
		err = b.set(i, v)
		i++
		return err == nil
	})
	if err == nil && i < len(b.cols) {
		return b.ld.errAt(int(row.Index), "the row has %d values but there are %d columns", i, len(b.cols))
	}
	return err
}

// set appends v to column i, or reports where it does not fit.
func (b *tableBuilder) set(i int, v gjson.Result) error {
	c := b.cols[i]
	val, ok := valueFromJSON(c.Type(), v)
	if !ok {
		text := v.Raw
		if v.Type == gjson.String {
			text = v.Str
		}
		return b.ld.errAt(int(v.Index), "column '%s': cannot read %s as %s",
			b.schema[i].Name, quoteShort(text), c.Type())
	}
	c.Append(val)
	return nil
}

// table returns the columns built so far as a table.
func (b *tableBuilder) table() *Table {
	t := NewTable(b.ld.name, b.schema, b.cols)
	if len(b.cols) > 0 {
		t.SetRows(b.cols[0].Len())
	}
	return t
}

// valueFromJSON converts a JSON value of a response to type t, as Kusto
// writes each type: datetimes, timespans, guids and decimals as strings,
// numbers as numbers, dynamic values as JSON or as JSON text in a string
// (Log Analytics). Real columns may hold "NaN" and "Infinity" strings.
func valueFromJSON(t Type, v gjson.Result) (Value, bool) {
	switch v.Type {
	case gjson.Null:
		return Null(t), true
	case gjson.String:
		if t == String {
			return NewString(v.Str), true
		}
		return parseText(t, v.Str)
	case gjson.Number:
		switch t {
		case Bool:
			return parseBool(v.Raw)
		case Int, Long:
			return parseInteger(t, v.Raw)
		case Real:
			return NewReal(v.Num), true
		case Decimal:
			return NewDecimal(v.Num), true
		case Timespan:
			return NewTimespan(int64(v.Num)), v.Num == float64(int64(v.Num))
		}
	case gjson.True, gjson.False:
		if t == Bool {
			return NewBool(v.Type == gjson.True), true
		}
	}
	switch t {
	case String:
		return NewString(compactText(v.Raw)), true
	case Dynamic:
		return NewDynamic(compactText(v.Raw)), true
	}
	return Value{}, false
}

// compactText removes insignificant white space from JSON text.
func compactText(raw string) string {
	if !strings.ContainsAny(raw, " \t\r\n") {
		return raw
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(raw)); err != nil {
		return raw
	}
	return buf.String()
}

// loadDefender reads {"Schema":[{"Name","Type"}],"Results":[{...}]} (or the
// Graph API's schema/results with name/type). A result key the schema does
// not declare is an error: the API never writes one.
func (ld *loader) loadDefender() (*Table, error) {
	root := gjson.Parse(ld.data)
	sch := member(root, "Schema", "schema")
	if !sch.IsArray() {
		return nil, &DataError{Path: ld.path, Msg: `no "Schema" list in the response`}
	}
	t, err := ld.rowsTable(root, sch)
	if err != nil {
		return nil, err
	}
	b := newTableBuilder(ld, t.Schema)
	var failed error
	member(root, "Results", "results").ForEach(func(_, obj gjson.Result) bool {
		failed = b.object(obj)
		return failed == nil
	})
	if failed != nil {
		return nil, failed
	}
	return b.table(), nil
}

// object appends one row given as an object keyed by column name; a
// missing key gives null.
func (b *tableBuilder) object(obj gjson.Result) error {
	if !obj.IsObject() {
		return b.ld.errAt(int(obj.Index), "a result row is not an object")
	}
	vals := make([]gjson.Result, len(b.cols))
	var err error
	obj.ForEach(func(k, v gjson.Result) bool {
		i, ok := b.index[k.Str]
		switch {
		case !ok && strings.HasPrefix(k.Str, "@odata"):
		case !ok:
			err = b.ld.errAt(int(k.Index), "key '%s' is not in the schema", k.Str)
		case !vals[i].Exists():
			vals[i] = v
		}
		return err == nil
	})
	if err != nil {
		return err
	}
	for i, v := range vals {
		if !v.Exists() {
			b.cols[i].AppendNull()
			continue
		}
		if err := b.set(i, v); err != nil {
			return err
		}
	}
	return nil
}

// quoteShort quotes a value for a message, cut to 40 bytes.
func quoteShort(s string) string {
	const limit = 40
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return strconv.Quote(s)
}

// errorMessage returns the message of an API error object, with the
// details the services nest under innererror and list under details.
func errorMessage(e gjson.Result) string {
	msg := e.Get("message").Str
	for inner := e.Get("innererror"); inner.Exists(); inner = inner.Get("innererror") {
		if m := inner.Get("message").Str; m != "" {
			msg += ": " + m
		}
	}
	e.Get("details").ForEach(func(_, d gjson.Result) bool {
		if m := d.Get("message").Str; m != "" {
			msg += ": " + m
		}
		return true
	})
	if msg == "" {
		msg = compactText(e.Raw)
	}
	return msg
}
