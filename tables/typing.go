package tables

import (
	"encoding/csv"
	"strings"
)

// Typing says where the type of a loaded column came from.
type Typing int

const (
	// TypedByFile: the file declares its columns' types (a Kusto v1 or v2
	// response, a Defender or Graph advanced hunting response).
	TypedByFile Typing = iota
	// TypedBySchema: LoadOptions.Schema declares the column.
	TypedBySchema
	// TypedByHint: LoadOptions.Hints declares the column.
	TypedByHint
	// TypedByHeader: a portal CSV export heads the column "Name [UTC]",
	// which makes it a datetime.
	TypedByHeader
	// TypedInferred: nothing declares the column; its type was inferred
	// from the values.
	TypedInferred
)

// selfTyped lists the formats whose files carry their column types.
var selfTyped = map[string]bool{FormatKustoV1: true, FormatKustoV2: true, FormatDefender: true}

// DetectFormat returns the format a file is read as with the given
// explicit format ("" to detect it): json, ndjson, csv or one of the
// export formats (see Formats).
func DetectFormat(path, explicit string) (string, error) {
	head, err := readHead(path, 64<<10)
	if err != nil {
		return "", err
	}
	head = strings.TrimPrefix(head, "\xef\xbb\xbf")
	if c, ok := CanonicalFormat(explicit); ok {
		explicit = c
	}
	return format(path, explicit, head), nil
}

// ColumnTypings returns the format path is read as and, for each column
// of t (a table loaded from path with opts), where its type came from, so
// that a caller can say which types were inferred.
func ColumnTypings(path string, opts LoadOptions, t *Table) (string, []Typing, error) {
	f, err := DetectFormat(path, opts.Format)
	if err != nil {
		return "", nil, err
	}
	var utc map[string]bool
	if f == FormatPortalCSV {
		utc = portalDateColumns(path)
	}
	schema, hints := opts.Schema.set(), opts.Hints.set()
	primary := opts.Name
	if primary == "" {
		primary = TableName(path)
	}
	if f == FormatAzCLI && t.Name != primary {
		schema, hints = nil, nil // az's later result tables are inferred (loadAzCLI)
	}
	out := make([]Typing, len(t.Schema))
	for i, c := range t.Schema {
		switch {
		case selfTyped[f]:
			out[i] = TypedByFile
		case schema[c.Name]:
			out[i] = TypedBySchema
		case hints[c.Name]:
			out[i] = TypedByHint
		case utc[c.Name]:
			out[i] = TypedByHeader
		default:
			out[i] = TypedInferred
		}
	}
	return f, out, nil
}

// set returns the names of the schema's columns.
func (s Schema) set() map[string]bool {
	out := make(map[string]bool, len(s))
	for _, f := range s {
		out[f.Name] = true
	}
	return out
}

// portalDateColumns returns the columns a portal CSV export's header
// marks as datetimes ("Name [UTC]").
func portalDateColumns(path string) map[string]bool {
	head, err := readHead(path, 64<<10)
	if err != nil {
		return nil
	}
	head = strings.TrimPrefix(head, "\xef\xbb\xbf")
	line, _, _ := strings.Cut(head, "\n")
	fields, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return nil
	}
	out := map[string]bool{}
	for _, h := range fields {
		if name, ok := strings.CutSuffix(h, utcSuffix); ok {
			out[name] = true
		}
	}
	return out
}
