package kqltest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Suffix ends the name of every case file.
const Suffix = ".kqltest.yaml"

// File is one case file: the YAML documents it holds, kept as nodes so that
// --update can rewrite the expectations and leave the rest as written, and
// the cases read from them.
type File struct {
	Path  string
	Cases []*Case
	docs  []*yaml.Node
	data  []byte // the text parsed, which --update edits
}

// Case is one test case. A case that could not be read keeps the reason in
// Err and is reported as an error when run, so that one mistake does not
// hide the other cases of the file.
type Case struct {
	File  *File
	Name  string
	Line  int // where the case starts in File.Path
	Err   error
	Index int // 1-based position in the file

	Query     string
	QueryFile string // as written, relative to the case file
	Now       string
	Tables    []TableSpec
	Data      []string
	Schema    string
	Expect    Expect

	node *yaml.Node // the case's mapping
	// end is the line where the next case or document starts, 0 at the
	// end of the file: the case's text ends before it.
	end int
}

// TableSpec is one entry of a case's tables: a file, or rows written in the
// case, optionally with column types.
type TableSpec struct {
	Name    string
	Path    string     // a table file, relative to the case file
	Rows    *yaml.Node // a sequence of mappings
	Columns []Column   // declared types of inline rows
}

// Column is an expected result column. Type is empty when only the name is
// part of the expectation.
type Column struct {
	Name, Type string
}

// Expect is what a case expects of its query. Any of Rows, Count and
// Columns may be combined; Error excludes them.
type Expect struct {
	Rows       []ExpectedRow
	HasRows    bool
	Ordered    bool
	Count      *int
	Columns    []Column
	HasColumns bool
	Error      *ExpectedError
	Ignore     []string

	node *yaml.Node // the expect mapping, nil when the case has none
}

// ExpectedRow is one row of an expectation: its cells, and its keys in the
// order written.
type ExpectedRow struct {
	Keys  []string
	Cells map[string]any
	Line  int
}

// ExpectedError is an expected failure: a substring of the message and,
// when not zero, the 1-based line and column it is reported at.
type ExpectedError struct {
	Message   string
	Line, Col int
	short     bool // written as a bare message
}

// Dir returns the directory case-relative paths start from.
func (c *Case) Dir() string { return filepath.Dir(c.File.Path) }

// Find lists the case files under each path, in lexical order within each.
// A path that is a file is taken as a case file whatever its name, so that
// `kql test one.yaml` works.
func Find(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, unwrapPath(err))
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), Suffix) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadFile reads a case file. An error means the file as a whole could not
// be read (it is not YAML); a problem in one case is kept in that case's Err.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	return ParseFile(path, data)
}

// ParseFile is ReadFile over data already read.
func ParseFile(path string, data []byte) (*File, error) {
	f := &File{Path: path, data: data}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: not valid YAML: %w", path, err)
		}
		f.docs = append(f.docs, &doc)
	}
	for i, doc := range f.docs {
		if len(doc.Content) == 0 {
			continue
		}
		docEnd := 0
		if i+1 < len(f.docs) && len(f.docs[i+1].Content) > 0 {
			docEnd = f.docs[i+1].Content[0].Line
		}
		root := doc.Content[0]
		switch root.Kind {
		case yaml.MappingNode:
			f.addCase(root, docEnd)
		case yaml.SequenceNode:
			for j, n := range root.Content {
				end := docEnd
				if j+1 < len(root.Content) {
					end = root.Content[j+1].Line
				}
				f.addCase(deref(n), end)
			}
		default:
			return nil, fmt.Errorf("%s:%d: want a case (a mapping) or a list of cases",
				path, root.Line)
		}
	}
	if len(f.Cases) == 0 {
		return nil, fmt.Errorf("%s: no test cases", path)
	}
	return f, nil
}

// deref follows a YAML alias (*name) to the node it names, so that cases
// can share rows or tables through anchors.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func (f *File) addCase(n *yaml.Node, end int) {
	c := &Case{File: f, Line: n.Line, Index: len(f.Cases) + 1, node: n, end: end}
	c.Name = fmt.Sprintf("%s#%d", filepath.Base(f.Path), c.Index)
	if err := c.parse(n); err != nil {
		c.Err = err
		var ne *nodeError
		if errors.As(err, &ne) && ne.line > 0 {
			c.Err = fmt.Errorf("%s:%d:%d: %s", f.Path, ne.line, ne.col, ne.msg)
		}
	}
	f.Cases = append(f.Cases, c)
}

