package parser

import "github.com/alecthomas/participle/v2/lexer"

// The participle grammar. These structs are private: lower.go turns them
// into the AST of ast.go. Each embeds at, so participle records the first
// token's position (Pos) and the position of the token after the production
// (EndPos). The lexer emits no white space or comment tokens (they doubled
// the token count) and instead stores in each token's Column the end offset
// of the token before it, so EndPos.Column is the exact end of the
// production. Line and Column carry no line information.
//
// Binary operators are parsed as a flat sequence (gExpr) and folded by
// precedence in lower.go, rather than as one struct per precedence level:
// the cascade made every leaf expression descend nine structs.

type at struct {
	Pos    lexer.Position
	EndPos lexer.Position
}

func (a at) span() Span { return Span{a.Pos.Offset, a.EndPos.Column} }

// end is the end offset of the production's last token.
func (a at) end() int { return a.EndPos.Column }

// ---- statements

type gStmt struct {
	at
	Let     *gLet     `parser:"  @@"`
	Set     *gSet     `parser:"| @@"`
	Declare *gDeclare `parser:"| @@"`
	Expr    *gPipe    `parser:"| @@"`
}

type gLet struct {
	at
	Name *gName `parser:"'let' @@ '='"`
	Func *gFunc `parser:"( @@"`
	View *gView `parser:"| @@"`
	X    *gPipe `parser:"| @@ )"`
}

type gFunc struct {
	at
	Params []*gParam `parser:"'(' ( @@ ( ',' @@ )* )? ')'"`
	Body   []*gStmt  `parser:"'{' @@? ( ';' @@? )* '}'"`
}

type gView struct {
	at
	Func *gFunc `parser:"'view' @@"`
}

type gParam struct {
	at
	Name    *gName      `parser:"@@ ':'"`
	Star    bool        `parser:"( '(' ( @'*'"`
	Columns []*gColDecl `parser:"      | @@ ( ',' @@ )* ) ')'"`
	Type    *gNameAny   `parser:"| @@ )"`
	Default *gExpr      `parser:"( '=' @@ )?"`
}

type gSet struct {
	at
	Name  *gNameAny `parser:"'set' @@"`
	Value *gExpr    `parser:"( '=' @@ )?"`
}

type gDeclare struct {
	at
	Params  []*gParam     `parser:"'declare' ( 'query_parameters' '(' ( @@ ( ',' @@ )* )? ')'"`
	Pattern *gPatternDecl `parser:"| @@ )"`
}

// gPatternDecl is the rest of declare pattern Name [= (args)[path:type] {
// rules }]: without the definition, an empty pattern.
type gPatternDecl struct {
	at
	Name    *gName          `parser:"'pattern' @@"`
	Defined bool            `parser:"( @'='"`
	Params  []*gParam       `parser:"  '(' @@ ( ',' @@ )* ')'"`
	Path    *gParam         `parser:"  ( '[' @@ ']' )?"`
	Rules   []*gPatternRule `parser:"  '{' ( @@ ';'? )* '}' )?"`
}

// gPatternRule is one mapping of a pattern: (values).[path] = { query }.
type gPatternRule struct {
	at
	Args []*gExpr `parser:"'(' @@ ( ',' @@ )* ')'"`
	Path *gExpr   `parser:"( '.' '[' @@ ']' )?"`
	Body *gPipe   `parser:"'=' '{' @@ '}'"`
}

// ---- tabular expressions

type gPipe struct {
	at
	Source *gSource `parser:"@@"`
	Ops    []*gOp   `parser:"( '|' @@ )*"`
}

// gSource tries range first (its first word is a plain name), then an
// expression, the common case; the other sources start with keywords that
// an expression cannot.
type gSource struct {
	at
	Range     *gRange     `parser:"  @@"`
	Expr      *gExpr      `parser:"| @@"`
	Union     *gUnionSrc  `parser:"| @@"`
	Datatable *gDatatable `parser:"| @@"`
	External  *gExternal  `parser:"| @@"`
	Print     *gPrint     `parser:"| @@"`
	Search    *gSearch    `parser:"| @@"`
	Find      *gFind      `parser:"| @@"`
}

// gFind is find [withsource=X] [in (Tables)] where Pred [project-smart |
// project cols].
type gFind struct {
	at
	Props   []*gUnionProp `parser:"'find' @@*"`
	Tables  []*gUnionItem `parser:"( 'in' '(' @@ ( ',' @@ )* ')' )?"`
	Pred    *gPred        `parser:"'where'? @@"`
	Smart   bool          `parser:"( @'project-smart'"`
	Project []*gFindCol   `parser:"| 'project' @@ ( ',' @@ )* )?"`
}

