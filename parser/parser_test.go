package parser

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Helpers that keep the expected trees readable.

func sp(start, end int) Span { return Span{start, end} }

func id(start, end int, name string) *Ident { return &Ident{Span: sp(start, end), Name: name} }

func brid(start, end int, name string) *Ident {
	return &Ident{Span: sp(start, end), Name: name, Bracketed: true}
}

func lit(start, end int, kind LitKind, text string) *Literal {
	return &Literal{Span: sp(start, end), Kind: kind, Text: text}
}

func null(start, end int, kind LitKind) *Literal {
	return &Literal{Span: sp(start, end), Kind: kind, Null: true}
}

// stripSpans zeroes every Span in the tree (in place), so that different
// spellings of one query can be compared.
func stripSpans(v any) any {
	strip(reflect.ValueOf(v))
	return v
}

func strip(rv reflect.Value) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !rv.IsNil() {
			strip(rv.Elem())
		}
	case reflect.Slice:
		for i := 0; i < rv.Len(); i++ {
			strip(rv.Index(i))
		}
	case reflect.Struct:
		if rv.Type() == reflect.TypeOf(Span{}) {
			rv.Set(reflect.Zero(rv.Type()))
			return
		}
		for i := 0; i < rv.NumField(); i++ {
			strip(rv.Field(i))
		}
	}
}

