package engine

import (
	"math"
	"regexp"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

var (
	vTrue    = tables.NewBool(true)
	vFalse   = tables.NewBool(false)
	vNullB   = tables.Null(tables.Bool)
	vNullDyn = tables.Null(tables.Dynamic)
)

func boolVal(b bool) tables.Value {
	if b {
		return vTrue
	}
	return vFalse
}

// binary binds X op Y.
func (b *binder) binary(e *parser.BinaryExpr, sch tables.Schema) *expr {
	x, y := b.scalar(e.X, sch), b.scalar(e.Y, sch)
	if e.Op == "<>" {
		// <> is KQL's older spelling of !=.
		e = &parser.BinaryExpr{Span: e.Span, Op: "!=", OpSpan: e.OpSpan, X: e.X, Y: e.Y}
	}
	var out *expr
	switch e.Op {
	case "and", "or":
		out = b.logic(e, x, y)
	case "==", "!=", "<", "<=", ">", ">=":
		out = b.comparison(e, x, y)
	case "+", "-", "*", "/", "%":
		out = b.arith(e, x, y)
	case "matches regex":
		out = b.regexMatch(e, x, y)
	default:
		fn, ok := functions.StringOp(e.Op)
		if !ok {
			b.errorf(parser.PhaseUnsupported, opNode(e), "operator '%s' is not supported", e.Op)
			return bad()
		}
		out = stringOp(fn, x, y)
	}
	out.needs = b.binaryNeeds(e, x, y)
	return fold(out, x, y)
}

// binaryNeeds is what a binary bool expression's being true implies
// (prefilter.go): both sides' needs for and; for tostring(path) == or =~ a
// constant string, that the path gives that string.
func (b *binder) binaryNeeds(e *parser.BinaryExpr, x, y *expr) []*textNeed {
	switch e.Op {
	case "and":
		return append(append([]*textNeed(nil), x.needs...), y.needs...)
	case "==", "=~":
		if e.Op == "==" && (x.typ != tables.String || y.typ != tables.String) {
			return nil
		}
		if y.konst != nil {
			return b.needOf(e.X, []tables.Value{*y.konst}, e.Op == "=~")
		}
		if x.konst != nil {
			return b.needOf(e.Y, []tables.Value{*x.konst}, e.Op == "=~")
		}
	}
	return nil
}

// opNode returns a node spanning just the operator of e, for errors.
func opNode(e *parser.BinaryExpr) parser.Node {
	if e.OpSpan.End > e.OpSpan.Start {
		return e.OpSpan
	}
	return e
}

// two compiles both operands of a binary expression.
func two(rc *runCtx, in *tables.Table, x, y *expr) (rowFn, rowFn, error) {
	xf, err := x.compile(rc, in)
	if err != nil {
		return nil, nil, err
	}
	yf, err := y.compile(rc, in)
	return xf, yf, err
}

// binop builds an expression from a function of the two operand values.
func binop(t tables.Type, x, y *expr, op func(a, b tables.Value) tables.Value) *expr {
	return &expr{typ: t, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		xf, yf, err := two(rc, in, x, y)
		if err != nil {
			return nil, err
		}
		return func(i int) tables.Value { return op(xf(i), yf(i)) }, nil
	}}
}

// logic binds and/or with three-valued logic: false and null is false,
// true or null is true, anything else with a null is null.
func (b *binder) logic(e *parser.BinaryExpr, x, y *expr) *expr {
	for _, z := range []*expr{x, y} {
		if z.typ != tables.Bool && z.typ != tables.Dynamic && z.typ != tables.Unknown {
			b.errorf(parser.PhaseType, e, "'%s' needs bool operands, not %s", e.Op, z.typ)
			return bad()
		}
	}
	isAnd := e.Op == "and"
	return &expr{typ: tables.Bool, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		xf, yf, err := two(rc, in, x, y)
		if err != nil {
			return nil, err
		}
		return func(i int) tables.Value {
			a := asBool(xf(i))
			if !a.IsNull() && a.Bool() != isAnd {
				return a // false and ..., true or ...: no need for y
			}
			c := asBool(yf(i))
			switch {
			case !c.IsNull() && c.Bool() != isAnd:
				return c
			case a.IsNull() || c.IsNull():
				return vNullB
			}
			return boolVal(isAnd)
		}, nil
	}}
}

