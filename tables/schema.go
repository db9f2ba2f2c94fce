package tables

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// schemaFile is the layout of a schema file: the table name and its
// columns; other fields (evidence, notes, source) are documentation and are
// ignored.
type schemaFile struct {
	Name    string `json:"name"`
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
}

// ReadSchemaFile reads a table schema from a JSON file of the form
// {"name": "T", "columns": [{"name": "A", "type": "string"}, ...]}. Types
// take every spelling ParseType accepts. A file without a name gives the
// table its base name.
func ReadSchemaFile(path string) (string, Schema, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	var sf schemaFile
	if err := json.Unmarshal(b, &sf); err != nil {
		return "", nil, schemaJSONError(path, string(b), err)
	}
	if sf.Columns == nil {
		return "", nil, &DataError{Path: path, Msg: `no "columns" list`}
	}
	s := make(Schema, 0, len(sf.Columns))
	for i, c := range sf.Columns {
		t, ok := ParseType(c.Type)
		switch {
		case c.Name == "":
			return "", nil, &DataError{Path: path, Msg: fmt.Sprintf("column %d has no name", i+1)}
		case !ok:
			return "", nil, &DataError{Path: path,
				Msg: fmt.Sprintf("column '%s': unknown type '%s'", c.Name, c.Type)}
		case s.Index(c.Name) >= 0:
			return "", nil, &DataError{Path: path,
				Msg: fmt.Sprintf("column '%s' is declared twice", c.Name)}
		}
		s = append(s, Field{Name: c.Name, Type: t})
	}
	name := sf.Name
	if name == "" {
		name = TableName(path)
	}
	return name, s, nil
}

// schemaJSONError places a JSON error of a schema file at its line.
func schemaJSONError(path, text string, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := -1
	switch {
	case errors.As(err, &se):
		off = int(se.Offset) - 1 // the offset counts the offending byte
	case errors.As(err, &te):
		off = int(te.Offset)
	}
	if off < 0 {
		return &DataError{Path: path, Msg: err.Error()}
	}
	line, col := lineCol(text, off)
	return &DataError{Path: path, Line: line, Col: col, Msg: err.Error()}
}

// ReadSchemaDir reads every *.json schema file directly in dir, keyed by
// table name. Two files naming the same table are an error naming both.
func ReadSchemaDir(dir string) (map[string]Schema, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]Schema{}
	from := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		name, s, err := ReadSchemaFile(path)
		if err != nil {
			return nil, err
		}
		if prev, ok := from[name]; ok {
			return nil, &DataError{Path: path,
				Msg: fmt.Sprintf("table %s is also declared by %s", name, prev)}
		}
		out[name], from[name] = s, path
	}
	return out, nil
}
