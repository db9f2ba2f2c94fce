package tables

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tidwall/gjson"
)

// The formats of query results exported from Microsoft's services, beside
// the plain "json", "ndjson" and "csv". Each is recognised from the start of
// the file when LoadOptions.Format is empty or "json", and can be forced by
// naming it there.
const (
	// FormatKustoV1 is the Log Analytics query API response
	// ({"tables":[{"name","columns":[{"name","type"}],"rows"}]}) and the
	// Azure Data Explorer v1 REST response, which spells the same thing
	// Tables/TableName/Columns/ColumnName/DataType/ColumnType/Rows.
	FormatKustoV1 = "kusto-v1"
	// FormatKustoV2 is the Azure Data Explorer v2 REST response: an array
	// of frames, progressive or not.
	FormatKustoV2 = "kusto-v2"
	// FormatDefender is the Defender XDR advanced hunting API response,
	// {"Schema":[{"Name","Type"}],"Results":[{...}]}, and the Microsoft
	// Graph runHuntingQuery one (schema/results, name/type).
	FormatDefender = "defender"
	// FormatAzCLI is the output of `az monitor log-analytics query`: an
	// array of objects whose values are all strings, each with a TableName
	// key, which is dropped. Columns are typed by the schema or hints, and
	// by inference otherwise.
	FormatAzCLI = "az"
	// FormatPortalCSV is a CSV file exported from the Sentinel (Log
	// Analytics) or Defender portal: datetime columns are headed
	// "Name [UTC]" and written like 11/3/2025, 10:00:00.000 AM.
	FormatPortalCSV = "portal-csv"
)

// exportFormats maps every accepted spelling of an export format name to
// its canonical name.
var exportFormats = map[string]string{
	FormatKustoV1: FormatKustoV1, "v1": FormatKustoV1, "loganalytics": FormatKustoV1,
	"log-analytics": FormatKustoV1, "la": FormatKustoV1, "adx-v1": FormatKustoV1,
	FormatKustoV2: FormatKustoV2, "v2": FormatKustoV2, "adx-v2": FormatKustoV2, "adx": FormatKustoV2,
	FormatDefender: FormatDefender, "advanced-hunting": FormatDefender, "graph": FormatDefender,
	FormatAzCLI: FormatAzCLI, "az-cli": FormatAzCLI, "azcli": FormatAzCLI,
	FormatPortalCSV: FormatPortalCSV, "portal": FormatPortalCSV,
}

// Formats lists the format names LoadOptions.Format accepts, for help text.
func Formats() []string {
	return []string{"json", "ndjson", "csv", FormatKustoV1, FormatKustoV2,
		FormatDefender, FormatAzCLI, FormatPortalCSV}
}

// CanonicalFormat returns the canonical name of a format name (any case;
// aliases such as "v1", "loganalytics", "adx", "portal" accepted), or false
// when it names no format.
func CanonicalFormat(name string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "json", "ndjson", "csv":
		return n, true
	case "jsonl":
		return "ndjson", true
	}
	f, ok := exportFormats[n]
	return f, ok
}

// sniffExport recognises an export format from the first bytes of a file.
// An explicit export format wins; an explicit json, ndjson or csv is taken
// at its word; without one, a .json, .csv or extensionless file is looked
// into. It returns "" for data that is none of the export formats.
func sniffExport(path, explicit, head string) string {
	if f, ok := exportFormats[strings.ToLower(explicit)]; ok {
		return f
	}
	ext := fileExt(path)
	switch {
	case explicit != "":
		return "" // json, ndjson and csv forced: read as such
	case ext == ".csv":
		return sniffPortalCSV(head)
	case ext != "" && ext != ".json":
		return ""
	}
	i := skipSpace(head, 0)
	if i == len(head) {
		return ""
	}
	switch head[i] {
	case '{':
		return sniffObject(head[i:])
	case '[':
		return sniffArray(head[i:])
	}
	return ""
}

