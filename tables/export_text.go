package tables

import (
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// loadAzCLI reads `az monitor log-analytics query` output: an array of
// objects whose values are all strings (numbers, datetimes and dynamic
// values included), each carrying a TableName key naming its result table,
// which is not a column. Rows of each result table become one table, in
// order of first appearance (see nameResults); the first is typed by the
// schema or hints where they declare a column, every column else by its
// text as CSV fields are (inferText).
//
// The CLI writes each value with Python's str(), so a null is the text
// "None" and booleans are "True" and "False". "None" is read as null in
// every column but a string one: a Kusto string is never null, so there it
// can only be the text itself.
func (ld *loader) loadAzCLI() ([]*Table, error) {
	root := gjson.Parse(ld.data)
	if !root.IsArray() {
		return nil, &DataError{Path: ld.path, Msg: "az CLI output is an array of objects"}
	}
	var groups []*azGroup
	byName := map[string]*azGroup{}
	var failed error
	root.ForEach(func(_, obj gjson.Result) bool {
		if !obj.IsObject() {
			failed = ld.errAt(int(obj.Index), "a row is not an object")
			return false
		}
		name := obj.Get("TableName").Str
		g := byName[name]
		if g == nil {
			g = &azGroup{name: name, texts: map[string][]gjson.Result{}}
			byName[name] = g
			groups = append(groups, g)
		}
		g.add(obj)
		return true
	})
	if failed != nil {
		return nil, failed
	}
	if len(groups) == 0 {
		groups = append(groups, &azGroup{texts: map[string][]gjson.Result{}})
	}
	opts := ld.opts
	defer func() { ld.opts = opts }()
	var out []resultTable
	for i, g := range groups {
		if i > 0 { // the schema and hints are those of the file's table
			ld.opts.Schema, ld.opts.Hints = nil, nil
		}
		t, err := ld.textTable(g.names, g.texts, g.rows)
		if err != nil {
			return nil, err
		}
		out = append(out, resultTable{name: g.name, t: t})
	}
	return ld.nameResults(out), nil
}

// azGroup collects the rows of one result table of az output, column by
// column.
type azGroup struct {
	name  string
	names []string
	texts map[string][]gjson.Result
	rows  int
}

func (g *azGroup) add(obj gjson.Result) {
	obj.ForEach(func(k, v gjson.Result) bool {
		if k.Str == "TableName" {
			return true
		}
		col, ok := g.texts[k.Str]
		if !ok {
			g.names = append(g.names, k.Str)
		}
		for len(col) < g.rows {
			col = append(col, gjson.Result{})
		}
		if len(col) == g.rows {
			g.texts[k.Str] = append(col, v)
		}
		return true
	})
	g.rows++
}

// textTable types and builds the columns of az output.
func (ld *loader) textTable(names []string, texts map[string][]gjson.Result, rows int) (*Table, error) {
	declared := ld.opts.declaredTypes()
	var order []string
	seen := map[string]bool{}
	for _, f := range ld.opts.Schema {
		order, seen[f.Name] = append(order, f.Name), true
	}
	for _, n := range names {
		if !seen[n] {
			order, seen[n] = append(order, n), true
		}
	}
	schema := make(Schema, len(order))
	for i, n := range order {
		t := declared[n]
		if t == Unknown {
			t = inferText(texts[n])
		}
		schema[i] = Field{Name: n, Type: t}
	}
	b := newTableBuilder(ld, schema)
	for i, f := range schema {
		vals := texts[f.Name]
		for r := 0; r < rows; r++ {
			if r >= len(vals) || !vals[r].Exists() || f.Type != String && isPyNone(vals[r]) {
				b.cols[i].AppendNull()
				continue
			}
			if err := b.set(i, vals[r]); err != nil {
				return nil, err
			}
		}
	}
	t := b.table()
	t.SetRows(rows)
	return t, nil
}

// inferText picks the type of a column of text values the way CSV
// inference does: long, real, bool, ISO 8601 datetime, dynamic (JSON
// objects and arrays), else string. Empty text and nulls are ignored.
func inferText(vals []gjson.Result) Type {
	isLong, isReal, isBool, isDate, isDyn, any := true, true, true, true, true, false
	for _, v := range vals {
		if v.Type == gjson.Null || !v.Exists() {
			continue
		}
		if v.Type != gjson.String {
			return inferJSONKind(vals)
		}
		s := strings.TrimSpace(v.Str)
		if s == "" || isPyNone(v) {
			continue
		}
		any = true
		_, errI := strconv.ParseInt(s, 10, 64)
		_, errF := strconv.ParseFloat(s, 64)
		isLong = isLong && errI == nil
		isReal = isReal && errF == nil && !strings.ContainsAny(s, "nNiI")
		isBool = isBool && (strings.EqualFold(s, "true") || strings.EqualFold(s, "false"))
		if isDate {
			_, isDate = parseISO(s)
		}
		isDyn = isDyn && (s[0] == '{' || s[0] == '[') && gjson.Valid(s)
	}
	switch {
	case !any:
		return String
	case isLong:
		return Long
	case isReal:
		return Real
	case isBool:
		return Bool
	case isDate:
		return DateTime
	case isDyn:
		return Dynamic
	}
	return String
}

// pyNone is how the az CLI writes a null: Python's str(None).
const pyNone = "None"

func isPyNone(v gjson.Result) bool { return v.Type == gjson.String && v.Str == pyNone }

// inferJSONKind types a column that holds JSON numbers, bools or objects
// (az output from a newer CLI, or hand-edited): one JSON kind gives its
// type, a mix gives dynamic.
func inferJSONKind(vals []gjson.Result) Type {
	var t Type
	for _, v := range vals {
		var k Type
		switch v.Type {
		case gjson.Null:
			continue
		case gjson.Number:
			k = Real
			if _, err := strconv.ParseInt(v.Raw, 10, 64); err == nil {
				k = Long
			}
		case gjson.True, gjson.False:
			k = Bool
		case gjson.String:
			k = String
		default:
			k = Dynamic
		}
		switch {
		case t == Unknown || t == k:
			t = k
		case (t == Long || t == Real) && (k == Long || k == Real):
			t = Real
		default:
			return Dynamic
		}
	}
	if t == Unknown {
		return String
	}
	return t
}

// utcSuffix ends the header of a datetime column in a portal CSV export.
const utcSuffix = " [UTC]"

// sniffPortalCSV recognises a portal CSV export by a header field that
// ends in " [UTC]".
func sniffPortalCSV(head string) string {
	line, _, _ := strings.Cut(head, "\n")
	if !strings.Contains(line, utcSuffix) {
		return ""
	}
	fields, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return ""
	}
	for _, f := range fields {
		if strings.HasSuffix(f, utcSuffix) {
			return FormatPortalCSV
		}
	}
	return ""
}

// loadPortalCSV reads a CSV export of the Sentinel or Defender portal: a
// header "TimeGenerated [UTC]" names column TimeGenerated and declares it
// a datetime (unless the schema says otherwise); the portal's datetime text
// (11/3/2025, 10:00:00.000 AM) is read by ParseDateTime (portalLayouts).
// The rest is plain CSV. Only the header line is rewritten, so positions
// in error messages stay those of the file.
func (ld *loader) loadPortalCSV() (*Table, error) {
	r := csv.NewReader(strings.NewReader(ld.data))
	header, err := r.Read()
	if err != nil {
		return ld.loadCSV() // empty or broken: the CSV reader says why
	}
	end := int(r.InputOffset())
	hints := append(Schema(nil), ld.opts.Hints...)
	declared := ld.opts.declaredTypes()
	for i, h := range header {
		name, ok := strings.CutSuffix(h, utcSuffix)
		if !ok {
			continue
		}
		header[i] = name
		if declared[name] == Unknown {
			hints = append(hints, Field{Name: name, Type: DateTime})
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(header)
	w.Flush()
	ld.data = b.String() + ld.data[end:]
	ld.opts.Hints = hints
	return ld.loadCSV()
}
