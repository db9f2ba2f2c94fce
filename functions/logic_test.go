package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestLogicFunctions(t *testing.T) {
	cases := []struct {
		name string
		args []tables.Value
		want tables.Value
	}{
		{"iff", []tables.Value{B(true), S("a"), S("b")}, S("a")},
		{"iff", []tables.Value{B(false), S("a"), S("b")}, S("b")},
		{"iff", []tables.Value{N(tables.Bool), B(true), B(false)}, B(false)},
		{"iif", []tables.Value{B(true), L(1), R(2.5)}, R(1)},
		{"iff", []tables.Value{D("true"), L(1), L(2)}, L(1)},
		{"iff", []tables.Value{B(false), L(1), N(tables.Long)}, N(tables.Long)},
		{"case", []tables.Value{B(false), S("Small"), B(true), S("Medium"), S("Large")}, S("Medium")},
		{"case", []tables.Value{B(false), S("Small"), N(tables.Bool), S("Medium"), S("Large")}, S("Large")},
		{"coalesce", []tables.Value{N(tables.Long), L(42), L(33)}, L(42)},
		{"coalesce", []tables.Value{S(""), S("x")}, S("x")},
		{"coalesce", []tables.Value{N(tables.Long), N(tables.Long)}, N(tables.Long)},
		{"coalesce", []tables.Value{N(tables.Dynamic), D("[]"), D("1")}, D("[]")},
		{"isnull", []tables.Value{S("")}, B(false)},
		{"isnull", []tables.Value{S("x")}, B(false)},
		{"isnull", []tables.Value{N(tables.Dynamic)}, B(true)},
		{"isnull", []tables.Value{D("[]")}, B(false)},
		{"isnull", []tables.Value{D("{}")}, B(false)},
		{"isnull", []tables.Value{N(tables.Long)}, B(true)},
		{"isnotnull", []tables.Value{L(0)}, B(true)},
		{"notnull", []tables.Value{N(tables.Real)}, B(false)},
		{"isempty", []tables.Value{S("")}, B(true)},
		{"isempty", []tables.Value{S("x")}, B(false)},
		{"isempty", []tables.Value{N(tables.Dynamic)}, B(true)},
		{"isempty", []tables.Value{D("[]")}, B(false)},
		{"isempty", []tables.Value{D("{}")}, B(false)},
		{"isempty", []tables.Value{D(`""`)}, B(true)},
		{"isempty", []tables.Value{N(tables.Long)}, B(true)},
		{"isnotempty", []tables.Value{S("")}, B(false)},
		{"isnotempty", []tables.Value{S("x")}, B(true)},
		{"notempty", []tables.Value{L(0)}, B(true)},
		{"not", []tables.Value{B(true)}, B(false)},
		{"not", []tables.Value{N(tables.Bool)}, N(tables.Bool)},
		{"max_of", []tables.Value{L(10), L(1), L(-3), L(17)}, L(17)},
		{"min_of", []tables.Value{L(10), L(1), L(-3), L(17)}, L(-3)},
		{"max_of", []tables.Value{L(1), N(tables.Long), L(3)}, L(3)},
		{"max_of", []tables.Value{L(1), R(2.5)}, R(2.5)},
		{"max_of", []tables.Value{N(tables.Long), N(tables.Long)}, N(tables.Long)},
		{"min_of", []tables.Value{S("b"), S("a")}, S("a")},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, call(t, c.name, c.args...), "%s%v", c.name, c.args)
	}
	assert.Equal(t, DT(t, "2020-01-01"), call(t, "max_of", DT(t, "2019-01-01"), DT(t, "2020-01-01")))
	assert.Error(t, compileErr("case", B(true), S("a"), B(false), S("b")))
}
