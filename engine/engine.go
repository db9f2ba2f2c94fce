// Package engine binds a parsed KQL query to tables and functions and runs
// it. Bind resolves every name, column position, type and function overload
// once and reports all it cannot resolve with their spans; Run then executes
// the bound plan under a context. The engine never parses or prints text.
package engine

import (
	"context"
	"sort"
	"time"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Catalog is the set of tables a query can name. Table names are
// case-sensitive, as in Kusto.
type Catalog struct {
	tables map[string]*tables.Table
	ws     *workspace // stored functions and watchlists (workspace.go)
}

// NewCatalog returns a catalog holding the given tables under their names.
func NewCatalog(ts ...*tables.Table) *Catalog {
	c := &Catalog{tables: map[string]*tables.Table{}}
	for _, t := range ts {
		c.Add(t)
	}
	return c
}

// Add puts t in the catalog under t.Name, replacing a table of that name.
func (c *Catalog) Add(t *tables.Table) { c.tables[t.Name] = t }

// Drop removes the table called name.
func (c *Catalog) Drop(name string) { delete(c.tables, name) }

// Table returns the table called name.
func (c *Catalog) Table(name string) (*tables.Table, bool) {
	t, ok := c.tables[name]
	return t, ok
}

// Names returns the table names, sorted.
func (c *Catalog) Names() []string {
	out := make([]string, 0, len(c.tables))
	for n := range c.tables {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Options set what a query sees of the world.
type Options struct {
	// Now is the value of now() and the base of ago(); the zero time means
	// the current time when Bind is called.
	Now time.Time
	// MaxOperatorRows caps the rows one range, mv-expand or join may
	// produce; zero means DefaultMaxOperatorRows.
	MaxOperatorRows int64
	// ExternalData reads the files externaldata names (externaldata.go);
	// nil makes externaldata fail when it runs.
	ExternalData ExternalDataFunc
	// GeoIP is the table of networks geo_info_from_ip_address reads; nil
	// makes a call of it a bind error that names --geoip.
	GeoIP *tables.GeoIP
	// checking is set by Check: data that only a run needs (the FileProfile
	// table) is stood in for by its empty schema.
	checking bool
}

// Run binds and runs a script in one step and returns its result table.
func Run(ctx context.Context, script *parser.Script, cat *Catalog, opts Options) (*tables.Table, error) {
	q, err := Bind(script, cat, opts)
	if err != nil {
		return nil, err
	}
	return q.Run(ctx)
}
