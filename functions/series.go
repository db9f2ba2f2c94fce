package functions

import (
	"math"

	"github.com/kql-offline/kql/tables"
)

// Series functions work element by element on dynamic arrays of numbers
// (the output of make-series). An argument may also be a scalar, which is
// used for every element. The result is as long as the longest array; an
// element that is missing or not a number gives a null element. Element
// values are reals, as in Kusto.

func init() {
	binary := map[string]func(a, b float64) float64{
		"series_add":      func(a, b float64) float64 { return a + b },
		"series_subtract": func(a, b float64) float64 { return a - b },
		"series_multiply": func(a, b float64) float64 { return a * b },
		"series_divide":   func(a, b float64) float64 { return a / b },
		"series_pow":      math.Pow,
	}
	for name, op := range binary {
		scalar(name, params(req("series1", AnyType), req("series2", AnyType)), Fixed(tables.Dynamic),
			"Element-wise "+name[len("series_"):]+" of two numeric arrays (or an array and a scalar).",
			seriesBinary(op))
	}
	compare := map[string]func(a, b float64) bool{
		"series_greater":        func(a, b float64) bool { return a > b },
		"series_greater_equals": func(a, b float64) bool { return a >= b },
		"series_less":           func(a, b float64) bool { return a < b },
		"series_less_equals":    func(a, b float64) bool { return a <= b },
		"series_equals":         func(a, b float64) bool { return a == b },
		"series_not_equals":     func(a, b float64) bool { return a != b },
	}
	for name, op := range compare {
		scalar(name, params(req("series1", AnyType), req("series2", AnyType)), Fixed(tables.Dynamic),
			"Element-wise comparison of two numeric arrays (or an array and a scalar), as bools.",
			seriesCompare(op))
	}
	unary := map[string]func(float64) float64{
		"series_abs": math.Abs, "series_acos": math.Acos, "series_asin": math.Asin,
		"series_atan": math.Atan, "series_cos": math.Cos, "series_sin": math.Sin,
		"series_tan": math.Tan, "series_exp": math.Exp, "series_log": math.Log,
		"series_sign": sign, "series_ceiling": math.Ceil, "series_floor": math.Floor,
	}
	for name, op := range unary {
		scalar(name, params(req("series", AnyType)), Fixed(tables.Dynamic),
			"Element-wise "+name[len("series_"):]+" of a numeric array.", seriesUnary(op))
	}
	scalar("series_sum", params(req("series", DynOnly)), Fixed(tables.Real),
		"Sum of a numeric array's elements; null when one is not a number.",
		func(a []tables.Value) tables.Value { return seriesFold(a[0], false) })
	scalar("series_magnitude", params(req("series", DynOnly)), Fixed(tables.Real),
		"Square root of the sum of the squares of a numeric array's elements.",
		func(a []tables.Value) tables.Value { return seriesFold(a[0], true) })
	scalar("series_dot_product", params(req("series1", AnyType), req("series2", AnyType)),
		Fixed(tables.Real), "Sum of the element-wise products of two numeric arrays.", seriesDot)
	scalar("series_pearson_correlation", params(req("series1", DynOnly), req("series2", DynOnly)),
		Fixed(tables.Real), "Pearson correlation coefficient of two numeric arrays of one length.",
		seriesPearson)
	scalar("series_stats_dynamic", params(req("series", DynOnly), opt("ignore_nonfinite", BoolType)),
		Fixed(tables.Dynamic),
		"A bag of min, min_idx, max, max_idx, avg, stdev, variance (sample), sum and len.",
		seriesStatsDynamic)
	scalar("series_fill_const", params(req("series", DynOnly), req("constant_value", AnyType),
		opt("missing_value_placeholder", AnyType)), Fixed(tables.Dynamic),
		"Replaces the missing values (null, or the placeholder) of an array with a constant.",
		seriesFillConst)
	scalar("series_fill_forward", params(req("series", DynOnly), opt("missing_value_placeholder", AnyType)),
		Fixed(tables.Dynamic), "Replaces each missing value with the last value before it.",
		func(a []tables.Value) tables.Value { return seriesFillDirection(a, false) })
	scalar("series_fill_backward", params(req("series", DynOnly), opt("missing_value_placeholder", AnyType)),
		Fixed(tables.Dynamic), "Replaces each missing value with the next value after it.",
		func(a []tables.Value) tables.Value { return seriesFillDirection(a, true) })
}

