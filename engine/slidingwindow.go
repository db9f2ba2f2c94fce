package engine

import (
	"sort"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// slidingWindowPlan is `evaluate sliding_window_counts(Id, Timeline,
// Start, End, LookbackWindow, Bin, dims...)`: for each bin from Start to
// End, and each combination of the dimensions, the number of rows and of
// distinct Ids in the lookback window that ends with that bin. As in the
// sliding-window technique the plugin's reference points to, a row falls
// in the bin bin_at(Timeline, Bin, Start) and counts for that bin and the
// ones after it until LookbackWindow is covered (LookbackWindow / Bin bins,
// at least one); only bins from Start to End are output, and only the
// combinations that have rows.
type slidingWindowPlan struct {
	in                         plan
	id, time                   int
	dims                       []int
	start, end, lookback, step int64 // ticks
	out                        tables.Schema
}

func (b *binder) slidingWindowCounts(in plan, op *parser.EvaluateOp) plan {
	pos, _ := pluginArgs(op.Plugin)
	if len(pos) < 6 {
		b.errorf(parser.PhaseType, op.Plugin, "sliding_window_counts() takes IdColumn, TimelineColumn, Start, End, "+
			"LookbackWindow, Bin and then any dimension columns")
		return emptyPlan{}
	}
	sch := in.schema()
	p := &slidingWindowPlan{in: in}
	p.id = b.pluginColumn("sliding_window_counts", pos[0], sch)
	p.time = b.pluginColumn("sliding_window_counts", pos[1], sch)
	for _, e := range pos[6:] {
		p.dims = append(p.dims, b.pluginColumn("sliding_window_counts", e, sch))
	}
	okStart, okEnd := b.windowArg(pos[2], tables.DateTime, &p.start), b.windowArg(pos[3], tables.DateTime, &p.end)
	okLook, okStep := b.windowArg(pos[4], tables.Timespan, &p.lookback), b.windowArg(pos[5], tables.Timespan, &p.step)
	if p.id < 0 || p.time < 0 || !okStart || !okEnd || !okLook || !okStep {
		return emptyPlan{}
	}
	for _, d := range p.dims {
		if d < 0 {
			return emptyPlan{}
		}
	}
	if sch[p.time].Type != tables.DateTime {
		b.errorf(parser.PhaseUnsupported, pos[1], "sliding_window_counts(): kql supports a datetime timeline only, not %s", sch[p.time].Type)
		return emptyPlan{}
	}
	if p.step <= 0 {
		b.errorf(parser.PhaseType, pos[5], "sliding_window_counts(): the bin must be a positive timespan")
		return emptyPlan{}
	}
	p.out = tables.Schema{sch[p.time]}
	for _, d := range p.dims {
		p.out = append(p.out, sch[d])
	}
	p.out = uniqueNames(append(p.out, tables.Field{Name: "Count", Type: tables.Long}, tables.Field{Name: "Dcount", Type: tables.Long}))
	return p
}

// pluginColumn resolves a plugin argument that names an input column.
func (b *binder) pluginColumn(plugin string, e parser.Expr, sch tables.Schema) int {
	if id, ok := unparen(e).(*parser.Ident); ok {
		if i := sch.Index(id.Name); i >= 0 {
			return i
		}
		b.errorf(parser.PhaseName, e, "%s(): unknown column '%s'%s", plugin, id.Name, suggest(id.Name, sch.Names()))
		return -1
	}
	b.errorf(parser.PhaseType, e, "%s(): this argument must be a column of the input", plugin)
	return -1
}

// windowArg reads a constant datetime or timespan argument into ticks. A
// bin given as 'week', 'month' or 'year' is refused by name.
func (b *binder) windowArg(e parser.Expr, want tables.Type, ticks *int64) bool {
	v := b.constArg("sliding_window_counts()", e)
	switch {
	case v == nil:
		return false
	case v.Type() == tables.String && want == tables.Timespan:
		b.errorf(parser.PhaseUnsupported, e, "sliding_window_counts(): a calendar bin ('%s') is not supported yet; give a timespan", v.Str())
		return false
	case v.Type() != want || v.IsNull():
		b.errorf(parser.PhaseType, e, "sliding_window_counts(): this argument must be a %s", want)
		return false
	}
	*ticks = v.Int64()
	return true
}

func (p *slidingWindowPlan) schema() tables.Schema { return p.out }

// windowGroup is one output row while counting.
type windowGroup struct {
	bin   int64 // index of the bin after Start
	first int   // input row that opened the group, for its dimensions
	order int   // order of first appearance of its dimensions
	count int64
	ids   map[string]struct{}
}

func (p *slidingWindowPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	bins := (p.end-p.start)/p.step + 1
	span := max(p.lookback/p.step, 1)
	groups := map[string]*windowGroup{}
	dimOrder := map[string]int{}
	var kbuf, ibuf []byte
	for r := 0; r < t.Rows(); r++ {
		if r%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		ts := t.Columns[p.time].Value(r)
		if ts.IsNull() || p.end < p.start {
			continue
		}
		k := floorDiv(ts.Int64()-p.start, p.step)
		kbuf = kbuf[:0]
		for _, d := range p.dims {
			kbuf = appendKey(kbuf, t.Columns[d].Value(r))
		}
		order, seen := dimOrder[string(kbuf)]
		if !seen {
			order = len(dimOrder)
			dimOrder[string(kbuf)] = order
		}
		id := t.Columns[p.id].Value(r)
		ibuf = appendKey(ibuf[:0], id)
		for w := max(k, 0); w < min(k+span, bins); w++ {
			key := string(appendKey(append([]byte(nil), kbuf...), tables.NewLong(w)))
			g := groups[key]
			if g == nil {
				g = &windowGroup{bin: w, first: r, order: order, ids: map[string]struct{}{}}
				groups[key] = g
			}
			g.count++
			if !id.IsNull() {
				g.ids[string(ibuf)] = struct{}{}
			}
		}
	}
	return p.table(t, groups), nil
}

// table lays the groups out by bin, then by first appearance of their
// dimensions.
func (p *slidingWindowPlan) table(t *tables.Table, groups map[string]*windowGroup) *tables.Table {
	list := make([]*windowGroup, 0, len(groups))
	for _, g := range groups {
		list = append(list, g)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].bin != list[j].bin {
			return list[i].bin < list[j].bin
		}
		return list[i].order < list[j].order
	})
	cols := make([]*tables.Column, len(p.out))
	for i, f := range p.out {
		cols[i] = tables.NewColumn(f.Type, len(list))
	}
	for _, g := range list {
		cols[0].Append(tables.NewDateTime(p.start + g.bin*p.step))
		for i, d := range p.dims {
			cols[1+i].Append(t.Columns[d].Value(g.first))
		}
		cols[len(cols)-2].Append(tables.NewLong(g.count))
		cols[len(cols)-1].Append(tables.NewLong(int64(len(g.ids))))
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(len(list))
	return out
}

// floorDiv divides rounding toward minus infinity, as bin_at does.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