// parseCases holds each construct with one or more spellings. The first
// spelling's tree is compared with spans; every spelling must give the same
// tree once spans are removed.
var parseCases = []struct {
	name string
	srcs []string
	want []Stmt
}{
	{name: "where", srcs: []string{"T | where x == 1", "T|where x==1", "T\n| filter x == 1 // keep ones"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 16), X: &PipeExpr{Span: sp(0, 16), Source: id(0, 1, "T"), Ops: []Operator{&WhereOp{Span: sp(4, 16), Pred: &BinaryExpr{Span: sp(10, 16), Op: "==", OpSpan: sp(12, 14), X: id(10, 11, "x"), Y: lit(15, 16, LitLong, "1")}}}}},
		}},
	{name: "precedence", srcs: []string{"print a or b and c == d + e * -f", "print a  or b and c==d+e*-f"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 32), X: &PrintExpr{Span: sp(0, 32), Cols: []Expr{&BinaryExpr{Span: sp(6, 32), Op: "or", OpSpan: sp(8, 10), X: id(6, 7, "a"), Y: &BinaryExpr{Span: sp(11, 32), Op: "and", OpSpan: sp(13, 16), X: id(11, 12, "b"), Y: &BinaryExpr{Span: sp(17, 32), Op: "==", OpSpan: sp(19, 21), X: id(17, 18, "c"), Y: &BinaryExpr{Span: sp(22, 32), Op: "+", OpSpan: sp(24, 25), X: id(22, 23, "d"), Y: &BinaryExpr{Span: sp(26, 32), Op: "*", OpSpan: sp(28, 29), X: id(26, 27, "e"), Y: &UnaryExpr{Span: sp(30, 32), Op: "-", X: id(31, 32, "f")}}}}}}}}},
		}},
	{name: "compare_chain", srcs: []string{"print a + b - c * d / e % f"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 27), X: &PrintExpr{Span: sp(0, 27), Cols: []Expr{&BinaryExpr{Span: sp(6, 27), Op: "-", OpSpan: sp(12, 13), X: &BinaryExpr{Span: sp(6, 11), Op: "+", OpSpan: sp(8, 9), X: id(6, 7, "a"), Y: id(10, 11, "b")}, Y: &BinaryExpr{Span: sp(14, 27), Op: "%", OpSpan: sp(24, 25), X: &BinaryExpr{Span: sp(14, 23), Op: "/", OpSpan: sp(20, 21), X: &BinaryExpr{Span: sp(14, 19), Op: "*", OpSpan: sp(16, 17), X: id(14, 15, "c"), Y: id(18, 19, "d")}, Y: id(22, 23, "e")}, Y: id(26, 27, "f")}}}}},
		}},
	{name: "string_ops", srcs: []string{"T | where a has \"x\" and b !contains_cs \"y\" or c matches regex \"z+\" and d startswith_cs \"p\" and e !hassuffix \"q\""},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 111), X: &PipeExpr{Span: sp(0, 111), Source: id(0, 1, "T"), Ops: []Operator{&WhereOp{Span: sp(4, 111), Pred: &BinaryExpr{Span: sp(10, 111), Op: "or", OpSpan: sp(43, 45), X: &BinaryExpr{Span: sp(10, 42), Op: "and", OpSpan: sp(20, 23), X: &BinaryExpr{Span: sp(10, 19), Op: "has", OpSpan: sp(12, 15), X: id(10, 11, "a"), Y: lit(16, 19, LitString, "x")}, Y: &BinaryExpr{Span: sp(24, 42), Op: "!contains_cs", OpSpan: sp(26, 38), X: id(24, 25, "b"), Y: lit(39, 42, LitString, "y")}}, Y: &BinaryExpr{Span: sp(46, 111), Op: "and", OpSpan: sp(91, 94), X: &BinaryExpr{Span: sp(46, 90), Op: "and", OpSpan: sp(67, 70), X: &BinaryExpr{Span: sp(46, 66), Op: "matches regex", OpSpan: sp(48, 61), X: id(46, 47, "c"), Y: lit(62, 66, LitString, "z+")}, Y: &BinaryExpr{Span: sp(71, 90), Op: "startswith_cs", OpSpan: sp(73, 86), X: id(71, 72, "d"), Y: lit(87, 90, LitString, "p")}}, Y: &BinaryExpr{Span: sp(95, 111), Op: "!hassuffix", OpSpan: sp(97, 107), X: id(95, 96, "e"), Y: lit(108, 111, LitString, "q")}}}}}}},
		}},
	{name: "in_forms", srcs: []string{"T | where x in (\"a\", \"b\") and y !in~ (arr) and z in~ (U | project c) and w has_any (\"p\", \"q\")", "T | where x in (\"a\",\"b\") and y !in~ (arr) and z in~ (U|project c) and w has_any (\"p\",\"q\")"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 93), X: &PipeExpr{Span: sp(0, 93), Source: id(0, 1, "T"), Ops: []Operator{&WhereOp{Span: sp(4, 93), Pred: &BinaryExpr{Span: sp(10, 93), Op: "and", OpSpan: sp(69, 72), X: &BinaryExpr{Span: sp(10, 68), Op: "and", OpSpan: sp(43, 46), X: &BinaryExpr{Span: sp(10, 42), Op: "and", OpSpan: sp(26, 29), X: &InExpr{Span: sp(10, 25), Op: "in", OpSpan: sp(12, 14), X: id(10, 11, "x"), List: []Expr{lit(16, 19, LitString, "a"), lit(21, 24, LitString, "b")}}, Y: &InExpr{Span: sp(30, 42), Op: "!in~", OpSpan: sp(32, 36), X: id(30, 31, "y"), List: []Expr{id(38, 41, "arr")}}}, Y: &InExpr{Span: sp(47, 68), Op: "in~", OpSpan: sp(49, 52), X: id(47, 48, "z"), List: []Expr{&PipeExpr{Span: sp(54, 67), Source: id(54, 55, "U"), Ops: []Operator{&ProjectOp{Span: sp(58, 67), Cols: []Expr{id(66, 67, "c")}}}}}}}, Y: &InExpr{Span: sp(73, 93), Op: "has_any", OpSpan: sp(75, 82), X: id(73, 74, "w"), List: []Expr{lit(84, 87, LitString, "p"), lit(89, 92, LitString, "q")}}}}}}},
		}},
	{name: "between", srcs: []string{"T | where t between (1 .. 10) and u !between(ago(1d)..now())"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 60), X: &PipeExpr{Span: sp(0, 60), Source: id(0, 1, "T"), Ops: []Operator{&WhereOp{Span: sp(4, 60), Pred: &BinaryExpr{Span: sp(10, 60), Op: "and", OpSpan: sp(30, 33), X: &BetweenExpr{Span: sp(10, 29), X: id(10, 11, "t"), Lo: lit(21, 22, LitLong, "1"), Hi: lit(26, 28, LitLong, "10")}, Y: &BetweenExpr{Span: sp(34, 60), X: id(34, 35, "u"), Lo: &CallExpr{Span: sp(45, 52), Fun: id(45, 48, "ago"), Args: []Expr{lit(49, 51, LitTimespan, "1d")}}, Hi: &CallExpr{Span: sp(54, 59), Fun: id(54, 57, "now")}, Not: true}}}}}},
		}},
	{name: "strings", srcs: []string{"print \"a\\\"b\\n\", 'c\\'d', @\"e\\f\", @'g''h', h\"secret\", H@'x', \"a\" 'b' @\"c\""},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 71), X: &PrintExpr{Span: sp(0, 71), Cols: []Expr{lit(6, 14, LitString, "a\"b\n"), lit(16, 22, LitString, "c'd"), lit(24, 30, LitString, "e\\f"), lit(32, 39, LitString, "g'h"), lit(41, 50, LitString, "secret"), lit(52, 57, LitString, "x"), lit(59, 71, LitString, "abc")}}},
		}},
	{name: "multiline", srcs: []string{"print ```line1\nline2```"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 23), X: &PrintExpr{Span: sp(0, 23), Cols: []Expr{lit(6, 23, LitString, "line1\nline2")}}},
		}},
	{name: "numbers", srcs: []string{"print 42, 1.5, 1e3, 0x1F, 1., 2.5e-3"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 36), X: &PrintExpr{Span: sp(0, 36), Cols: []Expr{lit(6, 8, LitLong, "42"), lit(10, 13, LitReal, "1.5"), lit(15, 18, LitReal, "1e3"), lit(20, 24, LitLong, "0x1F"), lit(26, 28, LitReal, "1."), lit(30, 36, LitReal, "2.5e-3")}}},
		}},
	{name: "bools", srcs: []string{"print true, False, TRUE"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 23), X: &PrintExpr{Span: sp(0, 23), Cols: []Expr{lit(6, 10, LitBool, "true"), lit(12, 17, LitBool, "false"), lit(19, 23, LitBool, "true")}}},
		}},
	{name: "datetimes", srcs: []string{"print datetime(2024-01-01 10:00:00), datetime(null), timespan(1.02:03:04), guid(74be27de-1e4e-49d9-b579-fe0b331d3642)"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 117), X: &PrintExpr{Span: sp(0, 117), Cols: []Expr{lit(6, 35, LitDateTime, "2024-01-01 10:00:00"), null(37, 51, LitDateTime), lit(53, 73, LitTimespan, "1.02:03:04"), lit(75, 117, LitGUID, "74be27de-1e4e-49d9-b579-fe0b331d3642")}}},
		}},
	{name: "timespans", srcs: []string{"print 1d, 2h, 30m, 10s, 100ms, 1.5h, 10tick, 1microsecond"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 57), X: &PrintExpr{Span: sp(0, 57), Cols: []Expr{lit(6, 8, LitTimespan, "1d"), lit(10, 12, LitTimespan, "2h"), lit(14, 17, LitTimespan, "30m"), lit(19, 22, LitTimespan, "10s"), lit(24, 29, LitTimespan, "100ms"), lit(31, 35, LitTimespan, "1.5h"), lit(37, 43, LitTimespan, "10tick"), lit(45, 57, LitTimespan, "1microsecond")}}},
		}},
	{name: "typed_literals", srcs: []string{"print int(null), long(5), real(1.5), bool(true), string(null), long(-1), real(nan), decimal(1.25)"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 97), X: &PrintExpr{Span: sp(0, 97), Cols: []Expr{null(6, 15, LitInt), lit(17, 24, LitLong, "5"), lit(26, 35, LitReal, "1.5"), lit(37, 47, LitBool, "true"), null(49, 61, LitString), lit(63, 71, LitLong, "-1"), lit(73, 82, LitReal, "nan"), lit(84, 97, LitDecimal, "1.25")}}},
		}},
	{name: "dynamic", srcs: []string{"print dynamic([\"a\", 1, -2.5, null, true, {\"k\": [1, 2]}, datetime(2024-01-01), long(5)]), dynamic({}), dynamic(null)", "print dynamic([ \"a\" , 1 , -2.5 , null , true , { \"k\" : [ 1 , 2 ] } , datetime(2024-01-01) , long(5) ]) , dynamic({ }) , dynamic( null )"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 115), X: &PrintExpr{Span: sp(0, 115), Cols: []Expr{&DynamicLit{Span: sp(6, 87), Value: &ArrayLit{Span: sp(14, 86), Elems: []Expr{lit(15, 18, LitString, "a"), lit(20, 21, LitLong, "1"), lit(23, 27, LitReal, "-2.5"), lit(29, 33, LitNull, ""), lit(35, 39, LitBool, "true"), &BagLit{Span: sp(41, 54), Keys: []string{"k"}, Values: []Expr{&ArrayLit{Span: sp(47, 53), Elems: []Expr{lit(48, 49, LitLong, "1"), lit(51, 52, LitLong, "2")}}}}, lit(56, 76, LitDateTime, "2024-01-01"), lit(78, 85, LitLong, "5")}}}, &DynamicLit{Span: sp(89, 100), Value: &BagLit{Span: sp(97, 99)}}, &DynamicLit{Span: sp(102, 115), Value: lit(110, 114, LitNull, "")}}}},
		}},
	{name: "members", srcs: []string{"print a.b, a['b'], a.['b'], a[0], a[-1], a.b.c[1].d, $left.x"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 60), X: &PrintExpr{Span: sp(0, 60), Cols: []Expr{&MemberExpr{Span: sp(6, 9), X: id(6, 7, "a"), Name: id(8, 9, "b")}, &IndexExpr{Span: sp(11, 17), X: id(11, 12, "a"), Index: lit(13, 16, LitString, "b")}, &MemberExpr{Span: sp(19, 26), X: id(19, 20, "a"), Name: brid(21, 26, "b")}, &IndexExpr{Span: sp(28, 32), X: id(28, 29, "a"), Index: lit(30, 31, LitLong, "0")}, &IndexExpr{Span: sp(34, 39), X: id(34, 35, "a"), Index: &UnaryExpr{Span: sp(36, 38), Op: "-", X: lit(37, 38, LitLong, "1")}}, &MemberExpr{Span: sp(41, 51), X: &IndexExpr{Span: sp(41, 49), X: &MemberExpr{Span: sp(41, 46), X: &MemberExpr{Span: sp(41, 44), X: id(41, 42, "a"), Name: id(43, 44, "b")}, Name: id(45, 46, "c")}, Index: lit(47, 48, LitLong, "1")}, Name: id(50, 51, "d")}, &MemberExpr{Span: sp(53, 60), X: id(53, 58, "$left"), Name: id(59, 60, "x")}}}},
		}},
	{name: "calls", srcs: []string{"T | summarize arg_max(Timestamp, *), count(), c = count(*), f(x, name = y) by bin(Timestamp, 1h)", "T|summarize arg_max(Timestamp,*),count(),c=count(*),f(x,name=y) by bin(Timestamp,1h)"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 96), X: &PipeExpr{Span: sp(0, 96), Source: id(0, 1, "T"), Ops: []Operator{&SummarizeOp{Span: sp(4, 96), Aggs: []Expr{&CallExpr{Span: sp(14, 35), Fun: id(14, 21, "arg_max"), Args: []Expr{id(22, 31, "Timestamp"), &StarExpr{Span: sp(33, 34)}}}, &CallExpr{Span: sp(37, 44), Fun: id(37, 42, "count")}, &NamedExpr{Span: sp(46, 58), Names: []*Ident{id(46, 47, "c")}, Value: &CallExpr{Span: sp(50, 58), Fun: id(50, 55, "count"), Args: []Expr{&StarExpr{Span: sp(56, 57)}}}}, &CallExpr{Span: sp(60, 74), Fun: id(60, 61, "f"), Args: []Expr{id(62, 63, "x"), &NamedExpr{Span: sp(65, 73), Names: []*Ident{id(65, 69, "name")}, Value: id(72, 73, "y")}}}}, By: []Expr{&CallExpr{Span: sp(78, 96), Fun: id(78, 81, "bin"), Args: []Expr{id(82, 91, "Timestamp"), lit(93, 95, LitTimespan, "1h")}}}}}}},
		}},
	{name: "not_call", srcs: []string{"T | where not(x) and isnotempty(y)"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 34), X: &PipeExpr{Span: sp(0, 34), Source: id(0, 1, "T"), Ops: []Operator{&WhereOp{Span: sp(4, 34), Pred: &BinaryExpr{Span: sp(10, 34), Op: "and", OpSpan: sp(17, 20), X: &CallExpr{Span: sp(10, 16), Fun: id(10, 13, "not"), Args: []Expr{id(14, 15, "x")}}, Y: &CallExpr{Span: sp(21, 34), Fun: id(21, 31, "isnotempty"), Args: []Expr{id(32, 33, "y")}}}}}}},
		}},
	{name: "keywords_as_names", srcs: []string{"T | extend source = 1, kind = type, count = title | project source, kind"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 72), X: &PipeExpr{Span: sp(0, 72), Source: id(0, 1, "T"), Ops: []Operator{&ExtendOp{Span: sp(4, 49), Cols: []Expr{&NamedExpr{Span: sp(11, 21), Names: []*Ident{id(11, 17, "source")}, Value: lit(20, 21, LitLong, "1")}, &NamedExpr{Span: sp(23, 34), Names: []*Ident{id(23, 27, "kind")}, Value: id(30, 34, "type")}, &NamedExpr{Span: sp(36, 49), Names: []*Ident{id(36, 41, "count")}, Value: id(44, 49, "title")}}}, &ProjectOp{Span: sp(52, 72), Cols: []Expr{id(60, 66, "source"), id(68, 72, "kind")}}}}},
		}},
	{name: "bracketed", srcs: []string{"T | project ['col with space'], [\"x\"] = 1"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 41), X: &PipeExpr{Span: sp(0, 41), Source: id(0, 1, "T"), Ops: []Operator{&ProjectOp{Span: sp(4, 41), Cols: []Expr{brid(12, 30, "col with space"), &NamedExpr{Span: sp(32, 41), Names: []*Ident{brid(32, 37, "x")}, Value: lit(40, 41, LitLong, "1")}}}}}},
		}},
	{name: "let_scalar", srcs: []string{"let x = 1; let s = \"a\"; T | take x"},
		want: []Stmt{
			&LetStmt{Span: sp(0, 9), Name: id(4, 5, "x"), Value: lit(8, 9, LitLong, "1")},
			&LetStmt{Span: sp(11, 22), Name: id(15, 16, "s"), Value: lit(19, 22, LitString, "a")},
			&ExprStmt{Span: sp(24, 34), X: &PipeExpr{Span: sp(24, 34), Source: id(24, 25, "T"), Ops: []Operator{&TakeOp{Span: sp(28, 34), Name: "take", Count: id(33, 34, "x")}}}},
		}},
	{name: "let_dynamic", srcs: []string{"let ops = dynamic([\"a\", // comment\n \"b\"]);\nT"},
		want: []Stmt{
			&LetStmt{Span: sp(0, 41), Name: id(4, 7, "ops"), Value: &DynamicLit{Span: sp(10, 41), Value: &ArrayLit{Span: sp(18, 40), Elems: []Expr{lit(19, 22, LitString, "a"), lit(36, 39, LitString, "b")}}}},
			&ExprStmt{Span: sp(43, 44), X: id(43, 44, "T")},
		}},
	{name: "let_tabular", srcs: []string{"let T2 = T | where x > 1;\nT2 | count;", "let T2=T|where x>1; T2|count"},
		want: []Stmt{
			&LetStmt{Span: sp(0, 24), Name: id(4, 6, "T2"), Value: &PipeExpr{Span: sp(9, 24), Source: id(9, 10, "T"), Ops: []Operator{&WhereOp{Span: sp(13, 24), Pred: &BinaryExpr{Span: sp(19, 24), Op: ">", OpSpan: sp(21, 22), X: id(19, 20, "x"), Y: lit(23, 24, LitLong, "1")}}}}},
			&ExprStmt{Span: sp(26, 36), X: &PipeExpr{Span: sp(26, 36), Source: id(26, 28, "T2"), Ops: []Operator{&CountOp{Span: sp(31, 36)}}}},
		}},
	{name: "let_function", srcs: []string{"let f = (a:long, b:string=\"x\") { a + 1 };\nprint f(1)", "let f=(a:long,b:string=\"x\"){a+1}; print f(1);"},
		want: []Stmt{
			&LetStmt{Span: sp(0, 40), Name: id(4, 5, "f"), Value: &FuncLit{Span: sp(8, 40), Params: []*Param{&Param{Span: sp(9, 15), Name: id(9, 10, "a"), Type: id(11, 15, "long")}, &Param{Span: sp(17, 29), Name: id(17, 18, "b"), Type: id(19, 25, "string"), Default: lit(26, 29, LitString, "x")}}, Body: []Stmt{&ExprStmt{Span: sp(33, 38), X: &BinaryExpr{Span: sp(33, 38), Op: "+", OpSpan: sp(35, 36), X: id(33, 34, "a"), Y: lit(37, 38, LitLong, "1")}}}}},
			&ExprStmt{Span: sp(42, 52), X: &PrintExpr{Span: sp(42, 52), Cols: []Expr{&CallExpr{Span: sp(48, 52), Fun: id(48, 49, "f"), Args: []Expr{lit(50, 51, LitLong, "1")}}}}},
		}},
	{name: "let_tabular_param", srcs: []string{"let f = (T:(*)) { T | take 1 };\nlet g = (T:(a:string, b:long)) { T };\nf(X)"},
		want: []Stmt{
			&LetStmt{Span: sp(0, 30), Name: id(4, 5, "f"), Value: &FuncLit{Span: sp(8, 30), Params: []*Param{&Param{Span: sp(9, 14), Name: id(9, 10, "T"), Tabular: true, Star: true}}, Body: []Stmt{&ExprStmt{Span: sp(18, 28), X: &PipeExpr{Span: sp(18, 28), Source: id(18, 19, "T"), Ops: []Operator{&TakeOp{Span: sp(22, 28), Name: "take", Count: lit(27, 28, LitLong, "1")}}}}}}},
			&LetStmt{Span: sp(32, 68), Name: id(36, 37, "g"), Value: &FuncLit{Span: sp(40, 68), Params: []*Param{&Param{Span: sp(41, 61), Name: id(41, 42, "T"), Tabular: true, Columns: []*ColumnDecl{&ColumnDecl{Span: sp(44, 52), Name: id(44, 45, "a"), Type: id(46, 52, "string")}, &ColumnDecl{Span: sp(54, 60), Name: id(54, 55, "b"), Type: id(56, 60, "long")}}}}, Body: []Stmt{&ExprStmt{Span: sp(65, 66), X: id(65, 66, "T")}}}},
			&ExprStmt{Span: sp(70, 74), X: &CallExpr{Span: sp(70, 74), Fun: id(70, 71, "f"), Args: []Expr{id(72, 73, "X")}}},
		}},
	{name: "let_view", srcs: []string{"let v = view () { T | take 1 };\nv"},
		want: []Stmt{
			&LetStmt{Span: sp(0, 30), Name: id(4, 5, "v"), Value: &FuncLit{Span: sp(8, 30), Body: []Stmt{&ExprStmt{Span: sp(18, 28), X: &PipeExpr{Span: sp(18, 28), Source: id(18, 19, "T"), Ops: []Operator{&TakeOp{Span: sp(22, 28), Name: "take", Count: lit(27, 28, LitLong, "1")}}}}}, View: true}},
			&ExprStmt{Span: sp(32, 33), X: id(32, 33, "v")},
		}},
	{name: "let_body_lets", srcs: []string{"let f = () { let a = 1; a * 2 };\nprint f()"},
		want: []Stmt{
			&LetStmt{Span: sp(0, 31), Name: id(4, 5, "f"), Value: &FuncLit{Span: sp(8, 31), Body: []Stmt{&LetStmt{Span: sp(13, 22), Name: id(17, 18, "a"), Value: lit(21, 22, LitLong, "1")}, &ExprStmt{Span: sp(24, 29), X: &BinaryExpr{Span: sp(24, 29), Op: "*", OpSpan: sp(26, 27), X: id(24, 25, "a"), Y: lit(28, 29, LitLong, "2")}}}}},
			&ExprStmt{Span: sp(33, 42), X: &PrintExpr{Span: sp(33, 42), Cols: []Expr{&CallExpr{Span: sp(39, 42), Fun: id(39, 40, "f")}}}},
		}},
	{name: "set_declare", srcs: []string{"set querytrace;\nset x = 5;\ndeclare query_parameters(p:string = \"x\", n:long);\nT"},
		want: []Stmt{
			&SetStmt{Span: sp(0, 14), Name: id(4, 14, "querytrace")},
			&SetStmt{Span: sp(16, 25), Name: id(20, 21, "x"), Value: lit(24, 25, LitLong, "5")},
			&DeclareStmt{Span: sp(27, 75), Params: []*Param{&Param{Span: sp(52, 66), Name: id(52, 53, "p"), Type: id(54, 60, "string"), Default: lit(63, 66, LitString, "x")}, &Param{Span: sp(68, 74), Name: id(68, 69, "n"), Type: id(70, 74, "long")}}},
			&ExprStmt{Span: sp(77, 78), X: id(77, 78, "T")},
		}},
	{name: "extend_project", srcs: []string{"T | extend a = 1, b | project a, c = b * 2"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 42), X: &PipeExpr{Span: sp(0, 42), Source: id(0, 1, "T"), Ops: []Operator{&ExtendOp{Span: sp(4, 19), Cols: []Expr{&NamedExpr{Span: sp(11, 16), Names: []*Ident{id(11, 12, "a")}, Value: lit(15, 16, LitLong, "1")}, id(18, 19, "b")}}, &ProjectOp{Span: sp(22, 42), Cols: []Expr{id(30, 31, "a"), &NamedExpr{Span: sp(33, 42), Names: []*Ident{id(33, 34, "c")}, Value: &BinaryExpr{Span: sp(37, 42), Op: "*", OpSpan: sp(39, 40), X: id(37, 38, "b"), Y: lit(41, 42, LitLong, "2")}}}}}}},
		}},
	{name: "project_away_keep", srcs: []string{"T | project-away a, b*, *Id | project-keep c, d*"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 48), X: &PipeExpr{Span: sp(0, 48), Source: id(0, 1, "T"), Ops: []Operator{&ProjectAwayOp{Span: sp(4, 27), Cols: []*Ident{id(17, 18, "a"), id(20, 22, "b*"), id(24, 27, "*Id")}}, &ProjectKeepOp{Span: sp(30, 48), Cols: []*Ident{id(43, 44, "c"), id(46, 48, "d*")}}}}},
		}},
	{name: "project_by_names", srcs: []string{`T | project-by-names "a", c`, `T|project-by-names "a",c`},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 27), X: &PipeExpr{Span: sp(0, 27), Source: id(0, 1, "T"), Ops: []Operator{&ProjectByNamesOp{Span: sp(4, 27), Cols: []Expr{lit(21, 24, LitString, "a"), id(26, 27, "c")}}}}},
		}},
	{name: "project_rename", srcs: []string{"T | project-rename New = Old, ['N 2'] = O2"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 42), X: &PipeExpr{Span: sp(0, 42), Source: id(0, 1, "T"), Ops: []Operator{&ProjectRenameOp{Span: sp(4, 42), Cols: []*NamedExpr{&NamedExpr{Span: sp(19, 28), Names: []*Ident{id(19, 22, "New")}, Value: id(25, 28, "Old")}, &NamedExpr{Span: sp(30, 42), Names: []*Ident{brid(30, 37, "N 2")}, Value: id(40, 42, "O2")}}}}}},
		}},
	{name: "project_reorder", srcs: []string{"T | project-reorder A*, B asc, C desc, D granny-asc, E granny-desc", "T | project-reorder A*,B asc,C desc,D granny-asc,E granny-desc"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 66), X: &PipeExpr{Span: sp(0, 66), Source: id(0, 1, "T"), Ops: []Operator{&ProjectReorderOp{Span: sp(4, 66), Cols: []*ReorderItem{&ReorderItem{Span: sp(20, 22), Pattern: id(20, 22, "A*")}, &ReorderItem{Span: sp(24, 29), Pattern: id(24, 25, "B"), Order: "asc"}, &ReorderItem{Span: sp(31, 37), Pattern: id(31, 32, "C"), Order: "desc"}, &ReorderItem{Span: sp(39, 51), Pattern: id(39, 40, "D"), Order: "granny-asc"}, &ReorderItem{Span: sp(53, 66), Pattern: id(53, 54, "E"), Order: "granny-desc"}}}}}},
		}},
	{name: "summarize", srcs: []string{"T | summarize hint.strategy=shuffle Count = count(), dcount(x) by bin(Timestamp, 1h), k", "T | summarize hint.strategy = shuffle Count=count(), dcount(x) by bin(Timestamp,1h), k"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 87), X: &PipeExpr{Span: sp(0, 87), Source: id(0, 1, "T"), Ops: []Operator{&SummarizeOp{Span: sp(4, 87), Params: []*Property{&Property{Span: sp(14, 35), Name: id(14, 27, "hint.strategy"), Value: id(28, 35, "shuffle")}}, Aggs: []Expr{&NamedExpr{Span: sp(36, 51), Names: []*Ident{id(36, 41, "Count")}, Value: &CallExpr{Span: sp(44, 51), Fun: id(44, 49, "count")}}, &CallExpr{Span: sp(53, 62), Fun: id(53, 59, "dcount"), Args: []Expr{id(60, 61, "x")}}}, By: []Expr{&CallExpr{Span: sp(66, 84), Fun: id(66, 69, "bin"), Args: []Expr{id(70, 79, "Timestamp"), lit(81, 83, LitTimespan, "1h")}}, id(86, 87, "k")}}}}},
		}},
	{name: "summarize_by_only", srcs: []string{"T | summarize by a, b"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 21), X: &PipeExpr{Span: sp(0, 21), Source: id(0, 1, "T"), Ops: []Operator{&SummarizeOp{Span: sp(4, 21), By: []Expr{id(17, 18, "a"), id(20, 21, "b")}}}}},
		}},
	{name: "distinct", srcs: []string{"T | distinct * | distinct a, b"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 30), X: &PipeExpr{Span: sp(0, 30), Source: id(0, 1, "T"), Ops: []Operator{&DistinctOp{Span: sp(4, 14), Cols: []Expr{&StarExpr{Span: sp(13, 14)}}}, &DistinctOp{Span: sp(17, 30), Cols: []Expr{id(26, 27, "a"), id(29, 30, "b")}}}}},
		}},
	{name: "mv_expand", srcs: []string{"T | mv-expand kind=array bagexpansion=bag with_itemindex=I a = arr to typeof(string), b limit 10"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 96), X: &PipeExpr{Span: sp(0, 96), Source: id(0, 1, "T"), Ops: []Operator{&MvExpandOp{Span: sp(4, 96), Name: "mv-expand", Params: []*Property{&Property{Span: sp(14, 24), Name: id(14, 18, "kind"), Value: id(19, 24, "array")}, &Property{Span: sp(25, 41), Name: id(25, 37, "bagexpansion"), Value: id(38, 41, "bag")}}, Items: []*MvExpandItem{&MvExpandItem{Span: sp(59, 84), Name: id(59, 60, "a"), X: id(63, 66, "arr"), To: id(77, 83, "string")}, &MvExpandItem{Span: sp(86, 87), X: id(86, 87, "b")}}, ItemIndex: id(57, 58, "I"), Limit: lit(94, 96, LitLong, "10")}}}},
		}},
	{name: "mvexpand_legacy", srcs: []string{"T | mvexpand x"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 14), X: &PipeExpr{Span: sp(0, 14), Source: id(0, 1, "T"), Ops: []Operator{&MvExpandOp{Span: sp(4, 14), Name: "mvexpand", Items: []*MvExpandItem{&MvExpandItem{Span: sp(13, 14), X: id(13, 14, "x")}}}}}},
		}},
	{name: "union_source", srcs: []string{"union kind=outer withsource=Src isfuzzy=true T1, Sec*, (T3 | where x)"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 69), X: &UnionExpr{Span: sp(0, 69), Params: []*Property{&Property{Span: sp(6, 16), Name: id(6, 10, "kind"), Value: id(11, 16, "outer")}, &Property{Span: sp(17, 31), Name: id(17, 27, "withsource"), Value: id(28, 31, "Src")}, &Property{Span: sp(32, 44), Name: id(32, 39, "isfuzzy"), Value: lit(40, 44, LitBool, "true")}}, Tables: []Expr{id(45, 47, "T1"), id(49, 53, "Sec*"), &PipeExpr{Span: sp(56, 68), Source: id(56, 58, "T3"), Ops: []Operator{&WhereOp{Span: sp(61, 68), Pred: id(67, 68, "x")}}}}}},
		}},
	{name: "union_op", srcs: []string{"T | union U, V"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 14), X: &PipeExpr{Span: sp(0, 14), Source: id(0, 1, "T"), Ops: []Operator{&UnionOp{Span: sp(4, 14), Tables: []Expr{id(10, 11, "U"), id(13, 14, "V")}}}}},
		}},
	{name: "take_limit", srcs: []string{"T | take 5 | limit 10 | count"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 29), X: &PipeExpr{Span: sp(0, 29), Source: id(0, 1, "T"), Ops: []Operator{&TakeOp{Span: sp(4, 10), Name: "take", Count: lit(9, 10, LitLong, "5")}, &TakeOp{Span: sp(13, 21), Name: "limit", Count: lit(19, 21, LitLong, "10")}, &CountOp{Span: sp(24, 29)}}}},
		}},
	{name: "sort_top", srcs: []string{"T | sort by a desc nulls last, b | order by c asc | top 5 by d nulls first", "T|sort by a desc nulls last,b|order by c asc|top 5 by d nulls first"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 74), X: &PipeExpr{Span: sp(0, 74), Source: id(0, 1, "T"), Ops: []Operator{&SortOp{Span: sp(4, 32), Name: "sort", By: []*SortKey{&SortKey{Span: sp(12, 29), X: id(12, 13, "a"), Order: "desc", Nulls: "last"}, &SortKey{Span: sp(31, 32), X: id(31, 32, "b")}}}, &SortOp{Span: sp(35, 49), Name: "order", By: []*SortKey{&SortKey{Span: sp(44, 49), X: id(44, 45, "c"), Order: "asc"}}}, &TopOp{Span: sp(52, 74), Count: lit(56, 57, LitLong, "5"), By: []*SortKey{&SortKey{Span: sp(61, 74), X: id(61, 62, "d"), Nulls: "first"}}}}}},
		}},
	{name: "as_getschema", srcs: []string{"T | as hint.materialized=true X | getschema"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 43), X: &PipeExpr{Span: sp(0, 43), Source: id(0, 1, "T"), Ops: []Operator{&AsOp{Span: sp(4, 31), Params: []*Property{&Property{Span: sp(7, 29), Name: id(7, 24, "hint.materialized"), Value: lit(25, 29, LitBool, "true")}}, Name: id(30, 31, "X")}, &GetSchemaOp{Span: sp(34, 43)}}}},
		}},
	{name: "join", srcs: []string{"T | join kind=leftouter hint.strategy=broadcast (U | where y) on $left.a == $right.b, c", "T\n| join kind = leftouter hint.strategy = broadcast (\n  U\n  | where y\n) on $left.a==$right.b, c"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 87), X: &PipeExpr{Span: sp(0, 87), Source: id(0, 1, "T"), Ops: []Operator{&JoinOp{Span: sp(4, 87), Params: []*Property{&Property{Span: sp(9, 23), Name: id(9, 13, "kind"), Value: id(14, 23, "leftouter")}, &Property{Span: sp(24, 47), Name: id(24, 37, "hint.strategy"), Value: id(38, 47, "broadcast")}}, Right: &PipeExpr{Span: sp(49, 60), Source: id(49, 50, "U"), Ops: []Operator{&WhereOp{Span: sp(53, 60), Pred: id(59, 60, "y")}}}, On: []Expr{&BinaryExpr{Span: sp(65, 84), Op: "==", OpSpan: sp(73, 75), X: &MemberExpr{Span: sp(65, 72), X: id(65, 70, "$left"), Name: id(71, 72, "a")}, Y: &MemberExpr{Span: sp(76, 84), X: id(76, 82, "$right"), Name: id(83, 84, "b")}}, id(86, 87, "c")}}}}},
		}},
	{name: "join_bare", srcs: []string{"T | join U on k"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 15), X: &PipeExpr{Span: sp(0, 15), Source: id(0, 1, "T"), Ops: []Operator{&JoinOp{Span: sp(4, 15), Right: id(9, 10, "U"), On: []Expr{id(14, 15, "k")}}}}},
		}},
	{name: "lookup", srcs: []string{"T | lookup kind=inner U on k"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 28), X: &PipeExpr{Span: sp(0, 28), Source: id(0, 1, "T"), Ops: []Operator{&LookupOp{Span: sp(4, 28), Params: []*Property{&Property{Span: sp(11, 21), Name: id(11, 15, "kind"), Value: id(16, 21, "inner")}}, Right: id(22, 23, "U"), On: []Expr{id(27, 28, "k")}}}}},
		}},
	{name: "mv_apply", srcs: []string{"T | mv-apply x = xs to typeof(long) on (where x > 1 | summarize s = sum(x))", "T | mv-apply x = xs to typeof(long) on (\n where x > 1\n | summarize s = sum(x)\n)"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 75), X: &PipeExpr{Span: sp(0, 75), Source: id(0, 1, "T"), Ops: []Operator{&MvApplyOp{Span: sp(4, 75), Items: []*MvExpandItem{&MvExpandItem{Span: sp(13, 35), Name: id(13, 14, "x"), X: id(17, 19, "xs"), To: id(30, 34, "long")}}, Subquery: &PipeExpr{Span: sp(40, 74), Ops: []Operator{&WhereOp{Span: sp(40, 51), Pred: &BinaryExpr{Span: sp(46, 51), Op: ">", OpSpan: sp(48, 49), X: id(46, 47, "x"), Y: lit(50, 51, LitLong, "1")}}, &SummarizeOp{Span: sp(54, 74), Aggs: []Expr{&NamedExpr{Span: sp(64, 74), Names: []*Ident{id(64, 65, "s")}, Value: &CallExpr{Span: sp(68, 74), Fun: id(68, 71, "sum"), Args: []Expr{id(72, 73, "x")}}}}}}}}}}},
		}},
	{name: "parse", srcs: []string{"T | parse kind=regex flags=Ui msg with * \"id=\" Id:long \" name=\" Name *"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 70), X: &PipeExpr{Span: sp(0, 70), Source: id(0, 1, "T"), Ops: []Operator{&ParseOp{Span: sp(4, 70), Name: "parse", Params: []*Property{&Property{Span: sp(10, 20), Name: id(10, 14, "kind"), Value: id(15, 20, "regex")}, &Property{Span: sp(21, 29), Name: id(21, 26, "flags"), Value: id(27, 29, "Ui")}}, X: id(30, 33, "msg"), Pattern: []Expr{&StarExpr{Span: sp(39, 40)}, lit(41, 46, LitString, "id="), &ParseCapture{Span: sp(47, 54), Name: id(47, 49, "Id"), Type: id(50, 54, "long")}, lit(55, 63, LitString, " name="), &ParseCapture{Span: sp(64, 68), Name: id(64, 68, "Name")}, &StarExpr{Span: sp(69, 70)}}}}}},
		}},
	{name: "parse_where", srcs: []string{"T | parse-where msg with \"a\" b"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 30), X: &PipeExpr{Span: sp(0, 30), Source: id(0, 1, "T"), Ops: []Operator{&ParseOp{Span: sp(4, 30), Name: "parse-where", X: id(16, 19, "msg"), Pattern: []Expr{lit(25, 28, LitString, "a"), &ParseCapture{Span: sp(29, 30), Name: id(29, 30, "b")}}}}}},
		}},
	{name: "serialize_render", srcs: []string{"T | serialize n = 1 | render timechart with (title=\"t\", ycolumns=a, b)"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 70), X: &PipeExpr{Span: sp(0, 70), Source: id(0, 1, "T"), Ops: []Operator{&SerializeOp{Span: sp(4, 19), Cols: []Expr{&NamedExpr{Span: sp(14, 19), Names: []*Ident{id(14, 15, "n")}, Value: lit(18, 19, LitLong, "1")}}}, &RenderOp{Span: sp(22, 70), Chart: id(29, 38, "timechart"), Params: []*Property{&Property{Span: sp(45, 54), Name: id(45, 50, "title"), Value: lit(51, 54, LitString, "t")}, &Property{Span: sp(56, 69), Name: id(56, 64, "ycolumns"), Value: &ArrayLit{Span: sp(65, 69), Elems: []Expr{id(65, 66, "a"), id(68, 69, "b")}}}}}}}},
		}},
	{name: "evaluate_invoke", srcs: []string{"T | evaluate hint.distribution=per_node bag_unpack(x) | invoke f(1) | sample 3"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 78), X: &PipeExpr{Span: sp(0, 78), Source: id(0, 1, "T"), Ops: []Operator{&EvaluateOp{Span: sp(4, 53), Params: []*Property{&Property{Span: sp(13, 39), Name: id(13, 30, "hint.distribution"), Value: id(31, 39, "per_node")}}, Plugin: &CallExpr{Span: sp(40, 53), Fun: id(40, 50, "bag_unpack"), Args: []Expr{id(51, 52, "x")}}}, &InvokeOp{Span: sp(56, 67), Call: &CallExpr{Span: sp(63, 67), Fun: id(63, 64, "f"), Args: []Expr{lit(65, 66, LitLong, "1")}}}, &SampleOp{Span: sp(70, 78), Count: lit(77, 78, LitLong, "3")}}}},
		}},
	{name: "datatable", srcs: []string{"datatable(a:string, b:long)[\"x\", 1, \"y\", 2]"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 43), X: &DatatableExpr{Span: sp(0, 43), Columns: []*ColumnDecl{&ColumnDecl{Span: sp(10, 18), Name: id(10, 11, "a"), Type: id(12, 18, "string")}, &ColumnDecl{Span: sp(20, 26), Name: id(20, 21, "b"), Type: id(22, 26, "long")}}, Values: []Expr{lit(28, 31, LitString, "x"), lit(33, 34, LitLong, "1"), lit(36, 39, LitString, "y"), lit(41, 42, LitLong, "2")}}},
		}},
	{name: "range", srcs: []string{"range x from 1 to 10 step 1"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 27), X: &RangeExpr{Span: sp(0, 27), Name: id(6, 7, "x"), From: lit(13, 14, LitLong, "1"), To: lit(18, 20, LitLong, "10"), Step: lit(26, 27, LitLong, "1")}},
		}},
	{name: "print", srcs: []string{"print a = 1, 2"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 14), X: &PrintExpr{Span: sp(0, 14), Cols: []Expr{&NamedExpr{Span: sp(6, 11), Names: []*Ident{id(6, 7, "a")}, Value: lit(10, 11, LitLong, "1")}, lit(13, 14, LitLong, "2")}}},
		}},
	{name: "materialize", srcs: []string{"let m = materialize(T | take 1);\nm"},
		want: []Stmt{
			&LetStmt{Span: sp(0, 31), Name: id(4, 5, "m"), Value: &CallExpr{Span: sp(8, 31), Fun: id(8, 19, "materialize"), Args: []Expr{&PipeExpr{Span: sp(20, 30), Source: id(20, 21, "T"), Ops: []Operator{&TakeOp{Span: sp(24, 30), Name: "take", Count: lit(29, 30, LitLong, "1")}}}}}},
			&ExprStmt{Span: sp(33, 34), X: id(33, 34, "m")},
		}},
	{name: "toscalar", srcs: []string{"print toscalar(T | count)"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 25), X: &PrintExpr{Span: sp(0, 25), Cols: []Expr{&CallExpr{Span: sp(6, 25), Fun: id(6, 14, "toscalar"), Args: []Expr{&PipeExpr{Span: sp(15, 24), Source: id(15, 16, "T"), Ops: []Operator{&CountOp{Span: sp(19, 24)}}}}}}}},
		}},
	{name: "where_eq_legacy", srcs: []string{"T | where x = 1"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 15), X: &PipeExpr{Span: sp(0, 15), Source: id(0, 1, "T"), Ops: []Operator{&WhereOp{Span: sp(4, 15), Pred: &BinaryExpr{Span: sp(10, 15), Op: "==", OpSpan: sp(12, 13), X: id(10, 11, "x"), Y: lit(14, 15, LitLong, "1")}}}}},
		}},
	{name: "externaldata", srcs: []string{"externaldata(a:string)[@\"https://x/y.csv\"] with (format=\"csv\")"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 62), X: &ExternalDataExpr{Span: sp(0, 62), Columns: []*ColumnDecl{&ColumnDecl{Span: sp(13, 21), Name: id(13, 14, "a"), Type: id(15, 21, "string")}}, URIs: []Expr{lit(23, 41, LitString, "https://x/y.csv")}, Params: []*Property{&Property{Span: sp(49, 61), Name: id(49, 55, "format"), Value: lit(56, 61, LitString, "csv")}}}},
		}},
	{name: "make_series", srcs: []string{"T | make-series n = count() default = 0 on Timestamp from ago(1d) to now() step 1h by k"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 87), X: &PipeExpr{Span: sp(0, 87), Source: id(0, 1, "T"), Ops: []Operator{&MakeSeriesOp{Span: sp(4, 87), Aggs: []*MakeSeriesAgg{&MakeSeriesAgg{Span: sp(16, 39), X: &NamedExpr{Span: sp(16, 27), Names: []*Ident{id(16, 17, "n")}, Value: &CallExpr{Span: sp(20, 27), Fun: id(20, 25, "count")}}, Default: lit(38, 39, LitLong, "0")}}, On: id(43, 52, "Timestamp"), From: &CallExpr{Span: sp(58, 65), Fun: id(58, 61, "ago"), Args: []Expr{lit(62, 64, LitTimespan, "1d")}}, To: &CallExpr{Span: sp(69, 74), Fun: id(69, 72, "now")}, Step: lit(80, 82, LitTimespan, "1h"), By: []Expr{id(86, 87, "k")}}}}},
		}},
	{name: "search", srcs: []string{"search \"x\" | take 1"},
		want: []Stmt{
			&ExprStmt{Span: sp(0, 19), X: &PipeExpr{Span: sp(0, 19), Source: &SearchExpr{Span: sp(0, 10), Pred: lit(7, 10, LitString, "x")}, Ops: []Operator{&TakeOp{Span: sp(13, 19), Name: "take", Count: lit(18, 19, LitLong, "1")}}}},
		}},
}

