package engine

import (
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Check reports, without running anything, every problem that stops a
// parsed script from running against the tables of cat (only their schemas
// matter): the binder's name and type errors, and every operator, plugin and
// function kql cannot run yet, all at once. The binder alone is not enough
// for the last part: it stops binding a pipeline at its first failure, so
// an unknown table would hide an unsupported operator after it.
//
// Findings are in source order, one per position. On a script that did not
// parse fully, names its broken statements would have defined are reported
// as unknown; the caller, who has the text, may drop those.
func Check(script *parser.Script, cat *Catalog) parser.ErrorList {
	if script == nil {
		return nil
	}
	found := Unsupported(script)
	found = append(found, bareTables(script, cat)...)
	found = dropStored(script, cat, found) // stored functions are known (workspace.go)
	_, err := Bind(script, cat, Options{Now: checkNow, ExternalData: checkExternalData, GeoIP: checkGeoIP, checking: true})
	bound := dropOpenSchemaColumns(script, asErrorList(err))
	found = append(found, dropCascades(script, found, bound)...)
	return dedupe(found)
}

// bareTables reports a statement that is only an unknown name as an
// unknown table: the binder, unable to tell it from a scalar, would say the
// statement is not tabular.
func bareTables(script *parser.Script, cat *Catalog) parser.ErrorList {
	var out parser.ErrorList
	lets := letNames(script)
	for _, st := range script.Stmts {
		es, ok := st.(*parser.ExprStmt)
		if !ok {
			continue
		}
		id, ok := unparen(es.X).(*parser.Ident)
		if !ok || lets[id.Name] {
			continue
		}
		if _, ok := cat.Table(id.Name); !ok {
			out = append(out, parser.Errorf(parser.PhaseName, id.Pos(),
				"unknown table '%s'%s", id.Name, suggest(id.Name, cat.Names())))
		}
	}
	return out
}

// dropCascades removes the binder's errors at a use of a let whose value
// holds an unsupported construct: that construct is reported already, and
// the binder could not tell what the let is, so "'x' is a scalar, not a
// table" says nothing the user can act on.
func dropCascades(script *parser.Script, walked, bound parser.ErrorList) parser.ErrorList {
	tainted := map[string]bool{}
	idents := map[int]string{}
	parser.Inspect(script, func(n parser.Node) bool {
		switch n := n.(type) {
		case *parser.LetStmt:
			if n.Name != nil && n.Value != nil && holdsUnsupported(n.Value.Pos(), walked) {
				tainted[n.Name.Name] = true
			}
		case *parser.Ident:
			idents[n.Start] = n.Name
		}
		return true
	})
	out := parser.ErrorList{}
	for _, e := range bound {
		if name, ok := idents[e.Span.Start]; ok && tainted[name] {
			continue
		}
		out = append(out, e)
	}
	return out
}

func holdsUnsupported(sp parser.Span, found parser.ErrorList) bool {
	for _, e := range found {
		if e.Phase == parser.PhaseUnsupported && e.Span.Start >= sp.Start && e.Span.Start < sp.End {
			return true
		}
	}
	return false
}

// checkGeoIP stands in for the --geoip file while checking: the data is
// needed only to run, as externaldata's files are.
var checkGeoIP = &tables.GeoIP{}

// checkNow is the now() of a check: any fixed time does, since nothing runs.
var checkNow = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Unsupported walks a script and returns every operator, plugin and
// function call kql cannot run, and every call of a function that neither
// kql nor Kusto knows, in source order.
func Unsupported(script *parser.Script) parser.ErrorList {
	if script == nil {
		return nil
	}
	w := &checkWalk{lets: letNames(script), skip: map[*parser.Ident]bool{}}
	parser.Inspect(script, w.visit)
	return dedupe(w.found)
}

// checkWalk collects findings while parser.Inspect walks a script.
type checkWalk struct {
	found parser.ErrorList
	// lets holds every name a let statement defines anywhere in the script;
	// a call of one is the script's own function.
	lets map[string]bool
	// skip holds the names of calls that are not function calls: the
	// plugin of evaluate, the function of invoke.
	skip map[*parser.Ident]bool
}

func (w *checkWalk) add(phase parser.Phase, n parser.Node, format string, args ...any) {
	w.found = append(w.found, parser.Errorf(phase, n.Pos(), format, args...))
}

func (w *checkWalk) visit(n parser.Node) bool {
	switch n := n.(type) {
	case *parser.EvaluateOp:
		w.evaluate(n)
	case *parser.InvokeOp:
		w.invoke(n)
	case *parser.ScanOp:
		for _, s := range n.Steps {
			if strings.EqualFold(s.Output, "last") {
				w.add(parser.PhaseUnsupported, s, "scan step output=last is not supported yet")
			}
		}
	case parser.Operator:
		if !supportedOps[n.OpName()] {
			w.add(parser.PhaseUnsupported, n, "operator '%s' is not supported yet", n.OpName())
		}
	case *parser.DeclareStmt:
		w.add(parser.PhaseUnsupported, n, "'declare query_parameters' is not supported yet")
	case *parser.MemberExpr:
		if isArgCall(n.X) { // arg("").T is a table (bind.go)
			w.skip[unparen(n.X).(*parser.CallExpr).Fun] = true
		}
	case *parser.CallExpr:
		w.call(n)
	}
	return true
}

func (w *checkWalk) evaluate(op *parser.EvaluateOp) {
	if op.Plugin == nil || op.Plugin.Fun == nil {
		w.add(parser.PhaseUnsupported, op, "operator 'evaluate' is not supported yet")
		return
	}
	w.skip[op.Plugin.Fun] = true
	if !supportedPlugins[op.Plugin.Fun.Name] {
		w.add(parser.PhaseUnsupported, op, "evaluate plugin '%s' is not supported yet", op.Plugin.Fun.Name)
	}
}

// invoke reports an invoke of anything but the script's own function:
// the MDE enrichment functions (FileProfile) and stored functions kql has
// not got.
func (w *checkWalk) invoke(op *parser.InvokeOp) {
	if op.Call == nil || op.Call.Fun == nil {
		w.add(parser.PhaseUnsupported, op, "operator 'invoke' is not supported yet")
		return
	}
	w.skip[op.Call.Fun] = true
	if name := op.Call.Fun.Name; mdeFunctions[name] {
		w.add(parser.PhaseUnsupported, op, "'%s' is a Microsoft Defender enrichment function; kql cannot run it", name)
	} else if !w.lets[name] && name != "FileProfile" {
		w.add(parser.PhaseName, op, "unknown function '%s' (invoke takes a function defined with let, or a stored function loaded with --functions)", name)
	}
}

func (w *checkWalk) call(c *parser.CallExpr) {
	if c.Fun == nil || w.skip[c.Fun] {
		return
	}
	name := c.Fun.Name
	switch {
	case engineSpecials[name] || w.lets[name]:
		return
	case tabularSources[name]:
		w.add(parser.PhaseUnsupported, c.Fun, "function '%s' is not supported yet", name)
		return
	}
	if _, ok := functions.Lookup(name); ok {
		return
	}
	if functions.IsKustoName(name) {
		w.add(parser.PhaseUnsupported, c.Fun, "function '%s' is not supported yet", name)
		return
	}
	w.add(parser.PhaseName, c.Fun, "unknown function '%s'%s", name, suggest(name, functions.Names()))
}

// supportedOps names the tabular operators the binder's operator() binds,
// by their OpName. TestCheckOperatorsMatchBinder keeps the two in step.
var supportedOps = map[string]bool{
	"where": true, "filter": true, "extend": true, "project": true,
	"project-away": true, "project-keep": true, "project-rename": true,
	"project-reorder": true, "summarize": true, "distinct": true,
	"mv-expand": true, "mvexpand": true, "mv-apply": true,
	"parse": true, "parse-where": true, "parse-kv": true, "union": true,
	"take": true, "limit": true, "count": true,
	"sort": true, "order": true, "top": true, "getschema": true,
	"join": true, "lookup": true, "as": true, "serialize": true, "render": true,
	"invoke": true, "evaluate": true, "make-series": true, "top-nested": true,
	"search": true, "sample": true, "sample-distinct": true, "scan": true,
	"project-by-names": true, "partition": true,
}

// engineSpecials are the calls the binder handles itself rather than
// through the function registry.
var engineSpecials = map[string]bool{
	"column_ifexists": true, "columnifexists": true, "toscalar": true,
	"materialize": true, "pack_all": true, "view": true, "_GetWatchlist": true,
	"table": true, "bin_auto": true,
}

// tabularSources are Kusto's functions that name tables outside the query
// (another database, cluster or workspace); kql has none of them yet.
var tabularSources = map[string]bool{
	"database": true, "cluster": true, "workspace": true,
	"app": true, "external_table": true, "materialized_view": true,
	"stored_query_result": true, "entity_group": true,
	"arg": true, "adx": true,
}

// letNames returns every name a let statement in the script defines,
// including lets inside function bodies, and the names of its patterns.
func letNames(script *parser.Script) map[string]bool {
	names := map[string]bool{}
	parser.Inspect(script, func(n parser.Node) bool {
		if l, ok := n.(*parser.LetStmt); ok && l.Name != nil {
			names[l.Name.Name] = true
		}
		if p, ok := n.(*parser.PatternStmt); ok && p.Name != nil {
			names[p.Name.Name] = true // invoked like a function
		}
		return true
	})
	return names
}

// asErrorList turns Bind's error into findings.
func asErrorList(err error) parser.ErrorList {
	if err == nil {
		return nil
	}
	var list parser.ErrorList
	if errors.As(err, &list) {
		return list
	}
	var one *parser.Error
	if errors.As(err, &one) {
		return parser.ErrorList{one}
	}
	return parser.ErrorList{parser.Errorf(parser.PhaseInternal, parser.Span{}, "%v", err)}
}

// dedupe keeps the first finding at each position and sorts them by
// position. The walker's findings come first, so its more specific
// messages (the plugin's name) win over the binder's at the same place.
func dedupe(found parser.ErrorList) parser.ErrorList {
	seen := map[int]bool{}
	out := parser.ErrorList{}
	for _, e := range found {
		if seen[e.Span.Start] {
			continue
		}
		seen[e.Span.Start] = true
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	return out
}
