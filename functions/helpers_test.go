package functions

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

// Value shorthands for the tables below.
func L(n int64) tables.Value       { return tables.NewLong(n) }
func I(n int64) tables.Value       { return tables.NewInt(n) }
func R(f float64) tables.Value     { return tables.NewReal(f) }
func S(s string) tables.Value      { return tables.NewString(s) }
func B(b bool) tables.Value        { return tables.NewBool(b) }
func D(json string) tables.Value   { return tables.NewDynamic(json) }
func N(t tables.Type) tables.Value { return tables.Null(t) }

// DT parses a datetime literal's text.
func DT(t *testing.T, s string) tables.Value {
	t.Helper()
	ticks, ok := tables.ParseDateTime(s)
	require.True(t, ok, "bad datetime %q", s)
	return tables.NewDateTime(ticks)
}

// TS parses a timespan literal's text.
func TS(t *testing.T, s string) tables.Value {
	t.Helper()
	ticks, ok := tables.ParseTimespan(s)
	require.True(t, ok, "bad timespan %q", s)
	return tables.NewTimespan(ticks)
}

// testNow is the fixed now() the tests run with: 2024-01-02T03:04:05Z.
var testNow = tables.TicksFromTime(mustTime("2024-01-02T03:04:05Z"))

// call runs a scalar function the way the engine does, twice: once with
// every argument constant (the bind-time path) and once with only the
// Const parameters constant (the per-row path). Both must agree; the value is returned.
func call(t *testing.T, name string, args ...tables.Value) tables.Value {
	t.Helper()
	f, ok := Lookup(name)
	require.True(t, ok, "unknown function %s", name)
	require.Equal(t, Scalar, f.Kind)
	types := make([]tables.Type, len(args))
	consts := make([]*tables.Value, len(args))
	for i := range args {
		types[i] = args[i].Type()
		consts[i] = &args[i]
	}
	env := &Env{Now: testNow}
	impl, err := f.Compile(&Call{Env: env, Types: types, Consts: consts})
	require.NoError(t, err, name)
	got := impl(append([]tables.Value(nil), args...))
	rowConsts := make([]*tables.Value, len(args))
	for i := range args {
		if f.ParamFor(i).Const {
			rowConsts[i] = consts[i] // the binder guarantees these are constant
		}
	}
	impl2, err := f.Compile(&Call{Env: env, Types: types, Consts: rowConsts})
	require.NoError(t, err, name)
	got2 := impl2(append([]tables.Value(nil), args...))
	assert.Equal(t, got, got2, "%s: constant and per-row paths differ", name)
	return got
}

// compileErr returns the bind-time error of a call with constant args.
func compileErr(name string, args ...tables.Value) error {
	f, _ := Lookup(name)
	types := make([]tables.Type, len(args))
	consts := make([]*tables.Value, len(args))
	for i := range args {
		types[i] = args[i].Type()
		consts[i] = &args[i]
	}
	c := &Call{Env: &Env{}, Types: types, Consts: consts}
	if f.Kind == Aggregate {
		_, err := f.NewAgg(c)
		return err
	}
	_, err := f.Compile(c)
	return err
}

// aggregate runs an aggregate over rows of arguments; consts gives the
// constant arguments by position (nil entries for row values).
func aggregate(t *testing.T, name string, rows [][]tables.Value, consts ...*tables.Value) tables.Value {
	t.Helper()
	f, ok := Lookup(name)
	require.True(t, ok, "unknown aggregate %s", name)
	require.Equal(t, Aggregate, f.Kind)
	var types []tables.Type
	if len(rows) > 0 {
		for _, v := range rows[0] {
			types = append(types, v.Type())
		}
	}
	c := &Call{Env: &Env{Now: testNow}, Types: types, Consts: consts}
	newState, err := f.NewAgg(c)
	require.NoError(t, err)
	st := newState()
	for _, r := range rows {
		st.Add(r)
	}
	return st.Result()
}

// col builds rows of one argument each.
func col(vals ...tables.Value) [][]tables.Value {
	rows := make([][]tables.Value, len(vals))
	for i, v := range vals {
		rows[i] = []tables.Value{v}
	}
	return rows
}

// assertJSON compares a dynamic result with JSON text by content.
func assertJSON(t *testing.T, want string, got tables.Value, msgs ...any) {
	t.Helper()
	require.Equal(t, tables.Dynamic, got.Type(), msgs...)
	if want == "null" {
		assert.True(t, got.IsNull(), msgs...)
		return
	}
	require.False(t, got.IsNull(), msgs...)
	assert.JSONEq(t, want, got.Str(), msgs...)
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
