package parser

// Nodes for KQL constructs beyond ast.go's first list, added so that real
// hunting queries parse: externaldata, search, make-series, parse-kv and
// top-nested. The engine may reject them as unsupported; the parser still
// gives them spans so that the error points at the right place.

// ExternalDataExpr is externaldata(col:type, ...) [URIs] [with (props)].
type ExternalDataExpr struct {
	Span
	Columns []*ColumnDecl
	URIs    []Expr
	Params  []*Property
}

// SearchExpr is search [kind=...] [in (Tables)] Pred at the start of a query.
type SearchExpr struct {
	Span
	Params []*Property
	Tables []Expr
	Pred   Expr
}

// SearchOp is | search [kind=...] Pred.
type SearchOp struct {
	Span
	Params []*Property
	Tables []Expr
	Pred   Expr
}

// MakeSeriesAgg is one aggregate of make-series: [Name =] Agg [default = X].
type MakeSeriesAgg struct {
	Span
	X       Expr // the aggregate, a *NamedExpr when named
	Default Expr // nil when not written
}

// MakeSeriesOp is make-series [params] Aggs on Axis [from F] [to T] step S
// [by Keys]; the legacy `in range(F, T, S)` form fills the same fields.
type MakeSeriesOp struct {
	Span
	Params         []*Property
	Aggs           []*MakeSeriesAgg
	On             Expr
	From, To, Step Expr // From and To are nil when not written
	By             []Expr
}

// ParseKvOp is parse-kv X as (col:type, ...) [with (props)].
type ParseKvOp struct {
	Span
	X       Expr
	Columns []*ColumnDecl
	Params  []*Property
}

// TopNestedLevel is one level of top-nested: top-nested [N] of Of [with
// others = Others] by By [asc|desc].
type TopNestedLevel struct {
	Span
	Count  Expr // nil when not written
	Of     Expr
	Others Expr // nil when not written
	By     Expr
	Order  string
}

// TopNestedOp is top-nested levels separated by commas.
type TopNestedOp struct {
	Span
	Levels []*TopNestedLevel
}

// PartitionOp is partition [hints] by By, then either (Subquery), whose
// operators run over each partition, or { Query }, a query in which the
// partition is named by the name of the input.
type PartitionOp struct {
	Span
	Params   []*Property
	By       Expr
	Subquery *PipeExpr // the (...) form, Source nil
	Query    Expr      // the {...} form
}

func (*ExternalDataExpr) exprNode() {}
func (*SearchExpr) exprNode()       {}

func (*SearchOp) opNode()            {}
func (*MakeSeriesOp) opNode()        {}
func (*ParseKvOp) opNode()           {}
func (*TopNestedOp) opNode()         {}
func (*PartitionOp) opNode()         {}
func (*PartitionOp) OpName() string  { return "partition" }
func (*SearchOp) OpName() string     { return "search" }
func (*MakeSeriesOp) OpName() string { return "make-series" }
func (*ParseKvOp) OpName() string    { return "parse-kv" }
func (*TopNestedOp) OpName() string  { return "top-nested" }