// gFindCol is a column of find's project: Name[:Type] or pack_all().
type gFindCol struct {
	at
	X    *gColumn  `parser:"@@"`
	Type *gNameAny `parser:"( ':' @@ )?"`
}

type gUnionSrc struct {
	at
	Props  []*gUnionProp `parser:"'union' @@*"`
	Tables []*gUnionItem `parser:"@@ ( ',' @@ )*"`
}

// gUnionItem is a union leg: (query), a call (with the .Path or .["Path"]
// of a pattern invocation), or a table name pattern.
type gUnionItem struct {
	at
	Paren   *gPipe    `parser:"  '(' @@ ')'"`
	Call    *gCall    `parser:"| @@"`
	Member  *gNameAny `parser:"  ( '.' @@ )?"`
	Pattern *gPattern `parser:"| @@"`
}

type gDatatable struct {
	at
	Columns []*gColDecl `parser:"'datatable' '(' @@ ( ',' @@ )* ','? ')'"`
	Values  []*gExpr    `parser:"'[' ( @@ ( ',' @@ )* ','? )? ']'"`
}

type gExternal struct {
	at
	Columns []*gColDecl `parser:"'externaldata' '(' @@ ( ',' @@ )* ','? ')'"`
	URIs    []*gExpr    `parser:"'[' @@ ( ',' @@ )* ','? ']'"`
	Props   []*gKV      `parser:"( 'with' '(' ( @@ ( ',' @@ )* )? ')' )?"`
}

type gRange struct {
	at
	Name *gName `parser:"'range' @@"`
	From *gExpr `parser:"'from' @@"`
	To   *gExpr `parser:"'to' @@"`
	Step *gExpr `parser:"'step' @@"`
}

type gPrint struct {
	at
	Cols []*gColumn `parser:"'print' ( @@ ( ',' @@ )* )?"`
}

type gSearch struct {
	at
	Kind   *gKindProp    `parser:"'search' @@?"`
	Tables []*gUnionItem `parser:"( 'in' '(' @@ ( ',' @@ )* ')' )?"`
	Pred   *gPred        `parser:"@@"`
}

// ---- scalar expressions

// gStrLit is one or more adjacent string literals, which KQL concatenates.
type gStrLit struct {
	at
	Parts []string `parser:"@String+"`
}

type gCall struct {
	at
	Fun  *gCallName `parser:"@@ '('"`
	Args []*gArg    `parser:"( @@ ( ',' @@ )* )? ')'"`
}

type gArg struct {
	at
	Star  bool   `parser:"  @'*'"`
	Name  *gName `parser:"| ( @@ '=' )?"`
	Value *gPipe `parser:"  @@"`
}

type gColDecl struct {
	at
	Name *gNameAny `parser:"@@ ':'"`
	Type *gNameAny `parser:"@@"`
}

// ---- properties (name=value before an operator's arguments)

type gPropValue struct {
	at
	Sign     string   `parser:"@( '-' | '+' )?"`
	Str      *gStrLit `parser:"( @@"`
	Int      string   `parser:"| @Int"`
	Real     string   `parser:"| @Real"`
	Timespan string   `parser:"| @Timespan"`
	Bool     string   `parser:"| @Bool"`
	Name     string   `parser:"| @( Ident | Keyword ) )"`
}

type gHintProp struct {
	at
	Name  string      `parser:"@( 'hint' '.' ( Ident | Keyword ) ) '='"`
	Value *gPropValue `parser:"@@"`
}

type gJoinProp struct {
	at
	Name  string      `parser:"@( 'kind' | 'hint' '.' ( Ident | Keyword ) ) '='"`
	Value *gPropValue `parser:"@@"`
}

type gKindProp struct {
	at
	Name  string      `parser:"@'kind' '='"`
	Value *gPropValue `parser:"@@"`
}

type gUnionProp struct {
	at
	Name  string      `parser:"@( 'kind' | 'withsource' | 'isfuzzy'"`
	Hint  string      `parser:"  | 'hint' '.' ( Ident | Keyword ) ) '='"`
	Value *gPropValue `parser:"@@"`
}

type gMvProp struct {
	at
	Name  string      `parser:"@( 'kind' | 'bagexpansion' | 'with_itemindex' ) '='"`
	Value *gPropValue `parser:"@@"`
}

type gParseProp struct {
	at
	Name  string      `parser:"@( 'kind' | 'flags' ) '='"`
	Value *gPropValue `parser:"@@"`
}

