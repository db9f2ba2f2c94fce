package parser

// Inspect walks the tree rooted at n depth-first, in source order: it calls
// f(n) and, if f returns true, walks each child of n. The engine uses it to
// find the columns a query reads, the REPL to find names for completion.
// Unlike go/ast.Inspect, f is never called with nil.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, c := range children(n) {
		Inspect(c, f)
	}
}

// kids collects child nodes, skipping the absent ones (nil pointers).
type kids []Node

func (k *kids) expr(es ...Expr) {
	for _, e := range es {
		if e != nil {
			*k = append(*k, e)
		}
	}
}

func (k *kids) ident(is ...*Ident) {
	for _, i := range is {
		if i != nil {
			*k = append(*k, i)
		}
	}
}

func (k *kids) props(ps []*Property) {
	for _, p := range ps {
		*k = append(*k, p)
	}
}

func (k *kids) cols(cs []*ColumnDecl) {
	for _, c := range cs {
		*k = append(*k, c)
	}
}

// children returns n's direct children in source order. It is a flat
// switch over the node types: statements, expressions, then operators.
func children(n Node) []Node {
	var k kids
	switch n := n.(type) {
	case *Script:
		for _, s := range n.Stmts {
			k = append(k, s)
		}
	case *LetStmt:
		k.ident(n.Name)
		k.expr(n.Value)
	case *ExprStmt:
		k.expr(n.X)
	case *SetStmt:
		k.ident(n.Name)
		k.expr(n.Value)
	case *DeclareStmt:
		for _, p := range n.Params {
			k = append(k, p)
		}
	case *PatternStmt:
		k.ident(n.Name)
		for _, p := range n.Params {
			k = append(k, p)
		}
		if n.Path != nil {
			k = append(k, n.Path)
		}
		for _, r := range n.Rules {
			k = append(k, r)
		}
	case *PatternRule:
		k.expr(n.Args...)
		k.expr(n.Path, n.Body)
	case *Param:
		k.ident(n.Name, n.Type)
		k.cols(n.Columns)
		k.expr(n.Default)
	case *FuncLit:
		for _, p := range n.Params {
			k = append(k, p)
		}
		for _, s := range n.Body {
			k = append(k, s)
		}
	case *ColumnDecl:
		k.ident(n.Name, n.Type)
	case *Property:
		k.ident(n.Name)
		k.expr(n.Value)
	default:
		exprChildren(&k, n)
	}
	return k
}

func exprChildren(k *kids, n Node) {
	switch n := n.(type) {
	case *DynamicLit:
		k.expr(n.Value)
	case *ArrayLit:
		k.expr(n.Elems...)
	case *BagLit:
		k.expr(n.Values...)
	case *BinaryExpr:
		k.expr(n.X, n.Y)
	case *UnaryExpr:
		k.expr(n.X)
	case *InExpr:
		k.expr(n.X)
		k.expr(n.List...)
	case *BetweenExpr:
		k.expr(n.X, n.Lo, n.Hi)
	case *CallExpr:
		k.ident(n.Fun)
		k.expr(n.Args...)
	case *NamedExpr:
		k.ident(n.Names...)
		k.expr(n.Value)
	case *MemberExpr:
		k.expr(n.X)
		k.ident(n.Name)
	case *IndexExpr:
		k.expr(n.X, n.Index)
	case *ParenExpr:
		k.expr(n.X)
	case *TypeofExpr:
		k.ident(n.Type)
	case *ParseCapture:
		k.ident(n.Name, n.Type)
	default:
		tabularChildren(k, n)
	}
}

func tabularChildren(k *kids, n Node) {
	switch n := n.(type) {
	case *PipeExpr:
		k.expr(n.Source)
		for _, op := range n.Ops {
			*k = append(*k, op)
		}
	case *DatatableExpr:
		k.cols(n.Columns)
		k.expr(n.Values...)
	case *ExternalDataExpr:
		k.cols(n.Columns)
		k.expr(n.URIs...)
		k.props(n.Params)
	case *RangeExpr:
		k.ident(n.Name)
		k.expr(n.From, n.To, n.Step)
	case *PrintExpr:
		k.expr(n.Cols...)
	case *UnionExpr:
		k.props(n.Params)
		k.expr(n.Tables...)
	case *SearchExpr:
		k.props(n.Params)
		k.expr(n.Tables...)
		k.expr(n.Pred)
	case *FindExpr:
		k.props(n.Params)
		k.expr(n.Tables...)
		k.expr(n.Pred)
		k.expr(n.Project...)
	default:
		opChildren(k, n)
	}
}

