package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// pattern is a declared pattern: its rules by key (see patternKey).
type pattern struct {
	stmt  *parser.PatternStmt
	rules map[string]*parser.PatternRule
}

// declarePattern binds a declare pattern statement. The rules' values must
// be constant strings, as the pattern reference's parameter table says;
// their queries are bound at each invocation.
func (b *binder) declarePattern(st *parser.PatternStmt) {
	p := &pattern{stmt: st, rules: map[string]*parser.PatternRule{}}
	hasPath := st.Path != nil
	for _, r := range st.Rules {
		if len(r.Args) != len(st.Params) || (r.Path != nil) != hasPath {
			b.errorf(parser.PhaseType, r, "a rule of pattern '%s' needs %d value(s)%s", st.Name.Name,
				len(st.Params), map[bool]string{true: " and a path", false: ""}[hasPath])
			continue
		}
		key, ok := b.patternKey(r.Args, r.Path)
		if !ok {
			continue
		}
		p.rules[key] = r
	}
	if b.patterns == nil {
		b.patterns = map[string]*pattern{}
	}
	b.patterns[st.Name.Name] = p
}

// patternKey is the lookup key of a tuple of pattern values: each constant
// string, then the path, quoted and joined. ok is false (and an error is
// reported) when a value is not a constant string.
func (b *binder) patternKey(args []parser.Expr, path parser.Expr) (string, bool) {
	var sb strings.Builder
	vals := append(append([]parser.Expr(nil), args...), path)
	for i, a := range vals {
		if a == nil {
			continue
		}
		if id, isIdent := a.(*parser.Ident); isIdent && i == len(args) {
			sb.WriteString(tables.QuoteJSON(id.Name)) // .Path written as a name
			sb.WriteByte(',')
			continue
		}
		x := b.scalar(a, nil)
		if x.konst == nil || x.konst.Type() != tables.String {
			b.errorf(parser.PhaseType, a, "pattern values must be constant strings")
			return "", false
		}
		sb.WriteString(tables.QuoteJSON(x.konst.Str()))
		sb.WriteByte(',')
	}
	return sb.String(), true
}

// patternCall splits an invocation Name(values) or Name(values).Path (or
// .["Path"]) of a declared pattern; ok is false when e is not one.
func (b *binder) patternCall(e parser.Expr) (p *pattern, call *parser.CallExpr, path parser.Expr, ok bool) {
	switch x := e.(type) {
	case *parser.MemberExpr:
		call, _ = x.X.(*parser.CallExpr)
		path = x.Name
	case *parser.IndexExpr:
		call, _ = x.X.(*parser.CallExpr)
		path = x.Index
	case *parser.CallExpr:
		call = x
	}
	if call == nil || call.Fun == nil || b.patterns == nil {
		return nil, nil, nil, false
	}
	p = b.patterns[call.Fun.Name]
	return p, call, path, p != nil
}

// invokePattern binds an invocation of a pattern: the query of the rule its
// values select. An invocation no rule matches is an error, as in Kusto.
func (b *binder) invokePattern(e parser.Expr, p *pattern, call *parser.CallExpr, path parser.Expr) plan {
	if !p.stmt.Defined {
		key, ok := b.patternKey(call.Args, path)
		if ok {
			b.errorf(parser.PhaseName, e, "the pattern reference %s was not declared (the pattern is empty)",
				emptyPatternRef(p, key, len(call.Args)))
		}
		return emptyPlan{}
	}
	if (path != nil) != (p.stmt.Path != nil) || len(call.Args) != len(p.stmt.Params) {
		b.errorf(parser.PhaseType, e, "pattern '%s' takes %d value(s)%s", p.stmt.Name.Name,
			len(p.stmt.Params), map[bool]string{true: " and a path", false: ""}[p.stmt.Path != nil])
		return emptyPlan{}
	}
	key, ok := b.patternKey(call.Args, path)
	if !ok {
		return emptyPlan{}
	}
	r := p.rules[key]
	if r == nil {
		b.errorf(parser.PhaseName, e, "the pattern reference %s was not declared", patternRef(p, key))
		return emptyPlan{}
	}
	if !b.enterFunc(call, r) {
		return emptyPlan{}
	}
	defer b.leaveFunc(r)
	return b.tabular(r.Body)
}

// emptyPatternRef names an invocation of an empty pattern, whose arity the
// invocation gives.
func emptyPatternRef(p *pattern, key string, n int) string {
	return refText(p.stmt.Name.Name, key, n, true)
}

// patternRef writes an invocation as Kusto's error names it:
// app('ApplicationX').['*'].
func patternRef(p *pattern, key string) string {
	return refText(p.stmt.Name.Name, key, len(p.stmt.Params), p.stmt.Path != nil)
}

func refText(name, key string, n int, path bool) string {
	var vals []string
	for _, q := range strings.Split(strings.TrimSuffix(key, ","), ",") {
		v := tables.ParseJSON(q)
		s, _ := v.DynString()
		vals = append(vals, "'"+s+"'")
	}
	ref := name + "(" + strings.Join(vals[:n], ", ") + ")"
	if path && len(vals) > n {
		ref += ".[" + vals[n] + "]"
	}
	return ref
}
