package functions

import (
	"fmt"
	"math"
	"sort"

	"github.com/kql-offline/kql/tables"
)

// Aggregates skip null inputs (count(x) and make_list_with_nulls excepted,
// as documented). A string is never null, so "" is an ordinary value to
// every aggregate except take_any, which prefers a non-empty one. Over no
// rows, count/dcount/sum/variance/stdev give 0, make_* give [], avg gives
// NaN and the others null (SEMANTICS.md §2).

// maxListSize is the default cap of make_list, make_set and make_bag.
const maxListSize = 1 << 20

func init() {
	agg("count", params(opt("expr", AnyType)), Fixed(tables.Long), "count_",
		"Number of rows in the group (nulls included).",
		func(*Call) (func() Agg, error) { return func() Agg { return &countAgg{pred: -1} }, nil })
	agg("countif", params(req("predicate", BoolType)), Fixed(tables.Long), "countif_",
		"Number of rows for which the predicate is true.",
		func(*Call) (func() Agg, error) { return func() Agg { return &countAgg{pred: 0} }, nil })
	agg("dcount", params(req("expr", AnyType), opt("accuracy", Integer)), Fixed(tables.Long),
		"dcount_", "Number of distinct non-null values (exact, whatever the accuracy).",
		newDcount(-1))
	agg("dcountif", params(req("expr", AnyType), req("predicate", BoolType), opt("accuracy", Integer)),
		Fixed(tables.Long), "dcountif_", "dcount over the rows where the predicate is true.",
		newDcount(1))
	agg("count_distinct", params(req("expr", AnyType)), Fixed(tables.Long), "count_distinct_",
		"Exact number of distinct non-null values.", newDcount(-1))
	agg("count_distinctif", params(req("expr", AnyType), req("predicate", BoolType)),
		Fixed(tables.Long), "count_distinctif_", "count_distinct over rows where the predicate holds.",
		newDcount(1))
	agg("sum", params(req("expr", NumOrSpan)), sumType, "sum_", "Sum of the non-null values.",
		newSum(-1))
	agg("sumif", params(req("expr", NumOrSpan), req("predicate", BoolType)), sumType, "sumif_",
		"Sum over the rows where the predicate is true.", newSum(1))
	agg("avg", params(req("expr", NumOrTime)), avgType, "avg_",
		"Average of the non-null values (NaN over none).", newAvg(-1))
	agg("avgif", params(req("expr", NumOrTime), req("predicate", BoolType)), avgType, "avgif_",
		"Average over the rows where the predicate is true.", newAvg(1))
	agg("min", params(req("expr", Ordered)), SameAs(0), "min_", "Smallest non-null value.",
		newExtreme(-1, -1))
	agg("max", params(req("expr", Ordered)), SameAs(0), "max_", "Largest non-null value.",
		newExtreme(1, -1))
	agg("minif", params(req("expr", Ordered), req("predicate", BoolType)), SameAs(0), "minif_",
		"Smallest value where the predicate is true.", newExtreme(-1, 1))
	agg("maxif", params(req("expr", Ordered), req("predicate", BoolType)), SameAs(0), "maxif_",
		"Largest value where the predicate is true.", newExtreme(1, 1))
	registerLists()
	registerStats()
	Register(&Func{
		Name: "take_any", Kind: Aggregate, Params: params(req("expr", AnyType)),
		Result: SameAs(0), NewAgg: newTakeAny(-1), KeepName: true,
		Doc: "One value of the group, preferring a non-null, non-empty one.",
	})
	agg("any", params(req("expr", AnyType)), SameAs(0), "any_",
		"Deprecated take_any (its column is prefixed any_).", newTakeAny(-1))
	agg("take_anyif", params(req("expr", AnyType), req("predicate", BoolType)), SameAs(0), "",
		"take_any over the rows where the predicate is true.", newTakeAny(1), "anyif")
	agg("arg_max", params(req("expr", Ordered), optMany("return", AnyType)), SameAs(0), "",
		"Row with the largest expr; the engine builds its columns (this state tracks expr).",
		newExtreme(1, -1), "argmax")
	agg("arg_min", params(req("expr", Ordered), optMany("return", AnyType)), SameAs(0), "",
		"Row with the smallest expr; the engine builds its columns (this state tracks expr).",
		newExtreme(-1, -1), "argmin")
}

// agg registers an aggregate.
func agg(name string, ps []Param, result func([]tables.Type) tables.Type, column, doc string,
	newAgg func(*Call) (func() Agg, error), aliases ...string) {
	Register(&Func{Name: name, Aliases: aliases, Kind: Aggregate, Params: ps, Result: result,
		NewAgg: newAgg, Column: column, Doc: doc})
}

