package functions

import (
	cryptorand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"math/bits"

	"github.com/kql-offline/kql/tables"
)

func init() {
	scalar("bitset_count_ones", params(req("value", Integer)), Fixed(tables.Long),
		"Number of set bits in the 64-bit two's complement form of an integer.",
		func(a []tables.Value) tables.Value {
			n, ok := toI(a[0])
			if !ok {
				return tables.Null(tables.Long)
			}
			return tables.NewLong(int64(bits.OnesCount64(uint64(n))))
		})
	scalar("around", params(req("value", NumOrTime), req("center", NumOrTime), req("delta", NumOrSpan)),
		Fixed(tables.Bool), "True when value is within center ± delta (inclusive).", around)
	Register(&Func{
		Name: "assert", Kind: Scalar, Params: params(konst(req("condition", BoolType)), konst(req("message", Text))),
		Result: Fixed(tables.Bool), Compile: compileAssert,
		Doc: "True, or the query fails with the message when the (constant) condition is false.",
	})
	scalar("new_guid", nil, Fixed(tables.GUID), "A new random guid (version 4) for each call.", newGUID)
	realFn("gamma", "The gamma function; null at its poles (0 and negative integers).",
		func(x float64) float64 {
			if x <= 0 && x == math.Trunc(x) {
				return math.NaN()
			}
			return math.Gamma(x)
		})
	realFn("loggamma", "Natural logarithm of the absolute value of the gamma function.",
		func(x float64) float64 {
			if x <= 0 && x == math.Trunc(x) {
				return math.NaN()
			}
			v, _ := math.Lgamma(x)
			return v
		})
}

// around(value, center, delta) is true when value lies within center ±
// delta, ends included. Numbers compare as reals; a datetime or timespan
// value takes a timespan delta.
func around(a []tables.Value) tables.Value {
	if a[0].IsNull() || a[1].IsNull() || a[2].IsNull() {
		return tables.Null(tables.Bool)
	}
	x, ok1 := toF(a[0])
	c, ok2 := toF(a[1])
	d, ok3 := toF(a[2])
	if !ok1 || !ok2 || !ok3 {
		return tables.Null(tables.Bool)
	}
	return tables.NewBool(x >= c-d && x <= c+d)
}

// compileAssert checks assert(condition, message) at bind time: Kusto
// raises the message as an error when the condition is false. kql can
// only do so for a constant condition, so a condition that depends on
// the rows is refused rather than ignored.
func compileAssert(c *Call) (Impl, error) {
	if len(c.Consts) < 2 || c.Consts[0] == nil || c.Consts[1] == nil {
		return nil, fmt.Errorf("kql evaluates assert() only with a constant condition and message")
	}
	if !truthy(*c.Consts[0]) {
		return nil, fmt.Errorf("assertion failed: %s", c.Consts[1].String())
	}
	return func([]tables.Value) tables.Value { return tables.NewBool(true) }, nil
}

// newGUID returns a random (version 4) guid; the engine never folds it, so
// each row gets its own.
func newGUID([]tables.Value) tables.Value {
	var b [16]byte
	_, _ = cryptorand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return tables.NewGUID(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:])
}