// sniffObject tells a Kusto v1 or Defender response from NDJSON by the
// keys of the first object, whose values must be arrays: "tables" for v1,
// "schema" and "results" for Defender. An object followed by another value
// is NDJSON whatever its keys.
func sniffObject(head string) string {
	keys, end := topKeys(head)
	if end > 0 && skipSpace(head, end) < len(head) {
		return ""
	}
	_, isErr := keys["error"]
	switch {
	case keys["tables"] || isErr && len(keys) == 1:
		// An API error ({"error": {...}}) is read as a v1 response, which
		// reports its message.
		return FormatKustoV1
	case keys["schema"] && keys["results"]:
		return FormatDefender
	}
	return ""
}

// sniffArray recognises a v2 frame array and az CLI output by their first
// element.
func sniffArray(head string) string {
	first := gjson.Get(head, "0")
	if !first.IsObject() {
		return ""
	}
	if first.Get("FrameType").Exists() {
		return FormatKustoV2
	}
	allStrings, tableName := true, false
	first.ForEach(func(k, v gjson.Result) bool {
		if k.Str == "TableName" {
			tableName = true
		}
		allStrings = allStrings && (v.Type == gjson.String || v.Type == gjson.Null)
		return true
	})
	if allStrings && tableName {
		return FormatAzCLI
	}
	return ""
}