// keep reports whether an *if aggregate counts this row: pred is the
// index of the predicate argument, or -1 for aggregates without one.
func keep(args []tables.Value, pred int) bool {
	return pred < 0 || pred < len(args) && truthy(args[pred])
}

type countAgg struct {
	pred int // the predicate's argument index; -1 counts every row
	n    int64
}

func (a *countAgg) Add(args []tables.Value) {
	if keep(args, a.pred) {
		a.n++
	}
}

func (a *countAgg) Result() tables.Value { return tables.NewLong(a.n) }

type dcountAgg struct {
	pred int
	seen map[tables.Value]struct{}
}

func newDcount(pred int) func(*Call) (func() Agg, error) {
	return func(*Call) (func() Agg, error) {
		return func() Agg { return &dcountAgg{pred: pred, seen: map[tables.Value]struct{}{}} }, nil
	}
}

func (a *dcountAgg) Add(args []tables.Value) {
	if args[0].IsNull() || !keep(args, a.pred) {
		return
	}
	a.seen[args[0]] = struct{}{}
}

func (a *dcountAgg) Result() tables.Value { return tables.NewLong(int64(len(a.seen))) }

func sumType(args []tables.Type) tables.Type {
	switch args[0] {
	case tables.Int, tables.Long:
		return tables.Long
	case tables.Real, tables.Decimal, tables.Timespan:
		return args[0]
	}
	return tables.Real
}

func avgType(args []tables.Type) tables.Type {
	if args[0] == tables.DateTime || args[0] == tables.Timespan {
		return args[0]
	}
	return tables.Real
}

type sumAgg struct {
	t    tables.Type
	pred int
	i    int64
	f    float64
}

func newSum(pred int) func(*Call) (func() Agg, error) {
	return func(c *Call) (func() Agg, error) {
		t := sumType(c.Types)
		return func() Agg { return &sumAgg{t: t, pred: pred} }, nil
	}
}

func (a *sumAgg) Add(args []tables.Value) {
	if args[0].IsNull() || !keep(args, a.pred) {
		return
	}
	if a.t == tables.Long || a.t == tables.Timespan {
		n, _ := toI(args[0])
		a.i += n
		return
	}
	f, _ := toF(args[0])
	a.f += f
}

func (a *sumAgg) Result() tables.Value {
	switch a.t {
	case tables.Long:
		return tables.NewLong(a.i)
	case tables.Timespan:
		return tables.NewTimespan(a.i)
	}
	return numberOf(a.t, a.f)
}

type avgAgg struct {
	t    tables.Type
	pred int
	n    int64
	sum  float64
}

func newAvg(pred int) func(*Call) (func() Agg, error) {
	return func(c *Call) (func() Agg, error) {
		t := avgType(c.Types)
		return func() Agg { return &avgAgg{t: t, pred: pred} }, nil
	}
}

func (a *avgAgg) Add(args []tables.Value) {
	if args[0].IsNull() || !keep(args, a.pred) {
		return
	}
	f, ok := toF(args[0])
	if ok {
		a.sum += f
		a.n++
	}
}

func (a *avgAgg) Result() tables.Value {
	if a.t != tables.Real {
		if a.n == 0 {
			return tables.Null(a.t)
		}
		ticks := int64(math.Round(a.sum / float64(a.n)))
		if a.t == tables.DateTime {
			return tables.NewDateTime(ticks)
		}
		return tables.NewTimespan(ticks)
	}
	if a.n == 0 {
		return tables.NewReal(math.NaN())
	}
	return tables.NewReal(a.sum / float64(a.n))
}

type extremeAgg struct {
	sign, pred int
	best       tables.Value
	found      bool
}

func newExtreme(sign, pred int) func(*Call) (func() Agg, error) {
	return func(c *Call) (func() Agg, error) {
		t := c.Types[0]
		return func() Agg { return &extremeAgg{sign: sign, pred: pred, best: tables.Null(t)} }, nil
	}
}

func (a *extremeAgg) Add(args []tables.Value) {
	v := args[0]
	if v.IsNull() || !keep(args, a.pred) {
		return
	}
	if !a.found || compareValues(v, a.best)*a.sign > 0 {
		a.best, a.found = v, true
	}
}

func (a *extremeAgg) Result() tables.Value { return a.best }

type takeAnyAgg struct {
	pred  int
	val   tables.Value
	found bool // a non-null, non-empty value is held
}

func newTakeAny(pred int) func(*Call) (func() Agg, error) {
	return func(c *Call) (func() Agg, error) {
		t := c.Types[0]
		return func() Agg { return &takeAnyAgg{pred: pred, val: tables.Null(t)} }, nil
	}
}

