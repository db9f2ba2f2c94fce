package parser

// Span is a half-open range [Start, End) of byte offsets into the query text.
// Nodes embed it, so n.Start, n.End and n.Pos() work on every node. Line and
// column are worked out only when an error is printed.
type Span struct {
	Start, End int
}

// Pos returns the span itself; it is how the Node interface reaches the
// embedded Span of every node.
func (s Span) Pos() Span { return s }

// Node is any element of the syntax tree.
type Node interface {
	Pos() Span
}

// Script is a whole query text: statements separated by semicolons. The
// last statement that is not a let or set statement is the query's result.
type Script struct {
	Span
	Stmts []Stmt
}

// Stmt is a statement: *LetStmt, *ExprStmt, *SetStmt, *DeclareStmt,
// *PatternStmt.
type Stmt interface {
	Node
	stmtNode()
}

// LetStmt binds Name to Value: a scalar expression, a tabular expression,
// or a function (*FuncLit).
type LetStmt struct {
	Span
	Name  *Ident
	Value Expr
}

// ExprStmt is a statement that is an expression, normally a tabular query.
type ExprStmt struct {
	Span
	X Expr
}

// SetStmt is `set name [= value]`, a request property.
type SetStmt struct {
	Span
	Name  *Ident
	Value Expr // nil when no value is given
}

// DeclareStmt is `declare query_parameters(name:type [= default], ...)`.
type DeclareStmt struct {
	Span
	Params []*Param
}

func (*LetStmt) stmtNode()     {}
func (*ExprStmt) stmtNode()    {}
func (*SetStmt) stmtNode()     {}
func (*DeclareStmt) stmtNode() {}
func (*PatternStmt) stmtNode() {}

// PatternStmt is declare pattern Name [= (Params)[Path] { Rules }]. A
// pattern maps string tuples to tabular expressions; one declared without
// a definition (Defined false) is empty.
type PatternStmt struct {
	Span
	Name    *Ident
	Defined bool
	Params  []*Param
	Path    *Param // nil when the pattern has no path
	Rules   []*PatternRule
}

// PatternRule is one mapping of a pattern: (Args).[Path] = { Body }.
type PatternRule struct {
	Span
	Args []Expr
	Path Expr // nil without a path
	Body Expr
}

// Expr is a scalar or tabular expression. The parser does not tell the two
// apart where the text does not (a name may be a table or a scalar); the
// binder does.
type Expr interface {
	Node
	exprNode()
}

// Ident is a name: a plain identifier, a bracketed ['name'] (Bracketed set,
// Name without the quotes), $left / $right in join conditions (Name keeps
// the $), or a column pattern with * wildcards in project-away and friends.
type Ident struct {
	Span
	Name      string
	Bracketed bool
}

// LitKind is the kind of a scalar literal.
type LitKind uint8

// The literal kinds. LitNull is the bare `null` that can appear inside a
// dynamic literal.
const (
	LitNull LitKind = iota
	LitBool
	LitInt
	LitLong
	LitReal
	LitDecimal
	LitString
	LitDateTime
	LitTimespan
	LitGUID
)

// Literal is a scalar literal. For strings Text is the decoded value (escapes
// resolved, quotes removed); for everything else it is the literal's text as
// written: "42", "1.5e3", "true", the inside of datetime(...), "1d" or the
// inside of timespan(...), the inside of guid(...). Null is set for typed
// nulls such as int(null) or datetime(null).
type Literal struct {
	Span
	Kind LitKind
	Text string
	Null bool
}

// DynamicLit is dynamic(...): Value is a *Literal, *ArrayLit or *BagLit, or
// a *Literal of kind LitNull for dynamic(null).
type DynamicLit struct {
	Span
	Value Expr
}

// ArrayLit is a JSON-like array inside a dynamic literal.
type ArrayLit struct {
	Span
	Elems []Expr
}

// BagLit is a JSON-like property bag inside a dynamic literal.
type BagLit struct {
	Span
	Keys   []string
	Values []Expr
}