// gKV is name = expression, as in render's and externaldata's with (...).
// A value may be a list (ycolumns = a, b); an item followed by '=' starts
// the next property instead.
type gKV struct {
	at
	Name  *gNameAny   `parser:"@@ '='"`
	Value *gExpr      `parser:"@@"`
	More  []*gNameAny `parser:"( ',' @@ (?! '=' ) )*"`
}

// gPattern is a column name that may hold * wildcards (Sec*, *Id). It is
// Parseable because its parts must touch: `a* asc` is a pattern and an
// order, not the pattern `a*asc`.
type gPattern struct {
	at
	Text      string
	Bracketed bool
}

// ---- tabular operators

type gOp struct {
	at
	Where          *gWhere          `parser:"  @@"`
	Extend         *gExtend         `parser:"| @@"`
	Project        *gProject        `parser:"| @@"`
	Summarize      *gSummarize      `parser:"| @@"`
	Join           *gJoin           `parser:"| @@"`
	Distinct       *gDistinct       `parser:"| @@"`
	Sort           *gSort           `parser:"| @@"`
	ProjectReorder *gProjectReorder `parser:"| @@"`
	MvExpand       *gMvExpand       `parser:"| @@"`
	Parse          *gParse          `parser:"| @@"`
	Render         *gRender         `parser:"| @@"`
	Top            *gTop            `parser:"| @@"`
	ProjectAway    *gProjectAway    `parser:"| @@"`
	ProjectKeep    *gProjectKeep    `parser:"| @@"`
	ProjectByNames *gProjectByNames `parser:"| @@"`
	ProjectRename  *gProjectRename  `parser:"| @@"`
	Union          *gUnionOp        `parser:"| @@"`
	Invoke         *gInvoke         `parser:"| @@"`
	Evaluate       *gEvaluate       `parser:"| @@"`
	Take           *gTake           `parser:"| @@"`
	MvApply        *gMvApply        `parser:"| @@"`
	Lookup         *gLookup         `parser:"| @@"`
	MakeSeries     *gMakeSeries     `parser:"| @@"`
	ParseKv        *gParseKv        `parser:"| @@"`
	Search         *gSearch         `parser:"| @@"`
	Serialize      *gSerialize      `parser:"| @@"`
	As             *gAs             `parser:"| @@"`
	Count          bool             `parser:"| @'count'"`
	GetSchema      bool             `parser:"| @'getschema'"`
	Sample         *gSample         `parser:"| @@"`
	TopNested      *gTopNested      `parser:"| @@"`
	Partition      *gPartition      `parser:"| @@"`
	Scan           *gScan           `parser:"| @@"`
	TopHitters     *gTopHitters     `parser:"| @@"`
	Consume        *gConsume        `parser:"| @@"`
	Facet          *gFacet          `parser:"| @@"`
	Fork           *gFork           `parser:"| @@"`
	Reduce         *gReduce         `parser:"| @@"`
}

// gReduce is reduce [kind=source] by X [with threshold=T, characters=C].
type gReduce struct {
	at
	Kind  *gKindProp `parser:"'reduce' @@?"`
	By    *gExpr     `parser:"'by' @@"`
	Props []*gKV     `parser:"( 'with' @@ ( ',' @@ )* )?"`
}

// gTopHitters is top-hitters N of Column [by Sum].
type gTopHitters struct {
	at
	Count *gExpr   `parser:"'top-hitters' @@"`
	Of    *gColumn `parser:"'of' @@"`
	By    *gExpr   `parser:"( 'by' @@ )?"`
}

// gConsume is consume [decodeblocks=true] and the like.
type gConsume struct {
	at
	Props []*gKV `parser:"'consume' @@*"`
}

// gFacet is facet by Columns [with (subquery)].
type gFacet struct {
	at
	By   []*gColumn `parser:"'facet' 'by' @@ ( ',' @@ )*"`
	With *gSubquery `parser:"( 'with' '(' @@ ')' )?"`
}

// gFork is fork followed by one or more [Name =] (subquery).
type gFork struct {
	at
	Legs []*gForkLeg `parser:"'fork' @@+"`
}

type gForkLeg struct {
	at
	Name *gNameAny  `parser:"( @@ '=' )?"`
	Sub  *gSubquery `parser:"'(' @@ ')'"`
}

// gScan is scan [with_match_id=Id] [declare (params)] with (steps).
type gScan struct {
	at
	MatchID *gName       `parser:"'scan' ( 'with_match_id' '=' @@ )?"`
	Declare []*gParam    `parser:"( 'declare' '(' @@ ( ',' @@ )* ')' )?"`
	Steps   []*gScanStep `parser:"'with' '(' @@+ ')'"`
}

