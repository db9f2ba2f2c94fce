package functions

import (
	"math"

	"github.com/kql-offline/kql/tables"
)

// Functions with several results, one column each (see Func.Outputs).

func init() {
	Register(&Func{
		Name: "series_stats", Kind: Scalar,
		Params:  params(req("series", DynOnly), opt("ignore_nonfinite", BoolType)),
		Result:  Fixed(tables.Dynamic),
		Outputs: seriesStatsOutputs, CompileMulti: compileSeriesStats,
		Doc: "min, min_idx, max, max_idx, avg, stdev and variance (sample) of a numeric array, " +
			"one column each; null when an element is not finite, unless ignore_nonfinite.",
	})
	Register(&Func{
		Name: "series_fit_line", Kind: Scalar,
		Params:  params(req("series", DynOnly)),
		Result:  Fixed(tables.Dynamic),
		Outputs: seriesFitLineOutputs, CompileMulti: compileSeriesFitLine,
		Doc: "Least-squares line through a numeric array (x = 1, 2, ...): rsquare, slope, " +
			"variance, rvariance, interception and line_fit, one column each.",
	})
}

var seriesStatsOutputs = []Output{
	{"min", tables.Real}, {"min_idx", tables.Long}, {"max", tables.Real}, {"max_idx", tables.Long},
	{"avg", tables.Real}, {"stdev", tables.Real}, {"variance", tables.Real},
}

// compileSeriesStats reads the results off series_stats_dynamic's bag, so
// the two functions agree.
func compileSeriesStats(*Call) (MultiImpl, error) {
	return func(args []tables.Value, out []tables.Value) {
		bag := seriesStatsDynamic(args)
		for k, o := range seriesStatsOutputs {
			out[k] = tables.Convert(bag.Member(o.Name), o.Type)
		}
	}, nil
}

var seriesFitLineOutputs = []Output{
	{"rsquare", tables.Real}, {"slope", tables.Real}, {"variance", tables.Real},
	{"rvariance", tables.Real}, {"interception", tables.Real}, {"line_fit", tables.Dynamic},
}

// compileSeriesFitLine fits y = slope*x + interception by least squares,
// with x = 1..n as the documented example's interception shows. variance is
// the sample variance of y and rvariance that of the residuals (both over
// n-1), and rsquare is 1 - SSres/SStot, which reproduces the documented
// example. A series that is not an array, has fewer than two elements or
// an element that is not a finite number gives nulls.
func compileSeriesFitLine(*Call) (MultiImpl, error) {
	return func(args []tables.Value, out []tables.Value) {
		for k, o := range seriesFitLineOutputs {
			out[k] = tables.Null(o.Type)
		}
		y, ok := finiteSeries(args[0])
		if !ok || len(y) < 2 {
			return
		}
		fit := fitLine(y)
		out[0] = tables.NewReal(fit.rsquare)
		out[1] = tables.NewReal(fit.slope)
		out[2] = tables.NewReal(fit.variance)
		out[3] = tables.NewReal(fit.rvariance)
		out[4] = tables.NewReal(fit.interception)
		line := make([]tables.Value, len(fit.line))
		for i, v := range fit.line {
			line[i] = tables.NewReal(v)
		}
		out[5] = arrayOf(line)
	}, nil
}

// finiteSeries reads a dynamic array whose every element is a finite
// number.
func finiteSeries(v tables.Value) ([]float64, bool) {
	if !isArray(v) {
		return nil, false
	}
	el, _ := seriesArg(v)
	y := make([]float64, len(el))
	for i, x := range el {
		if x == nil || math.IsNaN(*x) || math.IsInf(*x, 0) {
			return nil, false
		}
		y[i] = *x
	}
	return y, true
}

type lineFit struct {
	rsquare, slope, variance, rvariance, interception float64
	line                                              []float64
}

// fitLine is ordinary least squares over the points (i+1, y[i]).
func fitLine(y []float64) lineFit {
	n := float64(len(y))
	mx, my := (n+1)/2, 0.0
	for _, v := range y {
		my += v
	}
	my /= n
	var sxy, sxx, stot float64
	for i, v := range y {
		dx := float64(i+1) - mx
		sxy += dx * (v - my)
		sxx += dx * dx
		stot += (v - my) * (v - my)
	}
	f := lineFit{slope: sxy / sxx}
	f.interception = my - f.slope*mx
	f.line = make([]float64, len(y))
	var sres float64
	for i, v := range y {
		f.line[i] = f.slope*float64(i+1) + f.interception
		sres += (v - f.line[i]) * (v - f.line[i])
	}
	f.variance = stot / (n - 1)
	f.rvariance = sres / (n - 1)
	f.rsquare = 1 - sres/stot
	return f
}