// BinaryExpr is X Op Y. Op is the operator as KQL spells it, lower-cased:
// "or", "and", "==", "!=", "=~", "!~", "<", "<=", ">", ">=", "+", "-", "*",
// "/", "%", "has", "!has", "has_cs", "!has_cs", "contains", "!contains",
// "contains_cs", "!contains_cs", "startswith", "!startswith",
// "startswith_cs", "!startswith_cs", "endswith", "!endswith",
// "endswith_cs", "!endswith_cs", "hasprefix", "!hasprefix", "hasprefix_cs",
// "!hasprefix_cs", "hassuffix", "!hassuffix", "hassuffix_cs",
// "!hassuffix_cs", "like", "notlike", "matches regex".
type BinaryExpr struct {
	Span
	Op     string
	OpSpan Span
	X, Y   Expr
}

// UnaryExpr is -X or +X.
type UnaryExpr struct {
	Span
	Op string
	X  Expr
}

// InExpr is X Op (List...), for Op in "in", "!in", "in~", "!in~",
// "has_any", "has_all". Each item is a scalar, a dynamic array, or a
// tabular expression whose first column supplies values.
type InExpr struct {
	Span
	Op     string
	OpSpan Span
	X      Expr
	List   []Expr
}

// BetweenExpr is X between (Lo .. Hi), or !between when Not is set.
type BetweenExpr struct {
	Span
	X, Lo, Hi Expr
	Not       bool
}

// CallExpr is a function call. Arguments given by name are *NamedExpr.
// Typed literals that look like calls (int(5), long(null), datetime(...))
// are *Literal, not calls.
type CallExpr struct {
	Span
	Fun  *Ident
	Args []Expr
}

// NamedExpr is Name = Value: an assignment in extend, project, summarize,
// print, a named argument, or a tuple (a, b) = f(...) when Names has more
// than one name.
type NamedExpr struct {
	Span
	Names []*Ident
	Value Expr
}

// MemberExpr is X.Name (also X.['name']).
type MemberExpr struct {
	Span
	X    Expr
	Name *Ident
}

// IndexExpr is X[Index]: a bag key, or an array index counting from 0 (a
// negative index counts from the end).
type IndexExpr struct {
	Span
	X     Expr
	Index Expr
}

// ParenExpr is (X).
type ParenExpr struct {
	Span
	X Expr
}

// StarExpr is * as an argument (arg_max(x, *), count(*)) or in distinct *.
type StarExpr struct {
	Span
}

// TypeofExpr is typeof(T), naming a scalar type (as in mv-expand's `to`).
type TypeofExpr struct {
	Span
	Type *Ident
}

// Param is one parameter of a let function or of declare query_parameters:
// a scalar parameter has Type set; a tabular one has Columns (nil Columns
// with Star set is T:(*)).
type Param struct {
	Span
	Name    *Ident
	Type    *Ident
	Tabular bool
	Columns []*ColumnDecl
	Star    bool
	Default Expr
}

// FuncLit is a let function: (params) { body }. Body holds the inner let
// statements followed by the expression statement that is its value. View
// marks `view () { ... }`.
type FuncLit struct {
	Span
	Params []*Param
	Body   []Stmt
	View   bool
}

// ColumnDecl is name:type in a datatable or a tabular parameter schema.
type ColumnDecl struct {
	Span
	Name *Ident
	Type *Ident
}

// Property is name=value in an operator's parameters: kind=inner,
// withsource=T, isfuzzy=true, hint.strategy=shuffle, bagexpansion=array ...
type Property struct {
	Span
	Name  *Ident
	Value Expr
}

// PipeExpr is Source | Ops[0] | Ops[1] ... . Source is any tabular
// expression: a table name, a call (materialize(X), a let function), a
// parenthesised expression, datatable, range, print, union.
type PipeExpr struct {
	Span
	Source Expr
	Ops    []Operator
}

// DatatableExpr is datatable(col:type, ...)[values...], values row-major.
type DatatableExpr struct {
	Span
	Columns []*ColumnDecl
	Values  []Expr
}

// RangeExpr is range Name from From to To step Step.
type RangeExpr struct {
	Span
	Name           *Ident
	From, To, Step Expr
}

// PrintExpr is print a = 1, 2, ...
type PrintExpr struct {
	Span
	Cols []Expr
}

// UnionExpr is a union at the start of a query: union [params] T1, T2, ...
type UnionExpr struct {
	Span
	Params []*Property
	Tables []Expr
}