// asBool reads a bool, converting a dynamic one.
func asBool(v tables.Value) tables.Value {
	if v.Type() == tables.Bool {
		return v
	}
	return tables.Convert(v, tables.Bool)
}

// comparison binds == != < <= > >=. One null operand makes == false and !=
// true; two nulls give null (SEMANTICS.md §13); ordering with a null is null.
func (b *binder) comparison(e *parser.BinaryExpr, x, y *expr) *expr {
	x, y = convertStringSide(x, y)
	if !comparable(x.typ, y.typ) {
		b.errorf(parser.PhaseType, opNode(e), "cannot compare %s with %s", x.typ, y.typ)
		return bad()
	}
	if x.typ == tables.String && y.typ == tables.String {
		return stringCompare(e.Op, x, y)
	}
	switch e.Op {
	case "==", "!=":
		want := e.Op == "=="
		return binop(tables.Bool, x, y, func(a, c tables.Value) tables.Value {
			eq, null := equal(a, c)
			switch {
			case null && a.IsNull() && c.IsNull():
				return vNullB
			case null:
				return boolVal(!want)
			}
			return boolVal(eq == want)
		})
	}
	test := orderTest(e.Op)
	return binop(tables.Bool, x, y, func(a, c tables.Value) tables.Value {
		if a.IsNull() || c.IsNull() {
			return vNullB
		}
		r, ok := compare(a, c)
		if !ok {
			return vNullB
		}
		return boolVal(test(r))
	})
}

func orderTest(op string) func(int) bool {
	switch op {
	case "<":
		return func(r int) bool { return r < 0 }
	case "<=":
		return func(r int) bool { return r <= 0 }
	case ">":
		return func(r int) bool { return r > 0 }
	}
	return func(r int) bool { return r >= 0 }
}

// stringCompare is the fast path for two string operands: no nulls, no
// conversions.
func stringCompare(op string, x, y *expr) *expr {
	var test func(a, c string) bool
	switch op {
	case "==":
		test = func(a, c string) bool { return a == c }
	case "!=":
		test = func(a, c string) bool { return a != c }
	case "<":
		test = func(a, c string) bool { return a < c }
	case "<=":
		test = func(a, c string) bool { return a <= c }
	case ">":
		test = func(a, c string) bool { return a > c }
	default:
		test = func(a, c string) bool { return a >= c }
	}
	return binop(tables.Bool, x, y, func(a, c tables.Value) tables.Value {
		return boolVal(test(a.Str(), c.Str()))
	})
}

// convertStringSide handles a string compared with a number or a bool
// (SigninLogs' string ResultType == 0, EventID == "4624", a bool ==
// "true"): the string is converted to the other operand's type, as
// tolong/toreal/tobool would, and one that does not convert is null, so
// == is false and != true. Kusto accepts these comparisons (its analyser
// reports no error, and Microsoft's own hunting queries rely on them) but
// documents no rule; converting the string keeps < and > numeric, where
// comparing text would put "9" after "50000".
func convertStringSide(x, y *expr) (*expr, *expr) {
	target := func(t tables.Type) bool { return t.IsNumeric() || t == tables.Bool }
	switch {
	case x.typ == tables.String && target(y.typ):
		return convertExpr(x, y.typ), y
	case y.typ == tables.String && target(x.typ):
		return x, convertExpr(y, x.typ)
	}
	return x, y
}

// convertExpr returns x with each value converted to t (at bind time when
// x is a constant).
func convertExpr(x *expr, t tables.Type) *expr {
	if x.konst != nil {
		return konst(tables.Convert(*x.konst, t))
	}
	return &expr{typ: t, name: x.name, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		f, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		return func(i int) tables.Value { return tables.Convert(f(i), t) }, nil
	}}
}

// comparable reports whether values of the two static types may be compared.
func comparable(a, b tables.Type) bool {
	if a == tables.Dynamic || b == tables.Dynamic || a == tables.Unknown || b == tables.Unknown {
		return true
	}
	ca, cb := classOf(a), classOf(b)
	if (ca == clsGUID && cb == clsString) || (ca == clsString && cb == clsGUID) {
		return true
	}
	if (ca == clsBool && cb == clsNum) || (ca == clsNum && cb == clsBool) {
		// IsBlocked == 0: Kusto compares a bool with a number as 0 or 1.
		return true
	}
	return ca == cb
}

