package engine

import (
	"math"
	"strings"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// maxSeriesLen is Kusto's documented cap on the length of one series.
const maxSeriesLen = 1 << 20

// makeSeriesPlan aggregates rows into arrays along an axis: one row per
// combination of the by keys, one dynamic array per aggregate (a default
// where a bin has no rows) and the array of bin starts, named after the
// axis. Without from, the first bin is bin(min(axis), step); without to,
// the last is the bin of max(axis). Both are taken over the whole input,
// so every series of one result has the same bins (Kusto's docs speak of
// each series; its answers share one axis too).
type makeSeriesPlan struct {
	in       plan
	keys     []*expr
	aggs     []aggItem
	defaults []tables.Value
	axis     *expr
	from, to *expr // nil when not written
	step     *expr
	nonempty bool
	// inRange is the legacy `in range(start, stop, step)` form: stop is
	// inclusive and the first bin is bin(start, step).
	inRange bool
	out     tables.Schema
}

func (b *binder) makeSeries(in plan, op *parser.MakeSeriesOp) plan {
	sch := in.schema()
	p := &makeSeriesPlan{in: in, inRange: op.InRange}
	for _, prop := range op.Params {
		if strings.EqualFold(prop.Name.Name, "kind") {
			if id, ok := prop.Value.(*parser.Ident); ok && strings.EqualFold(id.Name, "nonempty") {
				p.nonempty = true
			}
		}
	}
	byNames := map[string]bool{}
	for i, e := range op.By {
		name, x := b.assignment(e, sch)
		if name == "" {
			name = "Column" + itoa(i+1)
		}
		byNames[name] = true
		p.keys = append(p.keys, x)
		p.out = append(p.out, tables.Field{Name: name, Type: colType(x.typ)})
	}
	for _, a := range op.Aggs {
		if c, ok := unparen(aggCall(a.X)).(*parser.CallExpr); ok && isArgExtreme(c.Fun.Name) {
			b.errorf(parser.PhaseType, a, "make-series needs aggregates with one numeric result, not %s()", c.Fun.Name)
			return emptyPlan{}
		}
		item, fields := b.aggregate(a.X, sch, byNames)
		if item == nil {
			continue
		}
		if item.outs != 1 || item.arg != nil {
			b.errorf(parser.PhaseType, a, "make-series needs aggregates with one result")
			return emptyPlan{}
		}
		def := tables.NewLong(0)
		if a.Default != nil {
			x := b.scalar(a.Default, nil)
			if x.konst == nil {
				b.errorf(parser.PhaseType, a.Default, "the default of make-series must be a constant")
				return emptyPlan{}
			}
			def = *x.konst
		}
		p.aggs = append(p.aggs, *item)
		p.defaults = append(p.defaults, def)
		p.out = append(p.out, tables.Field{Name: fields[0].Name, Type: tables.Dynamic})
	}
	p.axis = b.scalar(op.On, sch)
	axisName := p.axis.name
	if axisName == "" {
		axisName = "Column" + itoa(len(op.By)+1)
	}
	if !seriesAxisType(p.axis.typ) {
		b.errorf(parser.PhaseType, op.On, "the axis of make-series must be a datetime, timespan or number, not %s", p.axis.typ)
	}
	p.out = uniqueNames(append(p.out, tables.Field{Name: axisName, Type: tables.Dynamic}))
	if op.From != nil {
		p.from = b.scalarLet(op.From)
	}
	if op.To != nil {
		p.to = b.scalarLet(op.To)
	}
	if op.Step == nil {
		b.errorf(parser.PhaseSyntax, op, "make-series needs a step")
		return emptyPlan{}
	}
	p.step = b.scalarLet(op.Step)
	return p
}

func aggCall(e parser.Expr) parser.Expr {
	if n, ok := e.(*parser.NamedExpr); ok {
		return n.Value
	}
	return e
}

func seriesAxisType(t tables.Type) bool {
	switch t {
	case tables.DateTime, tables.Timespan, tables.Long, tables.Int, tables.Real, tables.Decimal, tables.Unknown, tables.Dynamic:
		return true
	}
	return false
}

func (p *makeSeriesPlan) schema() tables.Schema { return p.out }

// seriesAxis is the resolved axis of one run: bins start at from and are
// step wide; there are n of them. Integral axes (datetime, timespan, long)
// are computed in int64 so that ticks keep their precision.
type seriesAxis struct {
	typ      tables.Type
	integral bool
	fromI    int64
	stepI    int64
	fromF    float64
	stepF    float64
	n        int
}

// bin returns the bin of v, or -1 when v is null or outside the axis.
func (a *seriesAxis) bin(v tables.Value) int {
	if v.IsNull() {
		return -1
	}
	var k int64
	if a.integral {
		d := v.Int64() - a.fromI
		if d < 0 {
			return -1
		}
		k = d / a.stepI
	} else {
		f, ok := realOf(v)
		if !ok || f < a.fromF {
			return -1
		}
		k = int64(math.Floor((f - a.fromF) / a.stepF))
	}
	if k >= int64(a.n) {
		return -1
	}
	return int(k)
}

// start is the value of bin k's start.
func (a *seriesAxis) start(k int) tables.Value {
	if a.integral {
		v := a.fromI + int64(k)*a.stepI
		switch a.typ {
		case tables.DateTime:
			return tables.NewDateTime(v)
		case tables.Timespan:
			return tables.NewTimespan(v)
		}
		return tables.NewLong(v)
	}
	return tables.NewReal(a.fromF + float64(k)*a.stepF)
}

func realOf(v tables.Value) (float64, bool) {
	r := tables.Convert(v, tables.Real)
	return r.Float(), !r.IsNull()
}

func (p *makeSeriesPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	axisCol, err := evalColumn(rc, p.axis, t)
	if err != nil {
		return nil, err
	}
	ax, err := p.resolveAxis(rc, axisCol)
	if err != nil {
		return nil, err
	}
	groups, first, err := groupRows(rc, p.keys, t)
	if err != nil {
		return nil, err
	}
	ngroups := len(first)
	if len(p.keys) == 0 && ngroups == 0 && p.nonempty {
		ngroups = 1 // kind=nonempty: one row of defaults
	}
	cols := make([]*tables.Column, 0, len(p.out))
	if len(p.keys) > 0 {
		firsts := t.Take(first)
		for _, k := range p.keys {
			kc, err := evalColumn(rc, k, firsts)
			if err != nil {
				return nil, err
			}
			cols = append(cols, kc)
		}
	}
	bins := make([]int, t.Rows())
	for r := range bins {
		bins[r] = ax.bin(axisCol.Value(r))
	}
	for i, a := range p.aggs {
		col, err := p.series(rc, a, p.defaults[i], t, groups, bins, ngroups, ax.n)
		if err != nil {
			return nil, err
		}
		cols = append(cols, col)
	}
	axis := make([]tables.Value, ax.n)
	for k := range axis {
		axis[k] = ax.start(k)
	}
	cols = append(cols, tables.Constant(tables.Dynamic, jsonArray(axis), ngroups))
	out := tables.NewTable("", p.out, cols)
	out.SetRows(ngroups)
	return out, nil
}

// series computes one aggregate per (group, bin) and returns a column of
// arrays, one per group.
func (p *makeSeriesPlan) series(rc *runCtx, a aggItem, def tables.Value, t *tables.Table, groups []int32, bins []int, ngroups, nbins int) (*tables.Column, error) {
	fns := make([]rowFn, len(a.args))
	for i, x := range a.args {
		f, err := x.compile(rc, t)
		if err != nil {
			return nil, err
		}
		fns[i] = f
	}
	states := make([]functions.Agg, ngroups*nbins)
	buf := make([]tables.Value, len(fns))
	for r := 0; r < t.Rows(); r++ {
		if r%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		if bins[r] < 0 {
			continue
		}
		cell := int(groups[r])*nbins + bins[r]
		if states[cell] == nil {
			states[cell] = a.newState()
		}
		for i, f := range fns {
			buf[i] = f(r)
		}
		states[cell].Add(buf)
	}
	col := tables.NewColumn(tables.Dynamic, ngroups)
	vals := make([]tables.Value, nbins)
	for g := 0; g < ngroups; g++ {
		for k := range vals {
			if s := states[g*nbins+k]; s != nil {
				vals[k] = s.Result()
			} else {
				vals[k] = def
			}
		}
		col.Append(jsonArray(vals))
	}
	return col, nil
}

// resolveAxis computes the bins of a run from from, to and step, or from
// the axis values where from or to is not written.
func (p *makeSeriesPlan) resolveAxis(rc *runCtx, axis *tables.Column) (*seriesAxis, error) {
	val := func(x *expr) (tables.Value, error) {
		f, err := x.compile(rc, oneRow())
		if err != nil {
			return tables.Value{}, err
		}
		return f(0), nil
	}
	step, err := val(p.step)
	if err != nil {
		return nil, err
	}
	typ := p.axis.typ
	ax := &seriesAxis{typ: typ}
	switch typ {
	case tables.DateTime, tables.Timespan, tables.Long, tables.Int:
		ax.integral = step.Type() == tables.Timespan || step.Type() == tables.Long || step.Type() == tables.Int
	}
	if ax.integral {
		ax.stepI = step.Int64()
		if step.IsNull() || ax.stepI <= 0 {
			return nil, parser.Errorf(parser.PhaseRuntime, rc.at, "the step of make-series must be positive")
		}
	} else {
		f, ok := realOf(step)
		if !ok || f <= 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, parser.Errorf(parser.PhaseRuntime, rc.at, "the step of make-series must be positive")
		}
		ax.stepF = f
	}
	lo, hi, any := axisRange(axis)
	var from, to tables.Value
	if p.from != nil {
		if from, err = val(p.from); err != nil {
			return nil, err
		}
	}
	if p.to != nil {
		if to, err = val(p.to); err != nil {
			return nil, err
		}
	}
	if (p.from == nil && !any) || (p.from != nil && from.IsNull()) || (p.to != nil && to.IsNull()) {
		return ax, nil // no bins
	}
	if p.from == nil || p.inRange {
		if p.from != nil {
			lo = from
		}
		from = ax.floor(lo)
	}
	var n float64
	switch {
	case ax.integral && p.inRange:
		ax.fromI = from.Int64()
		n = math.Floor(float64(to.Int64()-ax.fromI)/float64(ax.stepI)) + 1
	case p.inRange:
		ax.fromF, _ = realOf(from)
		end, _ := realOf(to)
		n = math.Floor((end-ax.fromF)/ax.stepF) + 1
	case ax.integral && p.to != nil:
		ax.fromI = from.Int64()
		n = math.Ceil(float64(to.Int64()-ax.fromI) / float64(ax.stepI))
	case ax.integral:
		ax.fromI = from.Int64()
		n = float64((hi.Int64()-ax.fromI)/ax.stepI) + 1
	default:
		ax.fromF, _ = realOf(from)
		var end float64
		if p.to != nil {
			end, _ = realOf(to)
			n = math.Ceil((end - ax.fromF) / ax.stepF)
		} else {
			end, _ = realOf(hi)
			n = math.Floor((end-ax.fromF)/ax.stepF) + 1
		}
	}
	if p.to == nil && !any {
		n = 0
	}
	if n > maxSeriesLen {
		return nil, parser.Errorf(parser.PhaseRuntime, rc.at, "make-series would make series of %.0f values; the limit is %d", n, maxSeriesLen)
	}
	if n > 0 {
		ax.n = int(n)
	}
	return ax, nil
}