func TestParseTrees(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.name, func(t *testing.T) {
			for i, src := range c.srcs {
				s, err := Parse(src)
				require.NoError(t, err, "spelling %d: %q", i, src)
				assert.Equal(t, Span{0, len(src)}, s.Span)
				checkSpans(t, src, s)
				if i == 0 {
					assert.Equal(t, c.want, s.Stmts, "spelling %d: %q", i, src)
					continue
				}
				want, _ := Parse(c.srcs[0])
				assert.Equal(t, stripSpans(want.Stmts), stripSpans(s.Stmts), "spelling %d: %q", i, src)
			}
		})
	}
}

// TestParseConcurrently checks that the shared participle parsers can serve
// several goroutines (the REPL and the engine's tests parse in parallel).
func TestParseConcurrently(t *testing.T) {
	done := make(chan error)
	for i := 0; i < 4; i++ {
		go func() {
			var err error
			for _, c := range parseCases {
				if _, e := Parse(c.srcs[0]); e != nil {
					err = e
				}
			}
			done <- err
		}()
	}
	for i := 0; i < 4; i++ {
		assert.NoError(t, <-done)
	}
}

func TestParsePatternStatement(t *testing.T) {
	src := "declare pattern p = (a:string, b:string)[c:string] {\n" +
		"  (\"x\", \"y\").[\"z\"] = { print 1 };\n" +
		"};\n" +
		"declare pattern empty;\n" +
		"p(\"x\", \"y\").z"
	script, err := Parse(src)
	require.NoError(t, err)
	require.Len(t, script.Stmts, 3)
	p, ok := script.Stmts[0].(*PatternStmt)
	require.True(t, ok)
	assert.Equal(t, "p", p.Name.Name)
	assert.True(t, p.Defined)
	require.Len(t, p.Params, 2)
	require.NotNil(t, p.Path)
	assert.Equal(t, "c", p.Path.Name.Name)
	require.Len(t, p.Rules, 1)
	assert.Len(t, p.Rules[0].Args, 2)
	assert.Equal(t, "z", p.Rules[0].Path.(*Literal).Text)
	_, isPrint := p.Rules[0].Body.(*PrintExpr)
	assert.True(t, isPrint)
	e, ok := script.Stmts[1].(*PatternStmt)
	require.True(t, ok)
	assert.False(t, e.Defined)
	assert.Empty(t, e.Rules)
	call, ok := script.Stmts[2].(*ExprStmt).X.(*MemberExpr)
	require.True(t, ok)
	assert.Equal(t, "z", call.Name.Name)
}