func (*Ident) exprNode()         {}
func (*Literal) exprNode()       {}
func (*DynamicLit) exprNode()    {}
func (*ArrayLit) exprNode()      {}
func (*BagLit) exprNode()        {}
func (*BinaryExpr) exprNode()    {}
func (*UnaryExpr) exprNode()     {}
func (*InExpr) exprNode()        {}
func (*BetweenExpr) exprNode()   {}
func (*CallExpr) exprNode()      {}
func (*NamedExpr) exprNode()     {}
func (*MemberExpr) exprNode()    {}
func (*IndexExpr) exprNode()     {}
func (*ParenExpr) exprNode()     {}
func (*StarExpr) exprNode()      {}
func (*TypeofExpr) exprNode()    {}
func (*FuncLit) exprNode()       {}
func (*PipeExpr) exprNode()      {}
func (*DatatableExpr) exprNode() {}
func (*RangeExpr) exprNode()     {}
func (*PrintExpr) exprNode()     {}
func (*UnionExpr) exprNode()     {}

// Operator is one tabular operator after a pipe.
type Operator interface {
	Node
	opNode()
	// OpName returns the operator's name as written (where, mv-expand, ...).
	OpName() string
}

// WhereOp is where Pred (also spelled filter).
type WhereOp struct {
	Span
	Pred Expr
}

// ExtendOp is extend Cols; each column is a *NamedExpr or a bare expression.
type ExtendOp struct {
	Span
	Cols []Expr
}

// ProjectOp is project Cols; each column is a *NamedExpr or a bare expression.
type ProjectOp struct {
	Span
	Cols []Expr
}

// ProjectAwayOp is project-away names; names may hold * wildcards.
type ProjectAwayOp struct {
	Span
	Cols []*Ident
}

// ProjectKeepOp is project-keep names; names may hold * wildcards.
type ProjectKeepOp struct {
	Span
	Cols []*Ident
}

// ProjectRenameOp is project-rename New = Old, ...; each Value is an *Ident.
type ProjectRenameOp struct {
	Span
	Cols []*NamedExpr
}

// ReorderItem is one column pattern of project-reorder with its optional
// order: "", "asc", "desc", "granny-asc" or "granny-desc".
type ReorderItem struct {
	Span
	Pattern *Ident
	Order   string
}

// ProjectReorderOp is project-reorder patterns.
type ProjectReorderOp struct {
	Span
	Cols []*ReorderItem
}

// SummarizeOp is summarize [params] Aggs [by By].
type SummarizeOp struct {
	Span
	Params []*Property
	Aggs   []Expr
	By     []Expr
}

// DistinctOp is distinct Cols, or distinct * (a single *StarExpr).
type DistinctOp struct {
	Span
	Cols []Expr
}

// MvExpandItem is one expanded column: [Name =] X [to typeof(To)].
type MvExpandItem struct {
	Span
	Name *Ident
	X    Expr
	To   *Ident
}

// MvExpandOp is mv-expand (or mvexpand) [params] items [with_itemindex=Name]
// [limit N].
type MvExpandOp struct {
	Span
	Name      string
	Params    []*Property
	Items     []*MvExpandItem
	ItemIndex *Ident
	Limit     Expr
}

// UnionOp is | union [params] tables.
type UnionOp struct {
	Span
	Params []*Property
	Tables []Expr
}

// TakeOp is take N or limit N; Name says which.
type TakeOp struct {
	Span
	Name  string
	Count Expr
}

// CountOp is count.
type CountOp struct {
	Span
}

// SortKey is one key of sort or top: X [asc|desc] [nulls first|last].
// Order and Nulls are "" when not written.
type SortKey struct {
	Span
	X     Expr
	Order string
	Nulls string
}

// SortOp is sort by keys (also order by); Name says which.
type SortOp struct {
	Span
	Name string
	By   []*SortKey
}

// TopOp is top N by key.
type TopOp struct {
	Span
	Count Expr
	By    []*SortKey
}

// AsOp is as [params] Name.
type AsOp struct {
	Span
	Params []*Property
	Name   *Ident
}

// GetSchemaOp is getschema.
type GetSchemaOp struct {
	Span
}

// JoinOp is join [params] Right on conditions. Each condition is an *Ident
// (a column both sides share) or a BinaryExpr $left.X == $right.Y.
type JoinOp struct {
	Span
	Params []*Property
	Right  Expr
	On     []Expr
}

// LookupOp is lookup [params] Right on conditions, as JoinOp.
type LookupOp struct {
	Span
	Params []*Property
	Right  Expr
	On     []Expr
}

