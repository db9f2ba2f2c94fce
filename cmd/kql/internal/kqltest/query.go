package kqltest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kql-offline/kql/parser"
)

// Query is a query to run and how to place its errors.
type Query struct {
	// Name is what error positions are prefixed with: the query file, or
	// "query" for a case's inline query.
	Name string
	// Text is the KQL handed to the parser.
	Text string
	// Position maps a byte offset in Text to the 1-based line and column the
	// user sees: in the query file (a Sentinel rule's query sits inside the
	// YAML file), or in the inline query itself.
	Position func(offset int) (line, col int)
	// Describe, when set, renders a query error as the command line prints
	// it (message, source line and caret). Nil means "name:line:col: msg".
	Describe func(err error) string
}

// QueryLoader reads a query file: KQL text, or a Sentinel rule whose query
// field is run. The command line passes its own loader, which maps errors in
// a rule's query to the rule file's lines.
type QueryLoader func(path string) (*Query, error)

// TextQuery is a query that is its own text: positions count from its start.
func TextQuery(name, text string) *Query {
	return &Query{Name: name, Text: text, Position: func(off int) (int, int) {
		return parser.Position(text, off)
	}}
}

// LoadQueryFile is the QueryLoader used when none is given: a .kql file is
// read whole; a .yaml or .yml file is a Sentinel rule whose query field is
// run, with error positions counted from the start of that field's text
// (the command line's loader counts them in the file instead).
func LoadQueryFile(path string) (*Query, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		var rule struct {
			Query string `yaml:"query"`
		}
		if err := yaml.Unmarshal(data, &rule); err != nil {
			return nil, fmt.Errorf("%s: not a valid YAML rule: %w", path, err)
		}
		if rule.Query == "" {
			return nil, fmt.Errorf("%s: no 'query' field", path)
		}
		return TextQuery(path, rule.Query), nil
	}
	return TextQuery(path, string(data)), nil
}

// describe renders a query error for a failure report.
func (q *Query) describe(err error) string {
	if q.Describe != nil {
		return strings.TrimRight(q.Describe(err), "\n")
	}
	var lines []string
	for _, e := range queryErrors(err) {
		line, col := q.Position(e.Span.Start)
		lines = append(lines, fmt.Sprintf("%s:%d:%d: %s", q.Name, line, col, e.Msg))
	}
	if len(lines) == 0 {
		return err.Error()
	}
	return strings.Join(lines, "\n")
}

// queryErrors returns the positioned errors inside err, if any.
func queryErrors(err error) []*parser.Error {
	var (
		list parser.ErrorList
		one  *parser.Error
	)
	switch {
	case errors.As(err, &list):
		return list
	case errors.As(err, &one):
		return []*parser.Error{one}
	}
	return nil
}