// floor is the start of the bin holding v, with bins aligned to zero.
func (a *seriesAxis) floor(v tables.Value) tables.Value {
	if a.integral {
		i := v.Int64()
		k := i / a.stepI
		if i%a.stepI != 0 && i < 0 {
			k--
		}
		return tables.NewLong(k * a.stepI)
	}
	f, _ := realOf(v)
	return tables.NewReal(math.Floor(f/a.stepF) * a.stepF)
}

// axisRange returns the smallest and largest non-null values of the axis.
func axisRange(c *tables.Column) (lo, hi tables.Value, any bool) {
	for r := 0; r < c.Len(); r++ {
		v := c.Value(r)
		if v.IsNull() {
			continue
		}
		if !any {
			lo, hi, any = v, v, true
			continue
		}
		if x, ok := compare(v, lo); ok && x < 0 {
			lo = v
		}
		if x, ok := compare(v, hi); ok && x > 0 {
			hi = v
		}
	}
	return lo, hi, any
}

// jsonArray builds a dynamic array of the values.
func jsonArray(vals []tables.Value) tables.Value {
	buf := make([]byte, 0, 2+8*len(vals))
	buf = append(buf, '[')
	for i, v := range vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = tables.AppendJSON(buf, v)
	}
	return tables.NewDynamic(string(append(buf, ']')))
}