// stringOp binds the string operators (has, contains, =~, ...), which apply
// to the string form of any operand.
func stringOp(fn func(l, r string) bool, x, y *expr) *expr {
	return binop(tables.Bool, x, y, func(a, c tables.Value) tables.Value {
		return boolVal(fn(a.String(), c.String()))
	})
}

// regexMatch binds X matches regex Y; a constant pattern is compiled once.
func (b *binder) regexMatch(e *parser.BinaryExpr, x, y *expr) *expr {
	if y.konst == nil {
		return binop(tables.Bool, x, y, func(a, c tables.Value) tables.Value {
			re, err := functions.Regex(c.String())
			if err != nil {
				return vNullB
			}
			return boolVal(re.MatchString(a.String()))
		})
	}
	re, err := functions.Regex(y.konst.String())
	if err != nil {
		b.errorf(parser.PhaseType, e.Y, "invalid regular expression: %v", err)
		return bad()
	}
	return matchWith(re, x)
}

func matchWith(re *regexp.Regexp, x *expr) *expr {
	return &expr{typ: tables.Bool, build: func(rc *runCtx, in *tables.Table) (rowFn, error) {
		xf, err := x.compile(rc, in)
		if err != nil {
			return nil, err
		}
		return func(i int) tables.Value { return boolVal(re.MatchString(xf(i).String())) }, nil
	}}
}

// unary binds -X and +X.
func (b *binder) unary(e *parser.UnaryExpr, sch tables.Schema) *expr {
	x := b.scalar(e.X, sch)
	if e.Op == "+" {
		return x
	}
	if !x.typ.IsNumeric() && x.typ != tables.Timespan && x.typ != tables.Dynamic && x.typ != tables.Unknown {
		b.errorf(parser.PhaseType, e, "cannot negate a %s", x.typ)
		return bad()
	}
	zero := konst(tables.NewLong(0))
	if x.typ == tables.Timespan {
		zero = konst(tables.NewTimespan(0))
	}
	return fold(b.arithOf(e, "-", zero, x), x)
}

// arith binds + - * / %.
func (b *binder) arith(e *parser.BinaryExpr, x, y *expr) *expr {
	return b.arithOf(opNode(e), e.Op, x, y)
}

func (b *binder) arithOf(at parser.Node, op string, x, y *expr) *expr {
	t, ok := arithType(op, x.typ, y.typ)
	if !ok {
		b.errorf(parser.PhaseType, at, "operator '%s' cannot be applied to %s and %s", op, x.typ, y.typ)
		return bad()
	}
	return binop(t, x, y, func(a, c tables.Value) tables.Value {
		return arithValue(op, t, a, c)
	})
}

// arithType works out the result type of an arithmetic operator, following
// Kusto: int op int is int, long wins over int, real over both; datetime -
// datetime is a timespan; datetime ± timespan a datetime; timespan scales by
// numbers.
func arithType(op string, a, b tables.Type) (tables.Type, bool) {
	switch {
	case a == tables.Dynamic || b == tables.Dynamic || a == tables.Unknown || b == tables.Unknown:
		return tables.Dynamic, true
	case a.IsNumeric() && b.IsNumeric():
		return numResult(a, b), true
	case a == tables.DateTime && b == tables.DateTime && op == "-":
		return tables.Timespan, true
	case a == tables.DateTime && b == tables.Timespan && (op == "+" || op == "-"):
		return tables.DateTime, true
	case a == tables.Timespan && b == tables.DateTime && op == "+":
		return tables.DateTime, true
	case a == tables.Timespan && b == tables.Timespan:
		if op == "/" {
			return tables.Real, true
		}
		return tables.Timespan, op != "*"
	case a == tables.Timespan && b.IsNumeric() && (op == "*" || op == "/"):
		return tables.Timespan, true
	case a.IsNumeric() && b == tables.Timespan && op == "*":
		return tables.Timespan, true
	}
	return tables.Unknown, false
}