func opChildren(k *kids, n Node) {
	switch n := n.(type) {
	case *WhereOp:
		k.expr(n.Pred)
	case *ExtendOp:
		k.expr(n.Cols...)
	case *ProjectOp:
		k.expr(n.Cols...)
	case *ProjectAwayOp:
		k.ident(n.Cols...)
	case *ProjectKeepOp:
		k.ident(n.Cols...)
	case *ProjectRenameOp:
		for _, c := range n.Cols {
			k.expr(c)
		}
	case *ProjectReorderOp:
		for _, c := range n.Cols {
			*k = append(*k, c)
		}
	case *ReorderItem:
		k.ident(n.Pattern)
	case *SummarizeOp:
		k.props(n.Params)
		k.expr(n.Aggs...)
		k.expr(n.By...)
	case *DistinctOp:
		k.expr(n.Cols...)
	case *SerializeOp:
		k.expr(n.Cols...)
	default:
		opChildren2(k, n)
	}
}

func opChildren2(k *kids, n Node) {
	switch n := n.(type) {
	case *MvExpandOp:
		k.props(n.Params)
		k.ident(n.ItemIndex)
		mvItems(k, n.Items)
		k.expr(n.Limit)
	case *MvApplyOp:
		k.props(n.Params)
		k.ident(n.ItemIndex)
		mvItems(k, n.Items)
		k.expr(n.Limit)
		if n.Subquery != nil {
			*k = append(*k, n.Subquery)
		}
	case *MvExpandItem:
		k.ident(n.Name)
		k.expr(n.X)
		k.ident(n.To)
	case *UnionOp:
		k.props(n.Params)
		k.expr(n.Tables...)
	case *TakeOp:
		k.expr(n.Count)
	case *SampleOp:
		k.expr(n.Count)
	case *SampleDistinctOp:
		k.expr(n.Count, n.Of)
	case *SortOp:
		sortKeys(k, n.By)
	case *TopOp:
		k.expr(n.Count)
		sortKeys(k, n.By)
	case *SortKey:
		k.expr(n.X)
	case *AsOp:
		k.props(n.Params)
		k.ident(n.Name)
	case *JoinOp:
		k.props(n.Params)
		k.expr(n.Right)
		k.expr(n.On...)
	case *LookupOp:
		k.props(n.Params)
		k.expr(n.Right)
		k.expr(n.On...)
	default:
		opChildren3(k, n)
	}
}

func opChildren3(k *kids, n Node) {
	switch n := n.(type) {
	case *ParseOp:
		k.props(n.Params)
		k.expr(n.X)
		k.expr(n.Pattern...)
	case *RenderOp:
		k.ident(n.Chart)
		k.props(n.Params)
	case *EvaluateOp:
		k.props(n.Params)
		if n.Plugin != nil {
			*k = append(*k, n.Plugin)
		}
		k.cols(n.Schema)
	case *InvokeOp:
		if n.Call != nil {
			*k = append(*k, n.Call)
		}
	case *SearchOp:
		k.props(n.Params)
		k.expr(n.Tables...)
		k.expr(n.Pred)
	case *MakeSeriesOp:
		k.props(n.Params)
		for _, a := range n.Aggs {
			*k = append(*k, a)
		}
		k.expr(n.On, n.From, n.To, n.Step)
		k.expr(n.By...)
	case *MakeSeriesAgg:
		k.expr(n.X, n.Default)
	case *ParseKvOp:
		k.expr(n.X)
		k.cols(n.Columns)
		k.props(n.Params)
	case *TopNestedOp:
		for _, l := range n.Levels {
			*k = append(*k, l)
		}
	case *TopNestedLevel:
		k.expr(n.Count, n.Of, n.Others, n.By)
	case *TopHittersOp:
		k.expr(n.Count, n.Of, n.By)
	case *ConsumeOp:
		k.props(n.Params)
	case *FacetOp:
		k.expr(n.By...)
		if n.With != nil {
			*k = append(*k, n.With)
		}
	case *ForkOp:
		for _, l := range n.Legs {
			*k = append(*k, l)
		}
	case *ForkLeg:
		k.ident(n.Name)
		*k = append(*k, n.Subquery)
	case *ProjectByNamesOp:
		k.expr(n.Cols...)
	case *ReduceOp:
		k.props(n.Params)
		k.expr(n.By)
	case *ScanOp:
		k.ident(n.MatchID)
		for _, p := range n.Declare {
			*k = append(*k, p)
		}
		for _, s := range n.Steps {
			*k = append(*k, s)
		}
	case *ScanStep:
		k.ident(n.Name)
		k.expr(n.Pred)
		k.expr(n.Assigns...)
	case *PartitionOp:
		k.props(n.Params)
		k.expr(n.By)
		if n.Subquery != nil {
			*k = append(*k, n.Subquery)
		}
		k.expr(n.Query)
	}
}

func mvItems(k *kids, items []*MvExpandItem) {
	for _, it := range items {
		*k = append(*k, it)
	}
}

func sortKeys(k *kids, keys []*SortKey) {
	for _, s := range keys {
		*k = append(*k, s)
	}
}