// MvApplyOp is mv-apply [params] items [with_itemindex=Name] [limit N]
// on (Subquery). Subquery is a PipeExpr whose Source is nil: it runs over
// the expanded rows of each input row.
type MvApplyOp struct {
	Span
	Params    []*Property
	Items     []*MvExpandItem
	ItemIndex *Ident
	Limit     Expr
	Subquery  *PipeExpr
}

// ParseOp is parse [kind=...] [flags=...] X with Pattern. Pattern alternates
// string literals and column captures (*ParseCapture); a leading or
// repeated `*` is a *StarExpr.
type ParseOp struct {
	Span
	Name    string // parse or parse-where
	Params  []*Property
	X       Expr
	Pattern []Expr
}

// ParseCapture is a column in a parse pattern: Name [: Type].
type ParseCapture struct {
	Span
	Name *Ident
	Type *Ident
}

// SerializeOp is serialize [Cols].
type SerializeOp struct {
	Span
	Cols []Expr
}

// RenderOp is render Chart [with (props)].
type RenderOp struct {
	Span
	Chart  *Ident
	Params []*Property
}

// EvaluateOp is evaluate [params] Plugin(args) [: (Schema)].
type EvaluateOp struct {
	Span
	Params []*Property
	Plugin *CallExpr
	// Schema is the declared output schema, nil when not written; a *
	// item is a ColumnDecl named "*" with a nil Type.
	Schema []*ColumnDecl
}

// InvokeOp is invoke Function(args).
type InvokeOp struct {
	Span
	Call *CallExpr
}

// SampleOp is sample N.
type SampleOp struct {
	Span
	Count Expr
}

func (*ParseCapture) exprNode() {}

func (*WhereOp) opNode()          {}
func (*ExtendOp) opNode()         {}
func (*ProjectOp) opNode()        {}
func (*ProjectAwayOp) opNode()    {}
func (*ProjectKeepOp) opNode()    {}
func (*ProjectRenameOp) opNode()  {}
func (*ProjectReorderOp) opNode() {}
func (*SummarizeOp) opNode()      {}
func (*DistinctOp) opNode()       {}
func (*MvExpandOp) opNode()       {}
func (*UnionOp) opNode()          {}
func (*TakeOp) opNode()           {}
func (*CountOp) opNode()          {}
func (*SortOp) opNode()           {}
func (*TopOp) opNode()            {}
func (*AsOp) opNode()             {}
func (*GetSchemaOp) opNode()      {}
func (*JoinOp) opNode()           {}
func (*LookupOp) opNode()         {}
func (*MvApplyOp) opNode()        {}
func (*ParseOp) opNode()          {}
func (*SerializeOp) opNode()      {}
func (*RenderOp) opNode()         {}
func (*EvaluateOp) opNode()       {}
func (*InvokeOp) opNode()         {}
func (*SampleOp) opNode()         {}

// OpName implementations give the operator's canonical name.
func (*WhereOp) OpName() string          { return "where" }
func (*ExtendOp) OpName() string         { return "extend" }
func (*ProjectOp) OpName() string        { return "project" }
func (*ProjectAwayOp) OpName() string    { return "project-away" }
func (*ProjectKeepOp) OpName() string    { return "project-keep" }
func (*ProjectRenameOp) OpName() string  { return "project-rename" }
func (*ProjectReorderOp) OpName() string { return "project-reorder" }
func (*SummarizeOp) OpName() string      { return "summarize" }
func (*DistinctOp) OpName() string       { return "distinct" }
func (o *MvExpandOp) OpName() string     { return o.Name }
func (*UnionOp) OpName() string          { return "union" }
func (o *TakeOp) OpName() string         { return o.Name }
func (*CountOp) OpName() string          { return "count" }
func (o *SortOp) OpName() string         { return o.Name }
func (*TopOp) OpName() string            { return "top" }
func (*AsOp) OpName() string             { return "as" }
func (*GetSchemaOp) OpName() string      { return "getschema" }
func (*JoinOp) OpName() string           { return "join" }
func (*LookupOp) OpName() string         { return "lookup" }
func (*MvApplyOp) OpName() string        { return "mv-apply" }
func (o *ParseOp) OpName() string        { return o.Name }
func (*SerializeOp) OpName() string      { return "serialize" }
func (*RenderOp) OpName() string         { return "render" }
func (*EvaluateOp) OpName() string       { return "evaluate" }
func (*InvokeOp) OpName() string         { return "invoke" }
func (*SampleOp) OpName() string         { return "sample" }