// parse reads a case's fields. Unknown fields are errors: a misspelt
// `expected:` would otherwise make a case that checks nothing.
func (c *Case) parse(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return nodeErrorf(n, "a case must be a mapping")
	}
	var ignore []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], deref(n.Content[i+1])
		var err error
		switch key.Value {
		case "name":
			c.Name, err = scalar(val, "name")
		case "query":
			c.Query, err = scalar(val, "query")
		case "query_file":
			c.QueryFile, err = scalar(val, "query_file")
		case "now":
			c.Now, err = scalar(val, "now")
		case "tables":
			c.Tables, err = parseTables(val)
		case "data":
			c.Data, err = stringList(val, "data")
		case "schema":
			c.Schema, err = scalar(val, "schema")
		case "expect":
			c.Expect, err = parseExpect(val)
		case "ignore_columns":
			ignore, err = stringList(val, "ignore_columns")
		default:
			err = nodeErrorf(key, "unknown field %q (want name, query, query_file, now, "+
				"tables, data, schema, expect or ignore_columns)", key.Value)
		}
		if err != nil {
			return err
		}
	}
	c.Expect.Ignore = append(c.Expect.Ignore, ignore...)
	switch {
	case c.Query == "" && c.QueryFile == "":
		return nodeErrorf(n, "the case has neither query nor query_file")
	case c.Query != "" && c.QueryFile != "":
		return nodeErrorf(n, "the case has both query and query_file")
	}
	return nil
}

func scalar(n *yaml.Node, field string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", nodeErrorf(n, "%s: want text", field)
	}
	return n.Value, nil
}

// stringList reads one string or a list of them.
func stringList(n *yaml.Node, field string) ([]string, error) {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, nodeErrorf(n, "%s: want text or a list of text", field)
	}
	out := make([]string, 0, len(n.Content))
	for _, e := range n.Content {
		s, err := scalar(e, field)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// parseTables reads `tables:`: each name maps to a file path, a list of
// rows, or {columns: {Name: type}, rows: [...]}.
func parseTables(n *yaml.Node) ([]TableSpec, error) {
	if n.Kind != yaml.MappingNode {
		return nil, nodeErrorf(n, "tables: want a mapping from table name to rows or a file")
	}
	var out []TableSpec
	for i := 0; i+1 < len(n.Content); i += 2 {
		spec := TableSpec{Name: n.Content[i].Value}
		val := deref(n.Content[i+1])
		switch val.Kind {
		case yaml.ScalarNode:
			spec.Path = val.Value
		case yaml.SequenceNode:
			spec.Rows = val
		case yaml.MappingNode:
			if err := parseTypedTable(val, &spec); err != nil {
				return nil, err
			}
		default:
			return nil, nodeErrorf(val, "table %s: want a file path or a list of rows", spec.Name)
		}
		if spec.Rows != nil {
			if err := checkRowMappings(spec.Rows, "table "+spec.Name); err != nil {
				return nil, err
			}
		}
		out = append(out, spec)
	}
	return out, nil
}

func parseTypedTable(n *yaml.Node, spec *TableSpec) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], deref(n.Content[i+1])
		var err error
		switch key.Value {
		case "rows":
			if val.Kind != yaml.SequenceNode {
				return nodeErrorf(val, "table %s: rows: want a list of rows", spec.Name)
			}
			spec.Rows = val
		case "file":
			spec.Path, err = scalar(val, "file")
		case "columns":
			spec.Columns, err = parseColumns(val)
		default:
			err = nodeErrorf(key, "table %s: unknown field %q (want rows, file or columns)",
				spec.Name, key.Value)
		}
		if err != nil {
			return err
		}
	}
	if (spec.Rows == nil) == (spec.Path == "") {
		return nodeErrorf(n, "table %s: want either rows or file", spec.Name)
	}
	return nil
}

func checkRowMappings(n *yaml.Node, what string) error {
	for _, r := range n.Content {
		if deref(r).Kind != yaml.MappingNode {
			return nodeErrorf(r, "%s: each row must be a mapping of column to value", what)
		}
	}
	return nil
}

