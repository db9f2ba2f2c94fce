package functions

import (
	"fmt"

	"github.com/kql-offline/kql/tables"
)

func init() {
	Register(&Func{
		Name: "iff", Aliases: []string{"iif"}, Kind: Scalar,
		Params: params(req("condition", BoolType), req("ifTrue", AnyType), req("ifFalse", AnyType)),
		Result: common(1), Compile: compileIff,
		Doc: "Returns ifTrue when condition is true, else ifFalse (a null condition is false).",
	})
	Register(&Func{
		Name: "case", Kind: Scalar,
		Params: params(req("predicate", BoolType), req("then", AnyType), many("rest", AnyType)),
		Result: caseResult, Compile: compileCase,
		Doc: "case(p1, v1, p2, v2, ..., else): the value of the first true predicate.",
	})
	Register(&Func{
		Name: "coalesce", Kind: Scalar, Params: params(many("value", AnyType)),
		Result: common(0), Compile: compileCoalesce,
		Doc: "Returns the first argument that is not null (not empty, for strings).",
	})
	scalar("isnull", params(req("value", AnyType)), Fixed(tables.Bool),
		"True when the value is null; a string is never null.",
		func(a []tables.Value) tables.Value { return tables.NewBool(a[0].IsNull()) })
	scalar("isnotnull", params(req("value", AnyType)), Fixed(tables.Bool),
		"True when the value is not null.",
		func(a []tables.Value) tables.Value { return tables.NewBool(!a[0].IsNull()) }, "notnull")
	scalar("isempty", params(req("value", AnyType)), Fixed(tables.Bool),
		"True for null and for the empty string; [] and {} are not empty.",
		func(a []tables.Value) tables.Value { return tables.NewBool(isEmpty(a[0])) })
	scalar("isnotempty", params(req("value", AnyType)), Fixed(tables.Bool),
		"True when the value is neither null nor the empty string.",
		func(a []tables.Value) tables.Value { return tables.NewBool(!isEmpty(a[0])) }, "notempty")
	scalar("not", params(req("value", BoolType)), Fixed(tables.Bool),
		"Logical negation; not(null) is null.",
		func(a []tables.Value) tables.Value {
			b, ok := toB(a[0])
			if !ok {
				return tables.Null(tables.Bool)
			}
			return tables.NewBool(!b)
		})
	Register(&Func{
		Name: "max_of", Kind: Scalar, Params: params(many("value", Ordered)),
		Result: common(0), Compile: compileExtreme(1),
		Doc: "Returns the largest argument, ignoring nulls.",
	})
	Register(&Func{
		Name: "min_of", Kind: Scalar, Params: params(many("value", Ordered)),
		Result: common(0), Compile: compileExtreme(-1),
		Doc: "Returns the smallest argument, ignoring nulls.",
	})
}

// isEmpty is isempty(): null, "", or a dynamic empty string.
func isEmpty(v tables.Value) bool {
	if v.IsNull() {
		return true
	}
	switch v.Type() {
	case tables.String:
		return v.Str() == ""
	case tables.Dynamic:
		s, ok := v.DynString()
		return ok && s == ""
	}
	return false
}

// fit converts v to the call's result type t when they differ (an int
// branch of an iff whose other branch is real).
func fit(v tables.Value, t tables.Type) tables.Value {
	if v.Type() == t || t == tables.Unknown {
		return v
	}
	return tables.Convert(v, t)
}

func compileIff(c *Call) (Impl, error) {
	t := common(1)(c.Types)
	return func(a []tables.Value) tables.Value {
		if truthy(a[0]) {
			return fit(a[1], t)
		}
		return fit(a[2], t)
	}, nil
}

func caseResult(args []tables.Type) tables.Type {
	t := tables.Unknown
	for i := 1; i < len(args); i += 2 {
		t = widen(t, args[i])
	}
	if len(args)%2 == 1 {
		t = widen(t, args[len(args)-1])
	}
	if t == tables.Unknown {
		return tables.Dynamic
	}
	return t
}

func compileCase(c *Call) (Impl, error) {
	if len(c.Types)%2 == 0 {
		return nil, fmt.Errorf("case() needs pairs of predicate and value followed by an else value")
	}
	t := caseResult(c.Types)
	return func(a []tables.Value) tables.Value {
		last := len(a) - 1
		for i := 0; i < last; i += 2 {
			if truthy(a[i]) {
				return fit(a[i+1], t)
			}
		}
		return fit(a[last], t)
	}, nil
}

func compileCoalesce(c *Call) (Impl, error) {
	if len(c.Types) > 64 {
		return nil, fmt.Errorf("coalesce() takes at most 64 arguments")
	}
	t := common(0)(c.Types)
	return func(a []tables.Value) tables.Value {
		for _, v := range a {
			if !v.IsNull() && !(v.Type() == tables.String && v.Str() == "") {
				return fit(v, t)
			}
		}
		return tables.Null(t)
	}, nil
}

// compileExtreme builds max_of (sign 1) or min_of (sign -1).
func compileExtreme(sign int) func(*Call) (Impl, error) {
	return func(c *Call) (Impl, error) {
		t := common(0)(c.Types)
		return func(a []tables.Value) tables.Value {
			best := tables.Null(t)
			found := false
			for _, v := range a {
				if v.IsNull() {
					continue
				}
				v = fit(v, t)
				if v.IsNull() {
					continue
				}
				if !found || compareValues(v, best)*sign > 0 {
					best, found = v, true
				}
			}
			return best
		}, nil
	}
}
