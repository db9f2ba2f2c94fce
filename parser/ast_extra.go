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
	// InRange marks the legacy form, whose stop is inclusive and whose
	// bins are aligned to multiples of the step, not to From.
	InRange bool
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

// ReduceOp is reduce [kind=source] by By [with threshold=T, characters=C];
// Params holds kind and the with properties.
type ReduceOp struct {
	Span
	Params []*Property
	By     Expr
}

// ProjectByNamesOp is project-by-names Cols: each column specifier is a
// constant expression giving a name, a name pattern with * wildcards, or a
// dynamic array of them.
type ProjectByNamesOp struct {
	Span
	Cols []Expr
}

// ScanStep is one step of scan: step Name [output=Output]: Pred [=>
// Assigns]. Assigns are *NamedExpr.
type ScanStep struct {
	Span
	Name    *Ident
	Output  string // "", "all", "last" or "none"
	Pred    Expr
	Assigns []Expr
}

// ScanOp is scan [with_match_id=MatchID] [declare (Declare)] with (Steps).
type ScanOp struct {
	Span
	MatchID *Ident // nil when not written
	Declare []*Param
	Steps   []*ScanStep
}

// TopHittersOp is top-hitters Count of Of [by By]: Kusto's approximate
// most frequent values.
type TopHittersOp struct {
	Span
	Count Expr
	Of    Expr
	By    Expr // nil when not written
}

// ConsumeOp is consume [Params]: it reads its input and returns nothing.
type ConsumeOp struct {
	Span
	Params []*Property
}

// FacetOp is facet by By [with (With)]: one result table per column.
type FacetOp struct {
	Span
	By   []Expr
	With *PipeExpr // Source nil; nil when not written
}

// ForkOp is fork (Legs...): one result table per leg.
type ForkOp struct {
	Span
	Legs []*ForkLeg
}

// ForkLeg is [Name =] (Subquery) of fork.
type ForkLeg struct {
	Span
	Name     *Ident // nil when not written
	Subquery *PipeExpr
}

// FindExpr is find [params] [in (Tables)] where Pred [project-smart |
// project Cols]. A typed column Name:type is a *ParseCapture.
type FindExpr struct {
	Span
	Params       []*Property
	Tables       []Expr
	Pred         Expr
	ProjectSmart bool
	Project      []Expr
}

func (*FindExpr) exprNode()         {}
func (*ExternalDataExpr) exprNode() {}
func (*SearchExpr) exprNode()       {}

// The marker methods, and OpName giving each added operator's canonical
// name, as ast.go does for its operators.
func (*SearchOp) opNode()                {}
func (*MakeSeriesOp) opNode()            {}
func (*ParseKvOp) opNode()               {}
func (*TopNestedOp) opNode()             {}
func (*PartitionOp) opNode()             {}
func (*PartitionOp) OpName() string      { return "partition" }
func (*ScanOp) opNode()                  {}
func (*ProjectByNamesOp) opNode()        {}
func (*ProjectByNamesOp) OpName() string { return "project-by-names" }
func (*TopHittersOp) opNode()            {}
func (*TopHittersOp) OpName() string     { return "top-hitters" }
func (*ConsumeOp) opNode()               {}
func (*ConsumeOp) OpName() string        { return "consume" }
func (*FacetOp) opNode()                 {}
func (*FacetOp) OpName() string          { return "facet" }
func (*ForkOp) opNode()                  {}
func (*ForkOp) OpName() string           { return "fork" }
func (*ReduceOp) opNode()                {}
func (*ReduceOp) OpName() string         { return "reduce" }
func (*ScanOp) OpName() string           { return "scan" }
func (*SearchOp) OpName() string         { return "search" }
func (*MakeSeriesOp) OpName() string     { return "make-series" }
func (*ParseKvOp) OpName() string        { return "parse-kv" }
func (*TopNestedOp) OpName() string      { return "top-nested" }
