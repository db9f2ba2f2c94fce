// Package functions is kql's one registry of scalar and aggregate functions.
// Each function declares its parameters and result type once; the engine's
// binder checks every call against that declaration before any row is read,
// so implementations never check arity or types at run time.
//
// Start with Func and Register. Adding a function is one entry in one of the
// files here and a test.
package functions

import (
	"sort"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// Kind tells scalar functions from aggregates.
type Kind uint8

// The function kinds.
const (
	Scalar Kind = iota
	Aggregate
)

// TypeSet is a set of argument types a parameter accepts.
type TypeSet uint16

// Of returns the set of the given types.
func Of(ts ...tables.Type) TypeSet {
	var s TypeSet
	for _, t := range ts {
		s |= 1 << t
	}
	return s
}

// Has reports whether t is in the set.
func (s TypeSet) Has(t tables.Type) bool { return s&(1<<t) != 0 }

// Common parameter type sets.
var (
	AnyType  = Of(tables.Bool, tables.Int, tables.Long, tables.Real, tables.Decimal, tables.String, tables.DateTime, tables.Timespan, tables.GUID, tables.Dynamic)
	Numeric  = Of(tables.Int, tables.Long, tables.Real, tables.Decimal)
	Integer  = Of(tables.Int, tables.Long)
	Text     = Of(tables.String)
	Ordered  = Of(tables.Int, tables.Long, tables.Real, tables.Decimal, tables.DateTime, tables.Timespan, tables.String, tables.Bool, tables.GUID)
	DynOnly  = Of(tables.Dynamic)
	TimeLike = Of(tables.DateTime, tables.Timespan)
)

// Param declares one parameter.
type Param struct {
	Name  string
	Types TypeSet
	// Optional parameters may be left out; all of them come last.
	Optional bool
	// Variadic marks the last parameter as repeatable (at least once unless
	// also Optional).
	Variadic bool
	// Const requires a constant argument (a literal, or an expression of
	// literals and let-bound scalars), e.g. a regular expression.
	Const bool
}

// Env is what a function may read of the query's surroundings.
type Env struct {
	// Now is the value of now() in ticks since the Unix epoch, fixed for the
	// whole query as Kusto fixes it.
	Now int64
	// GeoIP is the table of networks geo_info_from_ip_address reads (the
	// --geoip file); nil when none was given, which makes such a call an
	// error when the query is bound.
	GeoIP *tables.GeoIP
}

// Call describes one call site to Compile and NewAgg: the argument types
// the binder worked out, and the value of each argument that is constant
// (nil where it is not).
type Call struct {
	Env    *Env
	Types  []tables.Type
	Consts []*tables.Value
}

// Impl computes a scalar function for one row. args has one value per
// argument written in the call; the slice is reused between rows.
type Impl func(args []tables.Value) tables.Value

// Agg is the running state of one aggregate for one group.
type Agg interface {
	// Add folds one row's argument values into the state.
	Add(args []tables.Value)
	// Result returns the aggregate's value for the rows added so far.
	Result() tables.Value
}

// Func declares one function.
type Func struct {
	Name    string
	Aliases []string
	Kind    Kind
	Params  []Param
	// Result returns the type of the call's value from its argument types.
	Result func(args []tables.Type) tables.Type
	// Compile prepares a scalar call site once, at bind time; constant
	// arguments (a regex, a format) can be compiled here. An error is
	// reported at the call's position.
	Compile func(c *Call) (Impl, error)
	// NewAgg prepares an aggregate call site and returns the constructor of
	// a fresh state for each group.
	NewAgg func(c *Call) (func() Agg, error)
	// Column is the default output column name of an aggregate whose call is
	// not named: "count_", or a prefix that the first argument's column name
	// completes ("sum_" gives sum_x). Empty means the function's name + "_".
	Column string
	// Doc is a one-line description shown by completion and kql check.
	Doc string
	// ResultOf, when set, replaces Result for call sites whose constant
	// arguments decide the type: extract(re, n, s, typeof(int)) is an int.
	// The binder passes the same Call it later gives Compile. Added by the
	// functions package; a binder that ignores it still gets Result, and
	// the column converts the values.
	ResultOf func(c *Call) tables.Type
	// KeepName makes an unnamed aggregate's output column take its first
	// argument's column name unchanged: take_any(x) gives x, where most
	// aggregates prefix it (sum_x).
	KeepName bool
	// NameArgs, when above 1, makes an unnamed aggregate's column join the
	// column names of its first NameArgs arguments: covariance(x, y) gives
	// covariance_x_y.
	NameArgs int
	// Outputs, when set, makes this a function with several results
	// (series_stats, series_fit_line): extend and project give each its
	// own column, and the call cannot be an argument of another function.
	// CompileMulti then replaces Compile.
	Outputs      []Output
	CompileMulti func(c *Call) (MultiImpl, error)
}

// Output is one result of a function with several: the suffix of its
// default column name (series_stats_x_min) and its type.
type Output struct {
	Name string
	Type tables.Type
}

// MultiImpl computes every result of a function with several for one
// row, into out (one value per Output; the slice is reused between rows).
type MultiImpl func(args []tables.Value, out []tables.Value)

// ResultType returns the type of a call: ResultOf when the function has
// one, otherwise Result over the argument types.
func (f *Func) ResultType(c *Call) tables.Type {
	if f.ResultOf != nil {
		return f.ResultOf(c)
	}
	return f.Result(c.Types)
}

// Signature returns the function's signature as the REPL shows it:
// name(p1, [p2], p3...).
func (f *Func) Signature() string {
	var b strings.Builder
	b.WriteString(f.Name)
	b.WriteByte('(')
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		name := p.Name
		if p.Variadic {
			name += "..."
		}
		if p.Optional {
			name = "[" + name + "]"
		}
		b.WriteString(name)
	}
	b.WriteByte(')')
	return b.String()
}

// Arity returns the least and the most arguments a call may have; max is -1
// when the last parameter is variadic.
func (f *Func) Arity() (min, max int) {
	for _, p := range f.Params {
		if !p.Optional {
			min++
		}
		if p.Variadic {
			max = -1
		} else if max >= 0 {
			max++
		}
	}
	return min, max
}

// ParamFor returns the declaration that argument i matches.
func (f *Func) ParamFor(i int) Param {
	if i < len(f.Params) {
		return f.Params[i]
	}
	return f.Params[len(f.Params)-1]
}

var registry = map[string]*Func{}

// Register adds f under its name and aliases. It panics on a duplicate name,
// which is a programming error caught by any test.
func Register(f *Func) {
	for _, name := range append([]string{f.Name}, f.Aliases...) {
		if _, dup := registry[name]; dup {
			panic("functions: duplicate registration of " + name)
		}
		registry[name] = f
	}
}

// Lookup returns the function with this name or alias. KQL function names
// are case-sensitive.
func Lookup(name string) (*Func, bool) {
	f, ok := registry[name]
	return f, ok
}

// Names returns every registered name and alias, sorted, for completion and
// "did you mean" suggestions.
func Names() []string {
	out := make([]string, 0, len(registry))
	for name := range registry {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Fixed returns a Result rule that always gives t.
func Fixed(t tables.Type) func([]tables.Type) tables.Type {
	return func([]tables.Type) tables.Type { return t }
}

// SameAs returns a Result rule that gives the type of argument i.
func SameAs(i int) func([]tables.Type) tables.Type {
	return func(args []tables.Type) tables.Type {
		if i < len(args) {
			return args[i]
		}
		return tables.Unknown
	}
}
