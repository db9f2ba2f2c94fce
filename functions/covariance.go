package functions

import (
	"github.com/kql-offline/kql/tables"
)

// The covariance family: sample (n-1) and population (n) covariance of two
// numeric expressions, with *if forms. Rows where either value is null are
// skipped; with too few rows the result is 0, as for variance.

func init() {
	for _, c := range []struct {
		name string
		pop  bool
		pred int
		doc  string
	}{
		{"covariance", false, -1, "Sample covariance of two expressions."},
		{"covarianceif", false, 2, "Sample covariance of two expressions over the rows where the predicate is true."},
		{"covariancep", true, -1, "Population covariance of two expressions."},
		{"covariancepif", true, 2, "Population covariance of two expressions over the rows where the predicate is true."},
	} {
		ps := params(req("x", Numeric), req("y", Numeric))
		if c.pred >= 0 {
			ps = append(ps, req("predicate", BoolType))
		}
		pop, pred := c.pop, c.pred
		Register(&Func{Name: c.name, Kind: Aggregate, Params: ps, Result: Fixed(tables.Real),
			NewAgg: func(*Call) (func() Agg, error) {
				return func() Agg { return &covAgg{pop: pop, pred: pred} }, nil
			},
			Column: c.name + "_", NameArgs: 2, Doc: c.doc})
	}
}

// covAgg keeps running means and the co-moment (Welford's update).
type covAgg struct {
	pop       bool
	pred      int
	n, mx, my float64
	comoment  float64
}

func (a *covAgg) Add(args []tables.Value) {
	if !keep(args, a.pred) {
		return
	}
	x, ok1 := toF(args[0])
	y, ok2 := toF(args[1])
	if !ok1 || !ok2 {
		return
	}
	a.n++
	dx := x - a.mx
	a.mx += dx / a.n
	a.my += (y - a.my) / a.n
	a.comoment += dx * (y - a.my)
}

func (a *covAgg) Result() tables.Value {
	if a.pop {
		if a.n == 0 {
			return tables.NewReal(0)
		}
		return tables.NewReal(a.comoment / a.n)
	}
	if a.n < 2 {
		return tables.NewReal(0)
	}
	return tables.NewReal(a.comoment / (a.n - 1))
}