func (a *takeAnyAgg) Add(args []tables.Value) {
	if a.found || !keep(args, a.pred) {
		return
	}
	a.val = args[0]
	a.found = !isEmpty(args[0])
}

func (a *takeAnyAgg) Result() tables.Value { return a.val }

// limitArg reads an optional constant size cap of the make_* family.
func limitArg(c *Call, i int) (int, error) {
	if i >= len(c.Consts) || c.Consts[i] == nil {
		return maxListSize, nil
	}
	n, ok := toI(*c.Consts[i])
	if !ok || n <= 0 {
		return 0, fmt.Errorf("the size limit must be a positive constant")
	}
	return int(min(n, maxListSize)), nil
}

type listAgg struct {
	pred      int
	limit     int
	withNulls bool
	set       bool
	vals      []tables.Value
	seen      map[string]struct{}
}

func newList(pred, limitAt int, set, withNulls bool) func(*Call) (func() Agg, error) {
	return func(c *Call) (func() Agg, error) {
		limit := maxListSize
		if limitAt >= 0 {
			var err error
			if limit, err = limitArg(c, limitAt); err != nil {
				return nil, err
			}
		}
		return func() Agg {
			a := &listAgg{pred: pred, limit: limit, set: set, withNulls: withNulls}
			if set {
				a.seen = map[string]struct{}{}
			}
			return a
		}, nil
	}
}

func (a *listAgg) Add(args []tables.Value) {
	v := args[0]
	if v.IsNull() && !a.withNulls || !keep(args, a.pred) || len(a.vals) >= a.limit {
		return
	}
	if !a.set {
		a.vals = append(a.vals, v)
		return
	}
	if isArray(v) {
		v.Elements(func(_ string, e tables.Value) bool {
			a.addDistinct(e)
			return true
		})
		return
	}
	a.addDistinct(asDynamic(v))
}

func (a *listAgg) addDistinct(e tables.Value) {
	if e.IsNull() || len(a.vals) >= a.limit {
		return
	}
	k := dynKey(e)
	if _, dup := a.seen[k]; dup {
		return
	}
	a.seen[k] = struct{}{}
	a.vals = append(a.vals, e)
}

func (a *listAgg) Result() tables.Value { return arrayOf(a.vals) }

type bagAgg struct {
	pred, limit int
	b           bag
}

func newBag(pred, limitAt int) func(*Call) (func() Agg, error) {
	return func(c *Call) (func() Agg, error) {
		limit, err := limitArg(c, limitAt)
		if err != nil {
			return nil, err
		}
		return func() Agg { return &bagAgg{pred: pred, limit: limit} }, nil
	}
}

func (a *bagAgg) Add(args []tables.Value) {
	if !isBag(args[0]) || !keep(args, a.pred) {
		return
	}
	args[0].Elements(func(k string, e tables.Value) bool {
		if a.b.len() >= a.limit {
			return false
		}
		a.b.set(k, e)
		return true
	})
}

// Result is the merged bag; a group that contributed no bag gives [], the
// documented empty value of the make_* family.
func (a *bagAgg) Result() tables.Value {
	if a.b.len() == 0 {
		return emptyArray
	}
	return a.b.value()
}

func registerLists() {
	dyn := Fixed(tables.Dynamic)
	agg("make_list", params(req("expr", AnyType), konst(opt("maxSize", Integer))), dyn, "list_",
		"Array of the group's non-null values.", newList(-1, 1, false, false), "makelist")
	agg("make_list_if", params(req("expr", AnyType), req("predicate", BoolType),
		konst(opt("maxSize", Integer))), dyn, "list_",
		"make_list over the rows where the predicate is true.", newList(1, 2, false, false))
	agg("make_list_with_nulls", params(req("expr", AnyType), konst(opt("maxSize", Integer))), dyn,
		"list_", "Array of the group's values, nulls included.", newList(-1, 1, false, true))
	agg("make_set", params(req("expr", AnyType), konst(opt("maxSize", Integer))), dyn, "set_",
		"Array of the distinct non-null values (array inputs contribute their elements).",
		newList(-1, 1, true, false), "makeset")
	agg("make_set_if", params(req("expr", AnyType), req("predicate", BoolType),
		konst(opt("maxSize", Integer))), dyn, "set_",
		"make_set over the rows where the predicate is true.", newList(1, 2, true, false))
	agg("make_bag", params(req("expr", DynOnly), konst(opt("maxSize", Integer))), dyn, "bag_",
		"Merges the group's property bags (the first value of a key wins).", newBag(-1, 1),
		"make_dictionary")
	agg("make_bag_if", params(req("expr", DynOnly), req("predicate", BoolType),
		konst(opt("maxSize", Integer))), dyn, "bag_",
		"make_bag over the rows where the predicate is true.", newBag(1, 2))
}

