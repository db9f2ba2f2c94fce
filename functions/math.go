package functions

import (
	"math"
	"math/rand/v2"

	"github.com/kql-offline/kql/tables"
)

func init() {
	Register(&Func{
		Name: "abs", Kind: Scalar, Params: params(req("x", NumOrSpan)),
		Result: sameNumeric, Compile: compileAbs,
		Doc: "Absolute value of a number or timespan.",
	})
	Register(&Func{
		Name: "round", Kind: Scalar, Params: params(req("number", Numeric), opt("precision", Integer)),
		Result: sameNumeric, Compile: compileRound,
		Doc: "Rounds to precision decimal digits (0 by default; negative rounds left of the point).",
	})
	Register(&Func{
		Name: "ceiling", Kind: Scalar, Params: params(req("number", Numeric)),
		Result: sameNumeric, Compile: compileUnaryNum(math.Ceil, true),
		Doc: "Smallest integer not less than the number.",
	})
	Register(&Func{
		Name: "sign", Kind: Scalar, Params: params(req("number", Numeric)),
		Result: sameNumeric, Compile: compileUnaryNum(sign, false),
		Doc: "-1, 0 or 1 by the sign of the number.",
	})
	realFn("log", "Natural logarithm.", math.Log)
	realFn("log10", "Base-10 logarithm.", math.Log10)
	realFn("log2", "Base-2 logarithm.", math.Log2)
	realFn("exp", "e raised to the power x.", math.Exp)
	realFn("exp2", "2 raised to the power x.", math.Exp2)
	realFn("exp10", "10 raised to the power x.", func(x float64) float64 { return math.Pow(10, x) })
	realFn("sqrt", "Square root; null for a negative number.", func(x float64) float64 {
		if x < 0 {
			return math.NaN()
		}
		return math.Sqrt(x)
	})
	realFn("cos", "Cosine.", math.Cos)
	realFn("sin", "Sine.", math.Sin)
	realFn("tan", "Tangent.", math.Tan)
	realFn("acos", "Arc cosine.", math.Acos)
	realFn("asin", "Arc sine.", math.Asin)
	realFn("atan", "Arc tangent.", math.Atan)
	realFn("cot", "Cotangent.", func(x float64) float64 { return 1 / math.Tan(x) })
	realFn("degrees", "Radians to degrees.", func(x float64) float64 { return x * 180 / math.Pi })
	realFn("radians", "Degrees to radians.", func(x float64) float64 { return x * math.Pi / 180 })
	realFn2("pow", "base raised to the power exponent.", math.Pow)
	realFn2("atan2", "Angle of the point (x, y) for atan2(y, x).", math.Atan2)
	scalar("pi", nil, Fixed(tables.Real), "The constant pi.",
		func([]tables.Value) tables.Value { return tables.NewReal(math.Pi) })
	scalar("rand", params(opt("range", Integer)), Fixed(tables.Real),
		"A random real in [0, 1), or a random long in [0, range) with an argument.", randImpl)
	floatTest("isnan", "True when the number is NaN.", math.IsNaN)
	floatTest("isinf", "True when the number is +/- infinity.",
		func(f float64) bool { return math.IsInf(f, 0) })
	floatTest("isfinite", "True when the number is neither infinite nor NaN.",
		func(f float64) bool { return !math.IsInf(f, 0) && !math.IsNaN(f) })
	bitFn("binary_and", "Bitwise and.", func(a, b int64) int64 { return a & b })
	bitFn("binary_or", "Bitwise or.", func(a, b int64) int64 { return a | b })
	bitFn("binary_xor", "Bitwise xor.", func(a, b int64) int64 { return a ^ b })
	bitFn("binary_shift_left", "Shifts left.", func(a, b int64) int64 { return a << uint64(b&63) })
	bitFn("binary_shift_right", "Shifts right.", func(a, b int64) int64 { return a >> uint64(b&63) })
	scalar("binary_not", params(req("value", Integer)), Fixed(tables.Long), "Bitwise not.",
		func(a []tables.Value) tables.Value {
			n, ok := toI(a[0])
			if !ok {
				return tables.Null(tables.Long)
			}
			return tables.NewLong(^n)
		})
}

// sameNumeric keeps the argument's numeric type (and timespan for abs);
// a run-time-typed argument gives real.
func sameNumeric(args []tables.Type) tables.Type {
	if args[0].IsNumeric() || args[0] == tables.Timespan {
		return args[0]
	}
	return tables.Real
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x
}