func parseExpect(n *yaml.Node) (Expect, error) {
	e := Expect{node: n}
	if n.Kind != yaml.MappingNode {
		return e, nodeErrorf(n, "expect: want a mapping (rows, count, columns or error)")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], deref(n.Content[i+1])
		var err error
		switch key.Value {
		case "rows":
			e.HasRows = true
			e.Rows, err = parseRows(val)
		case "ordered":
			err = val.Decode(&e.Ordered)
		case "count":
			var k int
			err = val.Decode(&k)
			e.Count = &k
		case "columns":
			e.HasColumns = true
			e.Columns, err = parseColumns(val)
		case "error":
			e.Error, err = parseError(val)
		case "ignore_columns":
			e.Ignore, err = stringList(val, "ignore_columns")
		default:
			err = nodeErrorf(key, "expect: unknown field %q (want rows, ordered, count, "+
				"columns, error or ignore_columns)", key.Value)
		}
		if err != nil {
			return e, fieldError(val, "expect."+key.Value, err)
		}
	}
	if e.Error != nil && (e.HasRows || e.Count != nil || e.HasColumns) {
		return e, nodeErrorf(n, "expect: error cannot be combined with rows, count or columns")
	}
	return e, nil
}

// fieldError places a decoding error of yaml.v3 (which has no position of
// its own) at the node.
func fieldError(n *yaml.Node, field string, err error) error {
	var ne *nodeError
	if errors.As(err, &ne) {
		return err
	}
	return nodeErrorf(n, "%s: %v", field, err)
}

func parseRows(n *yaml.Node) ([]ExpectedRow, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, nodeErrorf(n, "want a list of rows")
	}
	if err := checkRowMappings(n, "expect.rows"); err != nil {
		return nil, err
	}
	out := make([]ExpectedRow, 0, len(n.Content))
	for _, r := range n.Content {
		r = deref(r)
		row := ExpectedRow{Cells: map[string]any{}, Line: r.Line}
		for i := 0; i+1 < len(r.Content); i += 2 {
			v, err := decodeNode(r.Content[i+1])
			if err != nil {
				return nil, err
			}
			k := r.Content[i].Value
			if _, dup := row.Cells[k]; !dup {
				row.Keys = append(row.Keys, k)
			}
			row.Cells[k] = v
		}
		out = append(out, row)
	}
	return out, nil
}

// parseColumns reads a list of names ("Name", or "Name:type" as KQL writes
// a schema) or a mapping from name to type.
func parseColumns(n *yaml.Node) ([]Column, error) {
	var out []Column
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			out = append(out, Column{Name: n.Content[i].Value, Type: n.Content[i+1].Value})
		}
	case yaml.SequenceNode:
		for _, e := range n.Content {
			switch {
			case e.Kind == yaml.ScalarNode:
				name, typ, _ := strings.Cut(e.Value, ":")
				out = append(out, Column{Name: strings.TrimSpace(name), Type: strings.TrimSpace(typ)})
			case e.Kind == yaml.MappingNode && len(e.Content) == 2:
				out = append(out, Column{Name: e.Content[0].Value, Type: e.Content[1].Value})
			default:
				return nil, nodeErrorf(e, "a column is a name, Name:type, or {Name: type}")
			}
		}
	default:
		return nil, nodeErrorf(n, "want a list of column names or a mapping of name to type")
	}
	return out, nil
}

// parseError reads `error: text` or `error: {message, line, col}`.
func parseError(n *yaml.Node) (*ExpectedError, error) {
	if n.Kind == yaml.ScalarNode {
		return &ExpectedError{Message: n.Value, short: true}, nil
	}
	var e struct {
		Message string `yaml:"message"`
		Line    int    `yaml:"line"`
		Col     int    `yaml:"col"`
	}
	if n.Kind != yaml.MappingNode {
		return nil, nodeErrorf(n, "want a message, or {message, line, col}")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch k := n.Content[i].Value; k {
		case "message", "line", "col":
		default:
			return nil, nodeErrorf(n.Content[i], "unknown field %q (want message, line or col)", k)
		}
	}
	if err := n.Decode(&e); err != nil {
		return nil, err
	}
	return &ExpectedError{Message: e.Message, Line: e.Line, Col: e.Col}, nil
}