// statAgg gathers values for variance, stdev and percentile.
type statAgg struct {
	pred int
	kind string
	t    tables.Type
	p    float64
	n    float64
	mean float64
	m2   float64 // Welford's running sum of squared deviations
	vals []tables.Value
}

func newStat(kind string, pred int) func(*Call) (func() Agg, error) {
	return func(c *Call) (func() Agg, error) {
		var p float64
		if kind == "percentile" {
			if len(c.Consts) < 2 || c.Consts[1] == nil {
				return nil, fmt.Errorf("percentile() needs a constant percentage")
			}
			var ok bool
			if p, ok = toF(*c.Consts[1]); !ok || p < 0 || p > 100 {
				return nil, fmt.Errorf("the percentage must be between 0 and 100")
			}
		}
		t := c.Types[0]
		return func() Agg { return &statAgg{pred: pred, kind: kind, t: t, p: p} }, nil
	}
}

func (a *statAgg) Add(args []tables.Value) {
	if args[0].IsNull() || !keep(args, a.pred) {
		return
	}
	if a.kind == "percentile" {
		a.vals = append(a.vals, args[0])
		return
	}
	x, ok := toF(args[0])
	if !ok {
		return
	}
	a.n++
	d := x - a.mean
	a.mean += d / a.n
	a.m2 += d * (x - a.mean)
}

func (a *statAgg) Result() tables.Value {
	switch a.kind {
	case "percentile":
		return a.percentile()
	case "variance", "stdev":
		if a.n < 2 {
			return tables.NewReal(0)
		}
		v := a.m2 / (a.n - 1)
		if a.kind == "stdev" {
			v = math.Sqrt(v)
		}
		return tables.NewReal(v)
	}
	if a.n == 0 {
		return tables.NewReal(0)
	}
	v := a.m2 / a.n
	if a.kind == "stdevp" {
		v = math.Sqrt(v)
	}
	return tables.NewReal(v)
}

// percentile is the nearest-rank percentile: the smallest value with at
// least p% of the values at or below it.
func (a *statAgg) percentile() tables.Value {
	if len(a.vals) == 0 {
		return tables.Null(a.t)
	}
	sort.Slice(a.vals, func(i, j int) bool { return compareValues(a.vals[i], a.vals[j]) < 0 })
	rank := int(math.Ceil(a.p / 100 * float64(len(a.vals))))
	return a.vals[max(rank-1, 0)]
}

func registerStats() {
	toReal := Fixed(tables.Real)
	for _, kind := range []string{"variance", "variancep", "stdev", "stdevp"} {
		agg(kind, params(req("expr", Numeric)), toReal, kind+"_", statDoc[kind], newStat(kind, -1))
		agg(kind+"if", params(req("expr", Numeric), req("predicate", BoolType)), toReal, kind+"if_",
			statDoc[kind]+" Only rows where the predicate is true.", newStat(kind, 1))
	}
	agg("percentile", params(req("expr", Ordered), konst(req("percentile", Numeric))), SameAs(0),
		"percentile_", "Nearest-rank percentile of the values (exact, not estimated).",
		newStat("percentile", -1))
	agg("binary_all_and", params(req("expr", Integer)), Fixed(tables.Long), "binary_all_and_",
		"Bitwise and of the values.", newBits(func(a, b int64) int64 { return a & b }))
	agg("binary_all_or", params(req("expr", Integer)), Fixed(tables.Long), "binary_all_or_",
		"Bitwise or of the values.", newBits(func(a, b int64) int64 { return a | b }))
	agg("binary_all_xor", params(req("expr", Integer)), Fixed(tables.Long), "binary_all_xor_",
		"Bitwise xor of the values.", newBits(func(a, b int64) int64 { return a ^ b }))
}

var statDoc = map[string]string{
	"variance":  "Sample variance of the values.",
	"variancep": "Population variance of the values.",
	"stdev":     "Sample standard deviation of the values.",
	"stdevp":    "Population standard deviation of the values.",
}

type bitsAgg struct {
	op    func(a, b int64) int64
	acc   int64
	found bool
}

func newBits(op func(a, b int64) int64) func(*Call) (func() Agg, error) {
	return func(*Call) (func() Agg, error) { return func() Agg { return &bitsAgg{op: op} }, nil }
}

func (a *bitsAgg) Add(args []tables.Value) {
	n, ok := toI(args[0])
	if !ok {
		return
	}
	if !a.found {
		a.acc, a.found = n, true
		return
	}
	a.acc = a.op(a.acc, n)
}

func (a *bitsAgg) Result() tables.Value {
	if !a.found {
		return tables.Null(tables.Long)
	}
	return tables.NewLong(a.acc)
}
