package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// joinPlan matches rows of its left input with rows of the right by equal
// keys. Rows come out in left order, each with its matches in right order;
// right-only rows of rightouter and fullouter follow at the end.
type joinPlan struct {
	left, right  plan
	kind         string
	lkeys, rkeys []*expr
	leftCols     []int // left columns in the output
	rightCols    []int // right columns in the output
	out          tables.Schema
}

// joinKinds are the kinds join accepts, with their aliases resolved.
var joinKinds = map[string]string{
	"innerunique": "innerunique", "inner": "inner", "leftouter": "leftouter",
	"rightouter": "rightouter", "fullouter": "fullouter", "outer": "fullouter",
	"leftanti": "leftanti", "anti": "leftanti", "leftantisemi": "leftanti",
	"rightanti": "rightanti", "rightantisemi": "rightanti",
	"leftsemi": "leftsemi", "rightsemi": "rightsemi",
}

// join binds join and lookup. lookup defaults to leftouter, keeps the key
// columns once, and accepts only inner and leftouter.
func (b *binder) join(left plan, params []*parser.Property, right parser.Expr, on []parser.Expr, at parser.Node, lookup bool) plan {
	kind := "innerunique"
	if lookup {
		kind = "leftouter"
	}
	for _, prop := range params {
		name := strings.ToLower(prop.Name.Name)
		if name != "kind" {
			continue // hints change how Kusto runs a join, not its rows
		}
		k, ok := joinKinds[strings.ToLower(identOrString(prop.Value))]
		if !ok || (lookup && k != "inner" && k != "leftouter") {
			b.errorf(parser.PhaseType, prop, "unknown %s kind '%s'", opWord(lookup), identOrString(prop.Value))
			return emptyPlan{}
		}
		kind = k
	}
	p := &joinPlan{left: left, right: b.tabular(right), kind: kind}
	if failed(p.right) {
		return p.right
	}
	lsch, rsch := left.schema(), p.right.schema()
	var rkeyNames []string
	for _, c := range flattenAnd(on) {
		l, r, shared := b.joinKey(c, lsch, rsch)
		if l == nil {
			continue
		}
		p.lkeys, p.rkeys = append(p.lkeys, l), append(p.rkeys, r)
		if shared {
			rkeyNames = append(rkeyNames, r.name)
		}
	}
	if len(p.lkeys) == 0 {
		b.errorf(parser.PhaseType, at, "%s needs at least one key in its on clause", opWord(lookup))
	}
	p.layout(lsch, rsch, lookup, rkeyNames)
	return p
}

func opWord(lookup bool) string {
	if lookup {
		return "lookup"
	}
	return "join"
}

