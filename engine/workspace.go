package engine

import (
	"fmt"
	"sort"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// This file gives a query what a Sentinel workspace has besides tables:
// stored functions, watchlists (_GetWatchlist) and externaldata, whose
// files the caller resolves (Options.ExternalData). The catalog holds the
// first two, so that binding, checking and the REPL all see them.

// StoredFunction is a function the workspace defines outside the query: a
// Sentinel saved function or ASIM parser, callable by name as a let
// function of the query would be.
type StoredFunction struct {
	Name string
	Fn   *parser.FuncLit
	// Source names where it was defined (a file), and Text is the source
	// text its spans point into; errors inside its body are reported at
	// the call with this position.
	Source string
	Text   string
	// Line is the line of Source that Text starts on (1 for a .kql file;
	// later for a query inside YAML).
	Line int
	// Indent is the number of columns the text is indented by in Source
	// (a YAML block scalar's indentation).
	Indent int
}

// workspace is what a catalog holds besides tables.
type workspace struct {
	functions  map[string]*StoredFunction
	byLit      map[*parser.FuncLit]*StoredFunction
	watchlists map[string]*tables.Table
}

func (c *Catalog) workspace() *workspace {
	if c.ws == nil {
		c.ws = &workspace{functions: map[string]*StoredFunction{},
			byLit: map[*parser.FuncLit]*StoredFunction{}, watchlists: map[string]*tables.Table{}}
	}
	return c.ws
}

// AddFunction stores a function under its name, replacing one of that name.
func (c *Catalog) AddFunction(f *StoredFunction) {
	ws := c.workspace()
	ws.functions[f.Name] = f
	ws.byLit[f.Fn] = f
}

// Function returns the stored function called name.
func (c *Catalog) Function(name string) (*StoredFunction, bool) {
	if c.ws == nil {
		return nil, false
	}
	f, ok := c.ws.functions[name]
	return f, ok
}

// FunctionNames returns the names of the stored functions, sorted.
func (c *Catalog) FunctionNames() []string {
	if c.ws == nil {
		return nil
	}
	out := make([]string, 0, len(c.ws.functions))
	for n := range c.ws.functions {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// AddWatchlist stores the table _GetWatchlist(name) returns. Names match
// exactly: Sentinel's _GetWatchlist selects the items whose WatchlistAlias
// == the argument, so another case finds no watchlist.
func (c *Catalog) AddWatchlist(name string, t *tables.Table) {
	c.workspace().watchlists[name] = t
}

// Watchlist returns the watchlist called name.
func (c *Catalog) Watchlist(name string) (*tables.Table, bool) {
	if c.ws == nil {
		return nil, false
	}
	t, ok := c.ws.watchlists[name]
	return t, ok
}

// WatchlistNames returns the watchlist names, sorted.
func (c *Catalog) WatchlistNames() []string {
	if c.ws == nil {
		return nil
	}
	out := make([]string, 0, len(c.ws.watchlists))
	for n := range c.ws.watchlists {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// storedScope is the scope around a script's own: the stored functions,
// which a script's lets shadow. Each function's body sees the other stored
// functions but not the script's lets.
func (b *binder) storedScope() *scope {
	if b.cat == nil || b.cat.ws == nil || len(b.cat.ws.functions) == 0 {
		return nil
	}
	s := &scope{names: map[string]*binding{}}
	for name, f := range b.cat.ws.functions {
		s.names[name] = &binding{fn: f.Fn, env: s}
	}
	return s
}

// storedErrors returns a function, to be deferred by a call of a let
// function, that moves the errors found in a stored function's body to the
// call: their spans point into another text. The message says where in
// the function's file the error is.
func (b *binder) storedErrors(at parser.Node, f *parser.FuncLit) func() {
	return b.moveStoredErrors(at, f, func(sf *StoredFunction, e *parser.Error) string {
		line, col := parser.Position(sf.Text, e.Span.Start)
		line += max(sf.Line, 1) - 1
		col += sf.Indent
		return fmt.Sprintf("in stored function %s (%s:%d:%d): %s", sf.Name, sf.Source, line, col, e.Msg)
	})
}

// storedDefaultErrors returns a function, to be deferred while a stored
// function's parameter default is bound, that moves the errors found in
// it to the call: the default's spans point into the text its
// declaration was parsed from (a YAML file's ParserParams), not the
// query's.
func (b *binder) storedDefaultErrors(at parser.Node, f *parser.FuncLit, p *parser.Param) func() {
	return b.moveStoredErrors(at, f, func(sf *StoredFunction, e *parser.Error) string {
		return fmt.Sprintf("in stored function %s (%s), the default of parameter '%s': %s",
			sf.Name, sf.Source, p.Name.Name, e.Msg)
	})
}

// moveStoredErrors returns a function that places at the call every error
// found since, in f when f is a stored function, with the message msg
// gives it. Internal errors keep their place.
func (b *binder) moveStoredErrors(at parser.Node, f *parser.FuncLit,
	msg func(sf *StoredFunction, e *parser.Error) string) func() {
	if b.cat == nil || b.cat.ws == nil {
		return func() {}
	}
	sf, ok := b.cat.ws.byLit[f]
	if !ok {
		return func() {}
	}
	before := len(b.errs)
	return func() {
		for _, e := range b.errs[before:] {
			if e.Phase == parser.PhaseInternal {
				continue
			}
			e.Msg = msg(sf, e)
			e.Span = at.Pos()
		}
	}
}

// workspaceCall binds the tabular functions a workspace provides:
// _GetWatchlist('name').
func (b *binder) workspaceCall(c *parser.CallExpr) (plan, bool) {
	if c.Fun == nil || c.Fun.Name != "_GetWatchlist" {
		return nil, false
	}
	if bnd := b.scope.lookup(c.Fun.Name); bnd != nil {
		return nil, false // the query's own function of that name
	}
	if len(c.Args) != 1 {
		b.errorf(parser.PhaseType, c, "_GetWatchlist() takes one argument, the watchlist's alias")
		return emptyPlan{}, true
	}
	x := b.scalar(c.Args[0], nil)
	if x.konst == nil || x.konst.Type() != tables.String {
		b.errorf(parser.PhaseType, c.Args[0], "_GetWatchlist() needs the watchlist's alias as a constant string")
		return emptyPlan{}, true
	}
	name := x.konst.Str()
	if t, ok := b.cat.Watchlist(name); ok {
		return &scanPlan{t: t}, true
	}
	known := b.cat.WatchlistNames()
	if len(known) == 0 {
		b.errorf(parser.PhaseName, c.Args[0],
			"unknown watchlist '%s': give kql a directory of watchlist CSV files with --watchlists DIR", name)
	} else {
		b.errorf(parser.PhaseName, c.Args[0], "unknown watchlist '%s' (no %s.csv in the --watchlists "+
			"directory; aliases are case-sensitive)%s", name, name, suggest(name, known))
	}
	return emptyPlan{}, true
}

// dropStored removes the walker's findings at uses of the catalog's stored
// functions (a call, a bare name, an invoke): the walker knows only the
// script's own lets, and the binder checks the calls.
func dropStored(script *parser.Script, cat *Catalog, found parser.ErrorList) parser.ErrorList {
	if cat == nil || cat.ws == nil || len(cat.ws.functions) == 0 {
		return found
	}
	at := map[int]bool{}
	parser.Inspect(script, func(n parser.Node) bool {
		switch n := n.(type) {
		case *parser.Ident:
			if _, ok := cat.ws.functions[n.Name]; ok {
				at[n.Start] = true
			}
		case *parser.InvokeOp:
			if n.Call != nil && n.Call.Fun != nil {
				if _, ok := cat.ws.functions[n.Call.Fun.Name]; ok {
					at[n.Start] = true
				}
			}
		}
		return true
	})
	out := parser.ErrorList{}
	for _, e := range found {
		if !at[e.Span.Start] {
			out = append(out, e)
		}
	}
	return out
}