// seriesArg reads one argument as elements (numbers, or nil for a null
// element) and whether it is an array; a scalar has one element.
func seriesArg(v tables.Value) ([]*float64, bool) {
	if isArray(v) {
		el := elements(v)
		out := make([]*float64, len(el))
		for i, e := range el {
			if e.DynKind() == tables.DynLong || e.DynKind() == tables.DynReal {
				if f, ok := e.AsFloat(); ok {
					out[i] = &f
				}
			}
		}
		return out, true
	}
	if f, ok := toF(v); ok {
		return []*float64{&f}, false
	}
	return []*float64{nil}, false
}

// pairs lines up two arguments; ok is false when neither is an array.
func pairs(x, y tables.Value) (a, b []*float64, n int, ok bool) {
	a, arrA := seriesArg(x)
	b, arrB := seriesArg(y)
	if !arrA && !arrB {
		return nil, nil, 0, false
	}
	n = max(len(a)*b2i(arrA), len(b)*b2i(arrB))
	at := func(s []*float64, isArr bool, i int) *float64 {
		if !isArr {
			return s[0]
		}
		if i < len(s) {
			return s[i]
		}
		return nil
	}
	outA, outB := make([]*float64, n), make([]*float64, n)
	for i := range n {
		outA[i], outB[i] = at(a, arrA, i), at(b, arrB, i)
	}
	return outA, outB, n, true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func seriesBinary(op func(a, b float64) float64) Impl {
	return func(args []tables.Value) tables.Value {
		a, b, n, ok := pairs(args[0], args[1])
		if !ok {
			return tables.Null(tables.Dynamic)
		}
		out := make([]tables.Value, n)
		for i := range out {
			if a[i] == nil || b[i] == nil {
				out[i] = tables.Null(tables.Real)
				continue
			}
			out[i] = tables.NewReal(op(*a[i], *b[i]))
		}
		return arrayOf(out)
	}
}

func seriesCompare(op func(a, b float64) bool) Impl {
	return func(args []tables.Value) tables.Value {
		a, b, n, ok := pairs(args[0], args[1])
		if !ok {
			return tables.Null(tables.Dynamic)
		}
		out := make([]tables.Value, n)
		for i := range out {
			if a[i] == nil || b[i] == nil {
				out[i] = tables.Null(tables.Bool)
				continue
			}
			out[i] = tables.NewBool(op(*a[i], *b[i]))
		}
		return arrayOf(out)
	}
}

func seriesUnary(op func(float64) float64) Impl {
	return func(args []tables.Value) tables.Value {
		if !isArray(args[0]) {
			return tables.Null(tables.Dynamic)
		}
		a, _ := seriesArg(args[0])
		out := make([]tables.Value, len(a))
		for i, x := range a {
			if x == nil {
				out[i] = tables.Null(tables.Real)
				continue
			}
			out[i] = tables.NewReal(op(*x))
		}
		return arrayOf(out)
	}
}

// seriesFold is series_sum, or with squares set series_magnitude.
func seriesFold(v tables.Value, squares bool) tables.Value {
	if !isArray(v) {
		return tables.Null(tables.Real)
	}
	a, _ := seriesArg(v)
	sum := 0.0
	for _, x := range a {
		if x == nil {
			return tables.Null(tables.Real)
		}
		if squares {
			sum += *x * *x
		} else {
			sum += *x
		}
	}
	if squares {
		sum = math.Sqrt(sum)
	}
	return tables.NewReal(sum)
}

func seriesDot(args []tables.Value) tables.Value {
	a, b, _, ok := pairs(args[0], args[1])
	if !ok {
		return tables.Null(tables.Real)
	}
	sum := 0.0
	for i := range a {
		if a[i] == nil || b[i] == nil {
			return tables.Null(tables.Real)
		}
		sum += *a[i] * *b[i]
	}
	return tables.NewReal(sum)
}

func seriesStatsDynamic(args []tables.Value) tables.Value {
	if !isArray(args[0]) {
		return tables.Null(tables.Dynamic)
	}
	ignore := len(args) > 1 && truthy(args[1])
	a, _ := seriesArg(args[0])
	var vals []float64
	var idx []int
	for i, x := range a {
		finite := x != nil && !math.IsNaN(*x) && !math.IsInf(*x, 0)
		if !finite {
			if !ignore {
				return tables.Null(tables.Dynamic)
			}
			continue
		}
		vals = append(vals, *x)
		idx = append(idx, i)
	}
	var b bag
	if len(vals) == 0 {
		for _, k := range []string{"min", "min_idx", "max", "max_idx", "avg", "stdev", "variance", "sum"} {
			b.set(k, tables.Null(tables.Real))
		}
		b.set("len", tables.NewLong(int64(len(a))))
		return b.value()
	}
	minI, maxI, sum := 0, 0, 0.0
	for i, x := range vals {
		if x < vals[minI] {
			minI = i
		}
		if x > vals[maxI] {
			maxI = i
		}
		sum += x
	}
	n := float64(len(vals))
	avg := sum / n
	variance := 0.0
	if len(vals) > 1 {
		for _, x := range vals {
			variance += (x - avg) * (x - avg)
		}
		variance /= n - 1
	}
	b.set("min", tables.NewReal(vals[minI]))
	b.set("min_idx", tables.NewLong(int64(idx[minI])))
	b.set("max", tables.NewReal(vals[maxI]))
	b.set("max_idx", tables.NewLong(int64(idx[maxI])))
	b.set("avg", tables.NewReal(avg))
	b.set("stdev", tables.NewReal(math.Sqrt(variance)))
	b.set("variance", tables.NewReal(variance))
	b.set("sum", tables.NewReal(sum))
	b.set("len", tables.NewLong(int64(len(a))))
	return b.value()
}

// missing reports whether element e is a missing value: null, or equal to
// the placeholder when one is given.
func missing(e tables.Value, placeholder *tables.Value) bool {
	if placeholder == nil || placeholder.IsNull() {
		return e.IsNull()
	}
	return dynKey(e) == dynKey(asDynamic(*placeholder))
}

func placeholderArg(a []tables.Value, i int) *tables.Value {
	if i < len(a) {
		return &a[i]
	}
	return nil
}

func seriesFillConst(a []tables.Value) tables.Value {
	if !isArray(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	ph := placeholderArg(a, 2)
	el := elements(a[0])
	for i, e := range el {
		if missing(e, ph) {
			el[i] = a[1]
		}
	}
	return arrayOf(el)
}

// seriesFillDirection fills forward (each gap takes the value before it)
// or backward (the value after it); gaps at the edge stay as they are.
func seriesFillDirection(a []tables.Value, backward bool) tables.Value {
	if !isArray(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	ph := placeholderArg(a, 1)
	el := elements(a[0])
	var last *tables.Value
	step := func(i int) {
		if missing(el[i], ph) {
			if last != nil {
				el[i] = *last
			}
			return
		}
		v := el[i]
		last = &v
	}
	if backward {
		for i := len(el) - 1; i >= 0; i-- {
			step(i)
		}
	} else {
		for i := range el {
			step(i)
		}
	}
	return arrayOf(el)
}

// seriesPearson is series_pearson_correlation: null when either argument
// is not an array, the lengths differ, or an element is not a number, as
// the reference says. A series whose values are all equal has no
// correlation; its zero variance gives NaN, as the formula does.
func seriesPearson(args []tables.Value) tables.Value {
	if !isArray(args[0]) || !isArray(args[1]) {
		return tables.Null(tables.Real)
	}
	a, _ := seriesArg(args[0])
	b, _ := seriesArg(args[1])
	if len(a) != len(b) || len(a) == 0 {
		return tables.Null(tables.Real)
	}
	var sa, sb float64
	for i := range a {
		if a[i] == nil || b[i] == nil {
			return tables.Null(tables.Real)
		}
		sa += *a[i]
		sb += *b[i]
	}
	n := float64(len(a))
	ma, mb := sa/n, sb/n
	var cov, va, vb float64
	for i := range a {
		da, db := *a[i]-ma, *b[i]-mb
		cov += da * db
		va += da * da
		vb += db * db
	}
	return tables.NewReal(cov / math.Sqrt(va*vb))
}