func numResult(a, b tables.Type) tables.Type {
	switch {
	case a == tables.Real || b == tables.Real:
		return tables.Real
	case a == tables.Decimal || b == tables.Decimal:
		return tables.Decimal
	case a == tables.Long || b == tables.Long:
		return tables.Long
	}
	return tables.Int
}

// arithValue computes one arithmetic result of static type t.
func arithValue(op string, t tables.Type, a, c tables.Value) tables.Value {
	if a.IsNull() || c.IsNull() {
		return tables.Null(t)
	}
	if t == tables.Dynamic {
		return dynArith(op, a, c)
	}
	switch t {
	case tables.Real, tables.Decimal:
		x, _ := toFloat(a)
		y, _ := toFloat(c)
		return realOp(op, t, x, y)
	case tables.Timespan, tables.DateTime:
		return timeOp(op, t, a, c)
	}
	return intOp(op, t, a.Int64(), c.Int64())
}

func toFloat(v tables.Value) (float64, bool) {
	switch v.Type() {
	case tables.DateTime, tables.Timespan:
		return float64(v.Int64()), true
	}
	return v.AsFloat()
}

func realOp(op string, t tables.Type, x, y float64) tables.Value {
	var r float64
	switch op {
	case "+":
		r = x + y
	case "-":
		r = x - y
	case "*":
		r = x * y
	case "/":
		r = x / y
	case "%":
		r = math.Mod(x, y)
	}
	if t == tables.Decimal {
		return tables.NewDecimal(r)
	}
	return tables.NewReal(r)
}

// intOp does integer arithmetic with Go's wrap-around on overflow. Division
// or modulo by zero gives null.
func intOp(op string, t tables.Type, x, y int64) tables.Value {
	var r int64
	switch op {
	case "+":
		r = x + y
	case "-":
		r = x - y
	case "*":
		r = x * y
	case "/", "%":
		if y == 0 {
			return tables.Null(t)
		}
		if op == "/" {
			r = x / y
		} else {
			// Kusto's modulo is never negative: -14 % 12 is 10.
			m := y
			if m < 0 {
				m = -m
			}
			r = (x%m + m) % m
		}
	}
	if t == tables.Int {
		return tables.NewInt(r)
	}
	return tables.NewLong(r)
}

// timeOp does datetime and timespan arithmetic in ticks.
func timeOp(op string, t tables.Type, a, c tables.Value) tables.Value {
	x, y := a.Int64(), c.Int64()
	switch {
	case a.Type().IsNumeric():
		f, _ := a.AsFloat()
		return tables.NewTimespan(int64(f * float64(y)))
	case c.Type().IsNumeric():
		f, _ := c.AsFloat()
		if op == "*" {
			return tables.NewTimespan(int64(float64(x) * f))
		}
		if f == 0 {
			return tables.Null(t)
		}
		return tables.NewTimespan(int64(float64(x) / f))
	}
	var r int64
	switch op {
	case "+":
		r = x + y
	case "-":
		r = x - y
	case "%":
		if y == 0 {
			return tables.Null(t)
		}
		r = x % y
	}
	if t == tables.DateTime {
		return tables.NewDateTime(r)
	}
	return tables.NewTimespan(r)
}

// dynArith does arithmetic on dynamic operands by their run-time kinds; the
// result is dynamic.
func dynArith(op string, a, c tables.Value) tables.Value {
	a, c = undyn(a), undyn(c)
	t, ok := arithType(op, a.Type(), c.Type())
	if !ok || t == tables.Dynamic {
		return vNullDyn
	}
	return tables.Convert(arithValue(op, t, a, c), tables.Dynamic)
}

// undyn turns a dynamic scalar into the typed value it holds.
func undyn(v tables.Value) tables.Value {
	if v.Type() != tables.Dynamic {
		return v
	}
	switch v.DynKind() {
	case tables.DynLong:
		return tables.Convert(v, tables.Long)
	case tables.DynReal:
		return tables.Convert(v, tables.Real)
	case tables.DynBool:
		return tables.Convert(v, tables.Bool)
	case tables.DynString:
		return tables.NewString(v.String())
	}
	return tables.Null(tables.Dynamic)
}
