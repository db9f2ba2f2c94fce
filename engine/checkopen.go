package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
)

// dropOpenSchemaColumns removes "unknown column" findings that follow an
// operator whose output columns come from the data (bag_unpack or pivot
// without a declared schema): Check has schemas but no rows, so it cannot
// know those columns, and reporting them would be false alarms. A pipeline
// is open from such an operator to its end; so is a pipeline that starts
// from a let whose value holds one.
func dropOpenSchemaColumns(script *parser.Script, bound parser.ErrorList) parser.ErrorList {
	var open []parser.Span
	openLets := map[string]bool{}
	parser.Inspect(script, func(n parser.Node) bool {
		if l, ok := n.(*parser.LetStmt); ok && l.Name != nil && l.Value != nil && hasOpenOp(l.Value) {
			openLets[l.Name.Name] = true
		}
		return true
	})
	parser.Inspect(script, func(n parser.Node) bool {
		pipe, ok := n.(*parser.PipeExpr)
		if !ok {
			return true
		}
		if id, ok := unparen(pipe.Source).(*parser.Ident); ok && openLets[id.Name] {
			open = append(open, pipe.Span)
			return true
		}
		for _, op := range pipe.Ops {
			if isOpenOp(op) {
				open = append(open, parser.Span{Start: op.Pos().Start, End: pipe.End})
				break
			}
		}
		return true
	})
	if len(open) == 0 {
		return bound
	}
	out := parser.ErrorList{}
	for _, e := range bound {
		if e.Phase == parser.PhaseName && strings.HasPrefix(e.Msg, "unknown column") && within(e.Span, open) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func within(sp parser.Span, spans []parser.Span) bool {
	for _, o := range spans {
		if sp.Start >= o.Start && sp.Start < o.End {
			return true
		}
	}
	return false
}

// isOpenOp reports an evaluate of a data-shaped plugin with no declared
// output schema.
func isOpenOp(op parser.Operator) bool {
	ev, ok := op.(*parser.EvaluateOp)
	return ok && ev.Schema == nil && ev.Plugin != nil && ev.Plugin.Fun != nil && openSchemaPlugins[ev.Plugin.Fun.Name]
}

func hasOpenOp(e parser.Expr) bool {
	found := false
	parser.Inspect(e, func(n parser.Node) bool {
		if op, ok := n.(parser.Operator); ok && isOpenOp(op) {
			found = true
		}
		return !found
	})
	return found
}
