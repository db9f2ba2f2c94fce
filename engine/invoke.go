package engine

import (
	"github.com/kql-offline/kql/parser"
)

// mdeFunctions are the enrichment functions Microsoft Defender for Endpoint
// provides to invoke that kql cannot run: they answer from Microsoft's
// records of devices, so kql says so by name rather than calling them
// unknown. FileProfile, which reads a local table (fileprofile.go), is not
// one of them.
var mdeFunctions = map[string]bool{
	"DeviceFromIP": true, "SeenBy": true, "AssignedIPAddresses": true,
}

// invoke binds `T | invoke f(args)`: a call of a let-defined function whose
// first parameter is tabular, with the piped table as that parameter and
// args as the rest.
func (b *binder) invoke(in plan, op *parser.InvokeOp) plan {
	c := op.Call
	if c == nil || c.Fun == nil {
		b.errorf(parser.PhaseSyntax, op, "invoke needs a function call")
		return emptyPlan{}
	}
	name := c.Fun.Name
	if mdeFunctions[name] {
		b.errorf(parser.PhaseUnsupported, op, "'%s' is a Microsoft Defender enrichment function; kql cannot run it", name)
		return emptyPlan{}
	}
	bnd := b.scope.lookup(name)
	if (bnd == nil || bnd.fn == nil) && name == "FileProfile" {
		return b.fileProfile(in, op)
	}
	if bnd == nil || bnd.fn == nil {
		b.errorf(parser.PhaseName, op, "unknown function '%s' (invoke takes a function defined with let, or a stored function loaded with --functions)", name)
		return emptyPlan{}
	}
	f := bnd.fn
	if !b.enterFunc(c, f) {
		return emptyPlan{}
	}
	defer b.leaveFunc(f)
	if len(f.Params) == 0 || !f.Params[0].Tabular {
		b.errorf(parser.PhaseType, c.Fun, "invoke: the first parameter of '%s' must be tabular, as in (T:(*))", name)
		return emptyPlan{}
	}
	if len(c.Args) > len(f.Params)-1 {
		b.errorf(parser.PhaseType, c, "too many arguments: '%s' takes %d after its input table", name, len(f.Params)-1)
		return emptyPlan{}
	}
	rest := *f
	rest.Params = f.Params[1:]
	vals := b.funcArgs(c, &rest, c.Args)
	vals[f.Params[0].Name.Name] = &binding{tab: in}
	saved := b.scope
	b.scope = &scope{parent: bnd.env, names: vals}
	defer func() { b.scope = saved }()
	var result plan
	for _, st := range f.Body {
		switch st := st.(type) {
		case *parser.LetStmt:
			b.let(st)
		case *parser.ExprStmt:
			result = b.tabular(st.X)
		}
	}
	if result == nil {
		b.errorf(parser.PhaseType, c, "'%s' has no tabular result", name)
		return emptyPlan{}
	}
	return result
}
