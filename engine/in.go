package engine

import (
	"strings"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// listItem is one item of an in (...) list: a scalar expression, or a
// tabular expression whose first column supplies values.
type listItem struct {
	x   *expr
	tab plan
}

// in binds in, !in, in~, !in~, has_any and has_all.
func (b *binder) in(e *parser.InExpr, sch tables.Schema) *expr {
	x := b.scalar(e.X, sch)
	items := make([]listItem, 0, len(e.List))
	for _, it := range e.List {
		if b.isTabular(it) {
			p := b.tabular(it)
			if len(p.schema()) == 0 {
				b.errorf(parser.PhaseType, it, "the tabular expression has no columns")
			}
			items = append(items, listItem{tab: p})
			continue
		}
		items = append(items, listItem{x: b.scalar(it, sch)})
	}
	switch e.Op {
	case "has_any", "has_all":
		return hasList(e.Op == "has_all", x, items)
	}
	fold := strings.HasSuffix(e.Op, "~")
	negate := strings.HasPrefix(e.Op, "!")
	if !fold {
		x, items = alignInTypes(x, items)
	}
	out := inList(fold, negate, x, items)
	if !negate {
		out.needs = b.inNeeds(e.X, items, fold)
	}
	return out
}

// inNeeds is the need (prefilter.go) of an in or in~ over constant items.
func (b *binder) inNeeds(x parser.Expr, items []listItem, fold bool) []*textNeed {
	vals := make([]tables.Value, 0, len(items))
	for _, it := range items {
		if it.x == nil || it.x.konst == nil {
			return nil
		}
		vals = append(vals, *it.x.konst)
	}
	return b.needOf(x, vals, fold)
}

// alignInTypes applies the rule of == between a string and a number or a
// bool (see convertStringSide) to in and !in: a string tested against a
// list of numbers is converted to their type (ResultType in (0, 50126)),
// and string items tested against a number are converted to its type
// (EventID in ("4624", "4625")). A list that mixes kinds is left as it is.
func alignInTypes(x *expr, items []listItem) (*expr, []listItem) {
	target := func(t tables.Type) bool { return t.IsNumeric() || t == tables.Bool }
	if target(x.typ) {
		out := make([]listItem, len(items))
		for i, it := range items {
			if it.tab == nil && it.x.typ == tables.String {
				it.x = convertExpr(it.x, x.typ)
			}
			out[i] = it
		}
		return x, out
	}
	if x.typ != tables.String || len(items) == 0 {
		return x, items
	}
	common := tables.Unknown
	for _, it := range items {
		if it.tab != nil || !target(it.x.typ) {
			return x, items
		}
		switch t := it.x.typ; {
		case common == tables.Unknown:
			common = t
		case t == tables.Bool || common == tables.Bool:
			if t != common {
				return x, items
			}
		case t == tables.Real || t == tables.Decimal || common == tables.Real:
			common = tables.Real
		default:
			common = tables.Long
		}
	}
	if common == tables.Int {
		common = tables.Long
	}
	return convertExpr(x, common), items
}

// inKey is the set key of a value for in (exact) or in~ (case-folded).
func inKey(buf []byte, v tables.Value, fold bool) []byte {
	if fold {
		return appendLower(buf[:0], v.String())
	}
	return appendKey(buf[:0], undyn(v))
}

// appendLower appends s in lower case to buf: ASCII byte by byte, without
// allocating, and any other text as strings.ToLower gives it.
func appendLower(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return append(buf, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// inList builds the membership test. Constant items go into a set at bind
// time, tabular ones when the query runs, and per-row ones are evaluated for
// each row.
func inList(fold, negate bool, x *expr, items []listItem) *expr {
	return &expr{typ: tables.Bool, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		set := map[string]struct{}{}
		var perRow []rowFn
		var buf []byte
		add := func(v tables.Value) {
			if v.Type() == tables.Dynamic && (v.DynKind() == tables.DynArray) {
				v.Elements(func(_ string, el tables.Value) bool {
					buf = inKey(buf, el, fold)
					set[string(buf)] = struct{}{}
					return true
				})
				return
			}
			if v.IsNull() {
				return
			}
			buf = inKey(buf, v, fold)
			set[string(buf)] = struct{}{}
		}
		for _, it := range items {
			switch {
			case it.tab != nil:
				t, err := it.tab.run(rc)
				if err != nil {
					return nil, err
				}
				if len(t.Columns) > 0 {
					for r := 0; r < t.Rows(); r++ {
						add(t.Columns[0].Value(r))
					}
				}
			case it.x.konst != nil:
				add(*it.x.konst)
			default:
				f, err := it.x.compile(rc, in)
				if err != nil {
					return nil, err
				}
				perRow = append(perRow, f)
			}
		}
		xf, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		var kb []byte
		return func(i int) tables.Value {
			v := xf(i)
			if v.IsNull() {
				return boolVal(negate)
			}
			kb = inKey(kb, v, fold)
			_, hit := set[string(kb)]
			for _, f := range perRow {
				if hit {
					break
				}
				hit = rowMember(f(i), kb, fold)
			}
			return boolVal(hit != negate)
		}, nil
	}}
}

// rowMember tests a per-row list item against a key.
func rowMember(v tables.Value, key []byte, fold bool) bool {
	var buf []byte
	if v.Type() == tables.Dynamic && v.DynKind() == tables.DynArray {
		hit := false
		v.Elements(func(_ string, el tables.Value) bool {
			buf = inKey(buf, el, fold)
			hit = string(buf) == string(key)
			return !hit
		})
		return hit
	}
	if v.IsNull() {
		return false
	}
	return string(inKey(buf, v, fold)) == string(key)
}

// hasList binds has_any / has_all: term matching of the left side's string
// form against each needle.
func hasList(all bool, x *expr, items []listItem) *expr {
	has, _ := functions.StringOp("has")
	return &expr{typ: tables.Bool, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		var needles []string
		add := func(v tables.Value) {
			if v.Type() == tables.Dynamic && v.DynKind() == tables.DynArray {
				v.Elements(func(_ string, el tables.Value) bool {
					needles = append(needles, el.String())
					return true
				})
				return
			}
			needles = append(needles, v.String())
		}
		for _, it := range items {
			if it.tab != nil {
				t, err := it.tab.run(rc)
				if err != nil {
					return nil, err
				}
				for r := 0; r < t.Rows() && len(t.Columns) > 0; r++ {
					add(t.Columns[0].Value(r))
				}
				continue
			}
			f, err := it.x.compile(rc, oneRow())
			if err != nil {
				return nil, err
			}
			add(f(0))
		}
		xf, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		return func(i int) tables.Value {
			s := xf(i).String()
			for _, n := range needles {
				if has(s, n) != all {
					return boolVal(!all)
				}
			}
			return boolVal(all && len(needles) > 0)
		}, nil
	}}
}

// between binds X between (Lo .. Hi), both bounds included. A timespan upper
// bound with a datetime lower bound means Lo + Hi.
func (b *binder) between(e *parser.BetweenExpr, sch tables.Schema) *expr {
	x, lo, hi := b.scalar(e.X, sch), b.scalar(e.Lo, sch), b.scalar(e.Hi, sch)
	if lo.typ == tables.DateTime && hi.typ == tables.Timespan {
		hi = b.arithOf(e.Hi, "+", lo, hi)
	}
	out := &expr{typ: tables.Bool, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		xf, lf, err := two(rc, in, x, lo)
		if err != nil {
			return nil, err
		}
		hf, err := hi.compile(rc, in)
		if err != nil {
			return nil, err
		}
		return func(i int) tables.Value {
			v, l, h := xf(i), lf(i), hf(i)
			if v.IsNull() || l.IsNull() || h.IsNull() {
				return vNullB
			}
			c1, ok1 := compare(l, v)
			c2, ok2 := compare(v, h)
			if !ok1 || !ok2 {
				return vNullB
			}
			return boolVal((c1 <= 0 && c2 <= 0) != e.Not)
		}, nil
	}}
	return fold(out, x, lo, hi)
}