func compileAbs(c *Call) (Impl, error) {
	t := sameNumeric(c.Types)
	return func(a []tables.Value) tables.Value {
		if t == tables.Timespan || t == tables.Int || t == tables.Long {
			n, ok := toI(a[0])
			if !ok {
				return tables.Null(t)
			}
			if n < 0 {
				n = -n
			}
			if t == tables.Timespan {
				return tables.NewTimespan(n)
			}
			return numberOf(t, float64(n))
		}
		f, ok := toF(a[0])
		if !ok {
			return tables.Null(t)
		}
		return numberOf(t, math.Abs(f))
	}, nil
}

// compileUnaryNum applies f in floating point; intIdentity says f leaves
// integers unchanged, so integer arguments pass through exactly.
func compileUnaryNum(f func(float64) float64, intIdentity bool) func(*Call) (Impl, error) {
	return func(c *Call) (Impl, error) {
		t := sameNumeric(c.Types)
		return func(a []tables.Value) tables.Value {
			if intIdentity && (t == tables.Int || t == tables.Long) {
				return a[0]
			}
			x, ok := toF(a[0])
			if !ok {
				return tables.Null(t)
			}
			return numberOf(t, f(x))
		}, nil
	}
}

// compileRound rounds half away from zero, as .NET's MidpointRounding
// .AwayFromZero does.
func compileRound(c *Call) (Impl, error) {
	t := sameNumeric(c.Types)
	return func(a []tables.Value) tables.Value {
		x, ok := toF(a[0])
		if !ok {
			return tables.Null(t)
		}
		var p int64
		if len(a) > 1 {
			if p, ok = toI(a[1]); !ok {
				return tables.Null(t)
			}
		}
		return numberOf(t, roundTo(x, p))
	}, nil
}

// roundTo scales, rounds and scales back, as .NET does, so 2.15 rounds to
// 2.2 at one digit (2.15*10 is 21.5 in floating point) although its exact
// binary value is below 2.15.
func roundTo(x float64, digits int64) float64 {
	if digits == 0 {
		return math.Round(x)
	}
	if digits > 0 {
		scale := math.Pow(10, float64(digits))
		return math.Round(x*scale) / scale
	}
	scale := math.Pow(10, float64(-digits))
	return math.Round(x/scale) * scale
}

func realFn(name, doc string, f func(float64) float64) {
	scalar(name, params(req("x", Numeric)), Fixed(tables.Real), doc,
		func(a []tables.Value) tables.Value {
			x, ok := toF(a[0])
			if !ok {
				return tables.Null(tables.Real)
			}
			r := f(x)
			if math.IsNaN(r) && !math.IsNaN(x) {
				return tables.Null(tables.Real)
			}
			return tables.NewReal(r)
		})
}

func realFn2(name, doc string, f func(a, b float64) float64) {
	scalar(name, params(req("a", Numeric), req("b", Numeric)), Fixed(tables.Real), doc,
		func(a []tables.Value) tables.Value {
			x, ok1 := toF(a[0])
			y, ok2 := toF(a[1])
			if !ok1 || !ok2 {
				return tables.Null(tables.Real)
			}
			return tables.NewReal(f(x, y))
		})
}

func floatTest(name, doc string, f func(float64) bool) {
	scalar(name, params(req("number", Numeric)), Fixed(tables.Bool), doc,
		func(a []tables.Value) tables.Value {
			x, ok := toF(a[0])
			if !ok {
				return tables.Null(tables.Bool)
			}
			return tables.NewBool(f(x))
		})
}

func bitFn(name, doc string, f func(a, b int64) int64) {
	scalar(name, params(req("a", Integer), req("b", Integer)), Fixed(tables.Long), doc,
		func(a []tables.Value) tables.Value {
			x, ok1 := toI(a[0])
			y, ok2 := toI(a[1])
			if !ok1 || !ok2 {
				return tables.Null(tables.Long)
			}
			return tables.NewLong(f(x, y))
		})
}

func randImpl(a []tables.Value) tables.Value {
	if len(a) == 0 {
		return tables.NewReal(rand.Float64())
	}
	n, ok := toI(a[0])
	if !ok || n <= 0 {
		return tables.Null(tables.Real)
	}
	return tables.NewReal(float64(rand.Int64N(n)))
}