// flattenAnd splits `a and b` conditions into a list.
func flattenAnd(on []parser.Expr) []parser.Expr {
	var out []parser.Expr
	for _, c := range on {
		if be, ok := unparen(c).(*parser.BinaryExpr); ok && be.Op == "and" {
			out = append(out, flattenAnd([]parser.Expr{be.X, be.Y})...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// joinKey binds one condition: a column both sides have, or
// $left.A == $right.B (either order). shared reports the first form.
func (b *binder) joinKey(c parser.Expr, lsch, rsch tables.Schema) (l, r *expr, shared bool) {
	switch c := unparen(c).(type) {
	case *parser.Ident:
		li, ri := lsch.Index(c.Name), rsch.Index(c.Name)
		if li < 0 || ri < 0 {
			b.errorf(parser.PhaseName, c, "join key '%s' must be a column of both sides", c.Name)
			return nil, nil, false
		}
		return colExpr(li, lsch[li]), colExpr(ri, rsch[ri]), true
	case *parser.BinaryExpr:
		if c.Op != "==" {
			break
		}
		ls, ln, lok := sideRef(c.X)
		rs, rn, rok := sideRef(c.Y)
		if !lok || !rok || ls == rs {
			break
		}
		if ls == "$right" {
			ln, rn = rn, ln
		}
		li, ri := lsch.Index(ln), rsch.Index(rn)
		if li < 0 {
			b.errorf(parser.PhaseName, c.X, "unknown column '%s' on the left side%s", ln, suggest(ln, lsch.Names()))
			return nil, nil, false
		}
		if ri < 0 {
			b.errorf(parser.PhaseName, c.Y, "unknown column '%s' on the right side%s", rn, suggest(rn, rsch.Names()))
			return nil, nil, false
		}
		return colExpr(li, lsch[li]), colExpr(ri, rsch[ri]), false
	}
	b.errorf(parser.PhaseUnsupported, c, "join conditions must be a shared column or $left.Column == $right.Column")
	return nil, nil, false
}

// sideRef reads $left.Name or $right.Name.
func sideRef(e parser.Expr) (side, name string, ok bool) {
	m, isMember := unparen(e).(*parser.MemberExpr)
	if !isMember {
		return "", "", false
	}
	id, isIdent := m.X.(*parser.Ident)
	if !isIdent || (id.Name != "$left" && id.Name != "$right") {
		return "", "", false
	}
	return id.Name, m.Name.Name, true
}

// layout decides the output columns: left then right, a right column whose
// name clashes getting a numeric suffix (Key1). Semi and anti joins keep one
// side only; lookup drops the right side's shared key columns.
func (p *joinPlan) layout(lsch, rsch tables.Schema, lookup bool, rkeyNames []string) {
	var out tables.Schema
	if p.kind != "rightanti" && p.kind != "rightsemi" {
		for i, f := range lsch {
			p.leftCols = append(p.leftCols, i)
			out = append(out, f)
		}
	}
	if p.kind != "leftanti" && p.kind != "leftsemi" {
		for i, f := range rsch {
			if lookup && contains(rkeyNames, f.Name) {
				continue
			}
			p.rightCols = append(p.rightCols, i)
			out = append(out, f)
		}
	}
	p.out = uniqueNames(out)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *joinPlan) schema() tables.Schema { return p.out }

func (p *joinPlan) run(rc *runCtx) (*tables.Table, error) {
	lt, err := p.left.run(rc)
	if err != nil {
		return nil, err
	}
	rt, err := p.right.run(rc)
	if err != nil {
		return nil, err
	}
	lkeys, err := keyStrings(rc, p.lkeys, lt)
	if err != nil {
		return nil, err
	}
	rkeys, err := keyStrings(rc, p.rkeys, rt)
	if err != nil {
		return nil, err
	}
	if err := p.checkSize(rc, lkeys, rkeys); err != nil {
		return nil, err
	}
	li, ri := p.match(lkeys, rkeys)
	cols := make([]*tables.Column, 0, len(p.out))
	for _, c := range p.leftCols {
		cols = append(cols, lt.Columns[c].Take(li))
	}
	for _, c := range p.rightCols {
		cols = append(cols, rt.Columns[c].Take(ri))
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(max(len(li), len(ri)))
	return out, nil
}

// keyStrings encodes each row's join key; a row with a null key part gets
// "", which never matches: null keys do not join.
func keyStrings(rc *runCtx, keys []*expr, t *tables.Table) ([]string, error) {
	fns := make([]rowFn, len(keys))
	for i, k := range keys {
		f, err := k.compile(rc, t)
		if err != nil {
			return nil, err
		}
		fns[i] = f
	}
	out := make([]string, t.Rows())
	var buf []byte
	for r := range out {
		buf = buf[:0]
		null := false
		for _, f := range fns {
			v := f(r)
			if v.IsNull() {
				null = true
				break
			}
			buf = appendKey(buf, undyn(v))
		}
		if !null {
			out[r] = string(buf)
		}
	}
	return out, nil
}

// match pairs left and right rows by key according to the join kind and
// returns the row indexes to take from each side (-1 for a null fill).
func (p *joinPlan) match(lkeys, rkeys []string) (li, ri []int) {
	index := map[string][]int{}
	for r, k := range rkeys {
		if k != "" {
			index[k] = append(index[k], r)
		}
	}
	rightHit := make([]bool, len(rkeys))
	seenLeft := map[string]bool{}
	for l, k := range lkeys {
		if p.kind == "innerunique" {
			if k == "" || seenLeft[k] {
				continue
			}
			seenLeft[k] = true
		}
		rows := index[k]
		if k == "" {
			rows = nil
		}
		switch p.kind {
		case "leftsemi":
			if len(rows) > 0 {
				li = append(li, l)
			}
			continue
		case "leftanti":
			if len(rows) == 0 {
				li = append(li, l)
			}
			continue
		}
		for _, r := range rows {
			rightHit[r] = true
			if p.kind != "rightsemi" && p.kind != "rightanti" {
				li, ri = append(li, l), append(ri, r)
			}
		}
		if len(rows) == 0 && (p.kind == "leftouter" || p.kind == "fullouter") {
			li, ri = append(li, l), append(ri, -1)
		}
	}
	return p.rightRest(li, ri, rightHit)
}

// rightRest adds the right-side rows that the kind keeps after the matches.
func (p *joinPlan) rightRest(li, ri []int, rightHit []bool) ([]int, []int) {
	for r, hit := range rightHit {
		switch {
		case p.kind == "rightsemi" && hit, p.kind == "rightanti" && !hit:
			ri = append(ri, r)
		case (p.kind == "rightouter" || p.kind == "fullouter") && !hit:
			li, ri = append(li, -1), append(ri, r)
		}
	}
	return li, ri
}
