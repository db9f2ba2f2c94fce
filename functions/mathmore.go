package functions

import (
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