// topKeys returns the keys, in lower case, of the outermost object that
// lie within head (which may stop in the middle of the object), each with
// whether its value is an array, and the offset just past the object, or 0
// when it does not end within head.
func topKeys(head string) (map[string]bool, int) {
	keys := map[string]bool{}
	depth := 0
	expectKey := false
	for i := 0; i < len(head); i++ {
		switch c := head[i]; c {
		case '{', '[':
			depth++
			expectKey = c == '{' && depth == 1
		case '}', ']':
			depth--
			if depth == 0 {
				return keys, i + 1
			}
		case ',':
			expectKey = depth == 1
		case '"':
			end := strings.IndexByte(head[i+1:], '"')
			for end >= 0 && strings.HasSuffix(head[i+1:i+1+end], `\`) {
				next := strings.IndexByte(head[i+2+end:], '"')
				if next < 0 {
					end = -1
					break
				}
				end += next + 1
			}
			if end < 0 {
				return keys, 0
			}
			if expectKey && depth == 1 {
				key := strings.ToLower(head[i+1 : i+1+end])
				j := skipSpace(head, i+end+2)
				if j < len(head) && head[j] == ':' {
					j = skipSpace(head, j+1)
				}
				keys[key] = j < len(head) && head[j] == '['
				expectKey = false
			}
			i += end + 1
		}
	}
	return keys, 0
}

// isExportFormat reports whether f is read by loadExport.
func isExportFormat(f string) bool {
	_, ok := exportFormats[f]
	return ok && f == exportFormats[f]
}

// loadExport reads one of the export formats and returns its primary
// table (see LoadTables for the others).
func (ld *loader) loadExport(f string) (*Table, error) {
	if f == FormatPortalCSV {
		return ld.loadPortalCSV()
	}
	ts, err := ld.exportTables(f)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, &DataError{Path: ld.path, Msg: "the response holds no result table"}
	}
	return ts[0], nil
}

// exportTables reads every result table of an export.
func (ld *loader) exportTables(f string) ([]*Table, error) {
	if f != FormatPortalCSV && !gjson.Valid(ld.data) {
		return nil, ld.jsonSyntaxError()
	}
	switch f {
	case FormatKustoV1:
		return ld.loadKustoV1()
	case FormatKustoV2:
		return ld.loadKustoV2()
	case FormatDefender:
		t, err := ld.loadDefender()
		if err != nil {
			return nil, err
		}
		return []*Table{t}, nil
	case FormatAzCLI:
		return ld.loadAzCLI()
	case FormatPortalCSV:
		t, err := ld.loadPortalCSV()
		if err != nil {
			return nil, err
		}
		return []*Table{t}, nil
	}
	return nil, &DataError{Path: ld.path, Msg: fmt.Sprintf("unknown format %q", f)}
}

// jsonSyntaxError places the first syntax error of the data.
func (ld *loader) jsonSyntaxError() error {
	var v any
	err := json.Unmarshal([]byte(ld.data), &v)
	if se, ok := err.(*json.SyntaxError); ok {
		return ld.errAt(int(se.Offset)-1, "invalid JSON: %s", se.Error())
	}
	return &DataError{Path: ld.path, Msg: "invalid JSON"}
}

// LoadTables reads every table a file holds: the result tables of a Kusto
// v1 or v2 response or of az CLI output, one table for any other format. The first (primary)
// result gets opts.Name, or the file's table name; see resultNames for the
// others. Data tables that only describe the query (QueryProperties,
// QueryCompletionInformation, TableOfContents, ...) are skipped.
func LoadTables(path string, opts LoadOptions) ([]*Table, error) {
	head, err := readHead(path, 64<<10)
	if err != nil {
		return nil, err
	}
	if b := []byte(head); bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		head = head[3:]
	}
	f := sniffExport(path, opts.Format, head)
	if f != FormatKustoV1 && f != FormatKustoV2 && f != FormatAzCLI {
		t, err := LoadFile(path, opts)
		if err != nil {
			return nil, err
		}
		return []*Table{t}, nil
	}
	data, err := readAll(path)
	if err != nil {
		return nil, err
	}
	data = strings.TrimPrefix(data, "\xef\xbb\xbf")
	name := opts.Name
	if name == "" {
		name = TableName(path)
	}
	ld := &loader{path: path, name: name, opts: opts, data: data}
	return ld.exportTables(f)
}

// readHead returns up to n first bytes of a file, gunzipped when its name
// ends in .gz.
func readHead(path string, n int64) (string, error) {
	r, closeFn, err := openData(path)
	if err != nil {
		return "", err
	}
	defer closeFn()
	b, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil && len(b) == 0 {
		return "", &DataError{Path: path, Msg: err.Error()}
	}
	return string(b), nil
}

// readAll returns a file's whole text, gunzipped when its name ends in .gz.
func readAll(path string) (string, error) {
	r, closeFn, err := openData(path)
	if err != nil {
		return "", err
	}
	defer closeFn()
	b, err := io.ReadAll(r)
	if err != nil {
		return "", &DataError{Path: path, Msg: err.Error()}
	}
	return string(b), nil
}

// openData opens a data file, through gzip when its name ends in .gz or
// its content starts with the gzip magic bytes.
func openData(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if !isGzip(path) && !gzipped(f) {
		return f, func() { f.Close() }, nil
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, &DataError{Path: path, Msg: err.Error()}
	}
	return zr, func() { zr.Close(); f.Close() }, nil
}

// LoadDirTables is LoadDirWith reading each file with LoadTables, so that
// a Kusto response in the directory gives all its result tables. Two files
// that give the same table name are an error naming both.
func LoadDirTables(dir string, options func(name string) LoadOptions) ([]*Table, error) {
	ts, _, err := LoadDirTableFiles(dir, options)
	return ts, err
}

// LoadDirTableFiles is LoadDirTables that also returns the file each table
// was read from.
func LoadDirTableFiles(dir string, options func(name string) LoadOptions) ([]*Table, []string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]string{}
	var out []*Table
	var files []string
	for _, e := range entries {
		if e.IsDir() || formatExts[fileExt(e.Name())] == "" {
			continue
		}
		path := filepath.Join(dir, e.Name())
		opts := options(TableName(path))
		opts.Name = TableName(path)
		ts, err := LoadTables(path, opts)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range ts {
			if prev, ok := seen[t.Name]; ok {
				return nil, nil, &DataError{Path: path,
					Msg: fmt.Sprintf("table %s is also defined by %s", t.Name, prev)}
			}
			seen[t.Name] = path
			out = append(out, t)
			files = append(files, path)
		}
	}
	return out, files, nil
}