// gScanStep is step Name [output=all|last|none]: Pred [=> assignments];
type gScanStep struct {
	at
	Name    *gNameAny  `parser:"'step' @@"`
	Output  *gNameAny  `parser:"( 'output' '=' @@ )?"`
	Pred    *gExpr     `parser:"':' @@"`
	Assigns []*gColumn `parser:"( '=>' @@ ( ',' @@ )* )? ';'?"`
}

// gWhere accepts the legacy `where Name = X`, which Kusto reads as
// Name == X (only at the top of the predicate).
type gWhere struct {
	at
	Eq   *gWhereEq `parser:"( 'where' | 'filter' ) @@?"`
	Pred *gPred    `parser:"@@"`
}

type gWhereEq struct {
	at
	Name *gName `parser:"@@ '='"`
}

type gExtend struct {
	at
	Cols []*gColumn `parser:"'extend' @@ ( ',' @@ )*"`
}

type gProject struct {
	at
	Cols []*gColumn `parser:"'project' @@ ( ',' @@ )*"`
}

type gProjectAway struct {
	at
	Cols []*gPattern `parser:"'project-away' ( @@ ( ',' @@ )* )?"`
}

type gProjectKeep struct {
	at
	Cols []*gPattern `parser:"'project-keep' ( @@ ( ',' @@ )* )?"`
}

// gProjectByNames is project-by-names Spec, ...; each spec is an expression
// (a name as a string, a dynamic array of names, column_names_of(T)) that
// the engine evaluates while binding.
type gProjectByNames struct {
	at
	Cols []*gExpr `parser:"'project-by-names' @@ ( ',' @@ )*"`
}

type gProjectRename struct {
	at
	Cols []*gRename `parser:"'project-rename' @@ ( ',' @@ )*"`
}

// gRename is New = Old. The parser also takes a bare name, as Microsoft's
// does; the binder then reports the missing assignment.
type gRename struct {
	at
	New *gNameAny `parser:"@@"`
	Old *gNameAny `parser:"( '=' @@ )?"`
}

type gProjectReorder struct {
	at
	Cols []*gReorderItem `parser:"'project-reorder' @@ ( ',' @@ )*"`
}

type gSummarize struct {
	at
	Props []*gHintProp `parser:"'summarize' @@*"`
	Aggs  []*gColumn   `parser:"( @@ ( ',' @@ )* )?"`
	By    []*gColumn   `parser:"( 'by' @@ ( ',' @@ )* )?"`
}

type gDistinct struct {
	at
	Star bool       `parser:"'distinct' ( @'*'"`
	Cols []*gColumn `parser:"| @@ ( ',' @@ )* )"`
}

type gMvExpand struct {
	at
	Name  string     `parser:"@( 'mv-expand' | 'mvexpand' )"`
	Props []*gMvProp `parser:"@@*"`
	Items []*gMvItem `parser:"@@ ( ',' @@ )*"`
	Limit *gExpr     `parser:"( 'limit' @@ )?"`
}

type gUnionOp struct {
	at
	Props  []*gUnionProp `parser:"'union' @@*"`
	Tables []*gUnionItem `parser:"@@ ( ',' @@ )*"`
}

type gTake struct {
	at
	Name  string `parser:"@( 'take' | 'limit' )"`
	Count *gExpr `parser:"@@"`
}

type gSort struct {
	at
	Name string      `parser:"@( 'sort' | 'order' ) 'by'"`
	Keys []*gSortKey `parser:"@@ ( ',' @@ )*"`
}

type gTop struct {
	at
	Count *gExpr      `parser:"'top' @@ 'by'"`
	Keys  []*gSortKey `parser:"@@ ( ',' @@ )*"`
}

type gAs struct {
	at
	Props []*gHintProp `parser:"'as' @@*"`
	Name  *gName       `parser:"@@"`
}

type gJoin struct {
	at
	Props []*gJoinProp `parser:"'join' @@*"`
	Right *gJoinRight  `parser:"@@"`
	On    []*gExpr     `parser:"'on' @@ ( ',' @@ )*"`
}

type gLookup struct {
	at
	Props []*gJoinProp `parser:"'lookup' @@*"`
	Right *gJoinRight  `parser:"@@"`
	On    []*gExpr     `parser:"'on' @@ ( ',' @@ )*"`
}

