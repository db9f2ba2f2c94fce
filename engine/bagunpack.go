package engine

import (
	"sort"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// bagUnpackPlan turns the top-level properties of a dynamic column into
// columns. Its columns depend on the data: without a declared output
// schema, binding runs the input once (it is cached, so the query's run
// reuses those rows) and makes one column per property seen, sorted by
// name, typed by the property's values (one JSON kind for all of them, or
// dynamic when they differ). So `T | evaluate bag_unpack(d) | where X == 1`
// binds like any query; over empty input there are no new columns.
type bagUnpackPlan struct {
	in  plan
	src int // index of the unpacked column in the input
	// keep lists, per output column, the input column it copies, or -1 -
	// the slot it unpacks.
	keep  []int
	slots []string
	out   tables.Schema
}

// slotType tracks the type of one property across the rows.
type slotType struct {
	name string
	typ  tables.Type
	seen bool
}

func (b *binder) bagUnpack(in plan, op *parser.EvaluateOp) plan {
	const name = "bag_unpack"
	pos, named := pluginArgs(op.Plugin)
	sch := in.schema()
	if len(pos) == 0 {
		b.errorf(parser.PhaseType, op.Plugin, "bag_unpack() needs the dynamic column to unpack")
		return emptyPlan{}
	}
	id, ok := unparen(pos[0]).(*parser.Ident)
	src := -1
	if ok {
		src = sch.Index(id.Name)
	}
	if src < 0 {
		b.errorf(parser.PhaseType, pos[0], "bag_unpack(): the first argument must be a column of the input")
		return emptyPlan{}
	}
	arg := func(i int, key string) *tables.Value {
		if e := named[key]; e != nil {
			return b.constArg(name, e)
		}
		if i < len(pos) {
			return b.constArg(name, pos[i])
		}
		return nil
	}
	prefix, conflict := "", "error"
	if v := arg(1, "outputcolumnprefix"); v != nil {
		prefix = v.String()
	}
	if v := arg(2, "columnsconflict"); v != nil {
		conflict = v.String()
	}
	ignored := map[string]bool{}
	if v := arg(3, "ignoredproperties"); v != nil {
		v.Elements(func(_ string, e tables.Value) bool {
			ignored[e.String()] = true
			return true
		})
	}
	switch conflict {
	case "error", "replace_source", "keep_source":
	default:
		b.errorf(parser.PhaseType, op.Plugin, "bag_unpack(): columnsConflict must be 'error', 'replace_source' or 'keep_source', not '%s'", conflict)
		return emptyPlan{}
	}
	var slots []slotType
	if op.Schema != nil {
		return b.bagUnpackDeclared(in, op, src, prefix)
	}
	cin, t, ok := b.runAtBind(op, in)
	if !ok {
		return emptyPlan{}
	}
	if t != nil {
		slots = discoverSlots(t.Columns[src], ignored)
	}
	p := &bagUnpackPlan{in: cin, src: src}
	for i, f := range sch {
		if i != src {
			p.keep = append(p.keep, i)
			p.out = append(p.out, f)
		}
	}
	for _, s := range slots {
		col := prefix + s.name
		at := p.out.Index(col)
		switch {
		case at < 0:
			p.keep = append(p.keep, -1-len(p.slots))
			p.out = append(p.out, tables.Field{Name: col, Type: s.typ})
		case conflict == "keep_source":
			continue
		case conflict == "replace_source":
			p.keep[at] = -1 - len(p.slots)
			p.out[at].Type = s.typ
		default:
			b.errorf(parser.PhaseRuntime, op, "bag_unpack(): the property '%s' collides with the input column '%s' (see columnsConflict)", s.name, col)
			return emptyPlan{}
		}
		p.slots = append(p.slots, s.name)
	}
	return p
}

// discoverSlots lists the properties of the bags in c, sorted by name,
// each with the type its non-null values share (dynamic when they differ).
func discoverSlots(c *tables.Column, ignored map[string]bool) []slotType {
	index := map[string]int{}
	var slots []slotType
	for r := 0; r < c.Len(); r++ {
		c.Value(r).Elements(func(key string, v tables.Value) bool {
			if key == "" || ignored[key] {
				return key != "" // an array has no properties
			}
			i, ok := index[key]
			if !ok {
				i = len(slots)
				index[key] = i
				slots = append(slots, slotType{name: key, typ: tables.Dynamic})
			}
			s := &slots[i]
			t := dynType(v.DynKind())
			switch {
			case t == tables.Unknown:
			case !s.seen:
				s.typ, s.seen = t, true
			case s.typ != t:
				s.typ = tables.Dynamic
			}
			return true
		})
	}
	sort.Slice(slots, func(i, j int) bool { return slots[i].name < slots[j].name })
	return slots
}

// dynType is the column type for a JSON kind; Unknown for null.
func dynType(k tables.DynKind) tables.Type {
	switch k {
	case tables.DynBool:
		return tables.Bool
	case tables.DynLong:
		return tables.Long
	case tables.DynReal:
		return tables.Real
	case tables.DynString:
		return tables.String
	case tables.DynArray, tables.DynBag:
		return tables.Dynamic
	}
	return tables.Unknown
}

// bagUnpackDeclared binds bag_unpack with an output schema: the declared
// columns (after the input's, but for the unpacked one, when the schema
// starts with *), read from the properties of the same names.
func (b *binder) bagUnpackDeclared(in plan, op *parser.EvaluateOp, src int, prefix string) plan {
	p := &bagUnpackPlan{in: in, src: src}
	for _, d := range op.Schema {
		if d.Name.Name == "*" && d.Type == nil {
			for i, f := range in.schema() {
				if i != src {
					p.keep = append(p.keep, i)
					p.out = append(p.out, f)
				}
			}
			continue
		}
		slot := d.Name.Name
		if prefix != "" && len(slot) > len(prefix) && slot[:len(prefix)] == prefix {
			slot = slot[len(prefix):]
		}
		p.keep = append(p.keep, -1-len(p.slots))
		p.slots = append(p.slots, slot)
		p.out = append(p.out, tables.Field{Name: d.Name.Name, Type: b.typeName(d.Type)})
	}
	p.out = uniqueNames(p.out)
	return p
}

func (p *bagUnpackPlan) schema() tables.Schema { return p.out }

func (p *bagUnpackPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	n := t.Rows()
	bags := t.Columns[p.src]
	cols := make([]*tables.Column, len(p.out))
	for i, k := range p.keep {
		if k >= 0 {
			cols[i] = t.Columns[k]
			continue
		}
		slot, typ := p.slots[-1-k], p.out[i].Type
		col := tables.NewColumn(typ, n)
		for r := 0; r < n; r++ {
			if r%checkEvery == checkEvery-1 {
				if err := rc.check(); err != nil {
					return nil, err
				}
			}
			col.Append(tables.Convert(bags.Value(r).Member(slot), typ))
		}
		cols[i] = col
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(n)
	return out, nil
}
