package engine

import (
	"context"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Query is a bound query, ready to run any number of times.
type Query struct {
	schema tables.Schema
	root   plan
}

// plan is one bound tabular operator; Run pulls its input and produces a table.
type plan interface {
	schema() tables.Schema
	run(ctx context.Context) (*tables.Table, error)
}

// Schema returns the columns of the query's result.
func (q *Query) Schema() tables.Schema { return q.schema }

// Run executes the query.
func (q *Query) Run(ctx context.Context) (*tables.Table, error) {
	return q.root.run(ctx)
}

// Bind resolves a script against a catalog. The error, when there is one, is
// a parser.ErrorList naming every unresolved name and type problem.
func Bind(script *parser.Script, cat *Catalog, opts Options) (*Query, error) {
	panic("not yet")
}