type gJoinRight struct {
	at
	Paren *gPipe `parser:"  '(' @@ ')'"`
	Call  *gCall `parser:"| @@"`
	Name  *gName `parser:"| @@"`
}

type gMvApply struct {
	at
	Props []*gMvProp `parser:"'mv-apply' @@*"`
	Items []*gMvItem `parser:"@@ ( ',' @@ )*"`
	Limit *gExpr     `parser:"( 'limit' @@ )?"`
	Sub   *gSubquery `parser:"'on' '(' @@ ')'"`
}

// gSubquery is mv-apply's body: operators with no source before the first.
type gSubquery struct {
	at
	Ops []*gOp `parser:"@@ ( '|' @@ )*"`
}

type gParse struct {
	at
	Name    string        `parser:"@( 'parse' | 'parse-where' )"`
	Props   []*gParseProp `parser:"@@*"`
	X       *gExpr        `parser:"@@ 'with'"`
	Pattern []*gPatItem   `parser:"@@+"`
}

type gPatItem struct {
	at
	Str  *gStrLit  `parser:"  @@"`
	Star bool      `parser:"| @'*'"`
	Name *gNameAny `parser:"| @@"`
	Type *gNameAny `parser:"  ( ':' @@ )?"`
}

type gSerialize struct {
	at
	Cols []*gColumn `parser:"'serialize' ( @@ ( ',' @@ )* )?"`
}

type gRender struct {
	at
	Chart *gNameAny `parser:"'render' @@"`
	Props []*gKV    `parser:"( 'with' '(' ( @@ ( ',' @@ )* )? ')' )?"`
}

type gEvaluate struct {
	at
	Props  []*gHintProp  `parser:"'evaluate' @@*"`
	Plugin *gCall        `parser:"@@"`
	Schema []*gSchemaCol `parser:"( ':' '(' @@ ( ',' @@ )* ')' )?"`
}

// gSchemaCol is name:type, or * for the plugin's other columns.
type gSchemaCol struct {
	at
	Star bool      `parser:"  @'*'"`
	Col  *gColDecl `parser:"| @@"`
}

// gPartition is partition [hints] by Column (subquery) or { query }.
type gPartition struct {
	at
	Props []*gHintProp `parser:"'partition' @@*"`
	By    *gNameAny    `parser:"'by' @@"`
	Sub   *gSubquery   `parser:"( '(' @@ ')'"`
	Query *gPipe       `parser:"| '{' @@ '}' )"`
}

type gInvoke struct {
	at
	Call *gCall `parser:"'invoke' @@"`
}

type gSample struct {
	at
	Count    *gExpr   `parser:"( 'sample' @@"`
	Distinct *gExpr   `parser:"| 'sample-distinct' @@"`
	Of       *gColumn `parser:"  'of' @@ )"`
}

type gMakeSeries struct {
	at
	Props  []*gJoinProp `parser:"'make-series' @@*"`
	Aggs   []*gMsAgg    `parser:"@@ ( ',' @@ )*"`
	On     *gExpr       `parser:"'on' @@"`
	InFrom *gExpr       `parser:"( 'in' 'range' '(' @@ ','"`
	InTo   *gExpr       `parser:"  @@ ','"`
	InStep *gExpr       `parser:"  @@ ')'"`
	From   *gExpr       `parser:"| ( 'from' @@ )?"`
	To     *gExpr       `parser:"  ( 'to' @@ )?"`
	Step   *gExpr       `parser:"  'step' @@ )"`
	By     []*gColumn   `parser:"( 'by' @@ ( ',' @@ )* )?"`
}

type gMsAgg struct {
	at
	Col     *gColumn `parser:"@@"`
	Default *gExpr   `parser:"( 'default' '=' @@ )?"`
}

type gParseKv struct {
	at
	X     *gExpr      `parser:"'parse-kv' @@ 'as'"`
	Cols  []*gColDecl `parser:"'(' @@ ( ',' @@ )* ')'"`
	Props []*gKV      `parser:"( 'with' '(' ( @@ ( ',' @@ )* )? ')' )?"`
}

type gTopNested struct {
	at
	Levels []*gTopNestedLevel `parser:"@@ ( ',' @@ )*"`
}

type gTopNestedLevel struct {
	at
	Count  *gExpr   `parser:"'top-nested' @@?"`
	Of     *gColumn `parser:"'of' @@"`
	Others *gExpr   `parser:"( 'with' 'others' '=' @@ )?"`
	By     *gColumn `parser:"'by' @@"`
	Order  string   `parser:"@( 'asc' | 'desc' )?"`
}
