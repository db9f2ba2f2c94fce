package functions

import (
	"fmt"
	"math"
	"sort"

	"github.com/kql-offline/kql/tables"
)

// percentiles and percentiles_array compute several nearest-rank
// percentiles of a group in one pass, with the same (exact) method as
// percentile. percentiles gives one column per percentage, which the engine
// asks of the state through MultiAgg; percentiles_array gives one dynamic
// array.

// MultiAgg is an aggregate state with several results, one per output
// column (percentiles(x, 50, 95) has two).
type MultiAgg interface {
	Agg
	Results() []tables.Value
}

func init() {
	Register(&Func{
		Name: "percentiles", Kind: Aggregate,
		Params: params(req("expr", Ordered), konst(many("percentile", Numeric))),
		Result: SameAs(0), NewAgg: newPercentiles, Column: "percentile_",
		Doc: "Nearest-rank percentiles of the values, one column each (exact, not estimated).",
	})
	Register(&Func{
		Name: "percentiles_array", Kind: Aggregate,
		Params: params(req("expr", Ordered), konst(many("percentiles", Numeric|DynOnly))),
		Result: Fixed(tables.Dynamic), NewAgg: newPercentiles, Column: "percentiles_",
		Doc: "Nearest-rank percentiles of the values as a dynamic array (exact, not estimated).",
	})
}

// PercentileList returns the constant percentages of a percentiles call:
// the arguments after the first, or the elements of one dynamic array.
func PercentileList(consts []*tables.Value) ([]float64, error) {
	var ps []float64
	add := func(v tables.Value) error {
		p, ok := toF(v)
		if !ok || p < 0 || p > 100 {
			return fmt.Errorf("each percentage must be a number between 0 and 100")
		}
		ps = append(ps, p)
		return nil
	}
	for _, c := range consts[1:] {
		if c == nil {
			return nil, fmt.Errorf("the percentages must be constants")
		}
		if isArray(*c) {
			for _, e := range elements(*c) {
				if err := add(e); err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := add(*c); err != nil {
			return nil, err
		}
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("at least one percentage is needed")
	}
	return ps, nil
}

func newPercentiles(c *Call) (func() Agg, error) {
	if len(c.Consts) < 2 {
		return nil, fmt.Errorf("at least one percentage is needed")
	}
	ps, err := PercentileList(c.Consts)
	if err != nil {
		return nil, err
	}
	t := tables.Unknown
	if len(c.Types) > 0 {
		t = c.Types[0]
	}
	return func() Agg { return &percentilesAgg{ps: ps, t: t} }, nil
}

type percentilesAgg struct {
	ps   []float64
	t    tables.Type
	vals []tables.Value
}

func (a *percentilesAgg) Add(args []tables.Value) {
	if !args[0].IsNull() {
		a.vals = append(a.vals, args[0])
	}
}

// Results returns one nearest-rank value per percentage (null for an empty
// group).
func (a *percentilesAgg) Results() []tables.Value {
	out := make([]tables.Value, len(a.ps))
	if len(a.vals) == 0 {
		for i := range out {
			out[i] = tables.Null(a.t)
		}
		return out
	}
	sort.Slice(a.vals, func(i, j int) bool { return compareValues(a.vals[i], a.vals[j]) < 0 })
	for i, p := range a.ps {
		rank := int(math.Ceil(p / 100 * float64(len(a.vals))))
		out[i] = a.vals[max(rank-1, 0)]
	}
	return out
}

// Result is the dynamic array of the results (percentiles_array).
func (a *percentilesAgg) Result() tables.Value {
	if len(a.vals) == 0 {
		return tables.Null(tables.Dynamic)
	}
	return arrayOf(a.Results())
}
