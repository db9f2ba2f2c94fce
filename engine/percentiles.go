package engine

import (
	"strconv"
	"strings"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// percentilesAggregate binds percentiles(x, p1, p2, ...): one output column
// per percentage, named percentile_x_p (a dot in p becomes '_') unless the
// call is named with a tuple: (p50, p95) = percentiles(x, 50, 95).
func (b *binder) percentilesAggregate(c *parser.CallExpr, names []*parser.Ident, sch tables.Schema) (*aggItem, []tables.Field) {
	f, _ := functions.Lookup("percentiles")
	args := b.aggArgs(c, sch)
	if !b.checkArgs(c, f, args) {
		return nil, nil
	}
	call := b.callInfo(args)
	ps, err := functions.PercentileList(call.Consts)
	if err == nil {
		var newState func() functions.Agg
		if newState, err = f.NewAgg(call); err == nil {
			t := colType(args[0].typ)
			fields := make([]tables.Field, len(ps))
			for i, p := range ps {
				name := "percentile_" + args[0].name + "_" + strings.ReplaceAll(strconv.FormatFloat(p, 'f', -1, 64), ".", "_")
				if i < len(names) {
					name = names[i].Name
				}
				fields[i] = tables.Field{Name: name, Type: t}
			}
			if len(ps) == 1 {
				// One percentage is one column: the state's first result,
				// not the array that Result gives percentiles_array.
				multi := newState
				newState = func() functions.Agg { return firstResult{multi().(functions.MultiAgg)} }
			}
			return &aggItem{args: args, newState: newState, outs: len(ps), typ: t}, fields
		}
	}
	b.errorf(parser.PhaseType, c, "percentiles(): %v", err)
	return nil, nil
}

// multiColumns turns the states of an aggregate with several outputs into
// one column per output.
func multiColumns(a aggItem, states []functions.Agg) []*tables.Column {
	cols := make([]*tables.Column, a.outs)
	for i := range cols {
		cols[i] = tables.NewColumn(a.typ, len(states))
	}
	for _, s := range states {
		vals := s.(functions.MultiAgg).Results()
		for i, col := range cols {
			col.Append(vals[i])
		}
	}
	return cols
}

// firstResult is a several-output aggregate state read as its first output.
type firstResult struct{ functions.MultiAgg }

// Result returns the first of the state's results.
func (f firstResult) Result() tables.Value { return f.Results()[0] }
