package parser

// lowerOp lowers one tabular operator; it is a flat switch over gOp's
// alternatives, each a few lines.
func lowerOp(g *gOp) Operator {
	sp := g.span()
	switch {
	case g.Where != nil:
		return &WhereOp{Span: sp, Pred: lowerWherePred(g.Where)}
	case g.Extend != nil:
		return &ExtendOp{Span: sp, Cols: lowerColumns(g.Extend.Cols)}
	case g.Project != nil:
		return &ProjectOp{Span: sp, Cols: lowerColumns(g.Project.Cols)}
	case g.Summarize != nil:
		s := g.Summarize
		return &SummarizeOp{Span: sp, Params: lowerHintProps(s.Props), Aggs: lowerColumns(s.Aggs),
			By: lowerColumns(s.By)}
	case g.Join != nil:
		j := g.Join
		return &JoinOp{Span: sp, Params: lowerJoinProps(j.Props), Right: lowerJoinRight(j.Right),
			On: lowerExprs(j.On)}
	case g.Lookup != nil:
		j := g.Lookup
		return &LookupOp{Span: sp, Params: lowerJoinProps(j.Props), Right: lowerJoinRight(j.Right),
			On: lowerExprs(j.On)}
	case g.Distinct != nil:
		if g.Distinct.Star {
			return &DistinctOp{Span: sp, Cols: []Expr{&StarExpr{Span: starSpan(g.Distinct.at)}}}
		}
		return &DistinctOp{Span: sp, Cols: lowerColumns(g.Distinct.Cols)}
	case g.Sort != nil:
		return &SortOp{Span: sp, Name: g.Sort.Name, By: lowerSortKeys(g.Sort.Keys)}
	case g.Top != nil:
		return &TopOp{Span: sp, Count: lowerExpr(g.Top.Count), By: lowerSortKeys(g.Top.Keys)}
	case g.Take != nil:
		return &TakeOp{Span: sp, Name: g.Take.Name, Count: lowerExpr(g.Take.Count)}
	case g.Count:
		return &CountOp{Span: sp}
	case g.GetSchema:
		return &GetSchemaOp{Span: sp}
	}
	return lowerOp2(g, sp)
}

func lowerOp2(g *gOp, sp Span) Operator {
	switch {
	case g.ProjectAway != nil:
		return &ProjectAwayOp{Span: sp, Cols: lowerPatterns(g.ProjectAway.Cols)}
	case g.ProjectKeep != nil:
		return &ProjectKeepOp{Span: sp, Cols: lowerPatterns(g.ProjectKeep.Cols)}
	case g.ProjectByNames != nil:
		return &ProjectByNamesOp{Span: sp, Cols: lowerExprs(g.ProjectByNames.Cols)}
	case g.ProjectRename != nil:
		op := &ProjectRenameOp{Span: sp}
		for _, r := range g.ProjectRename.Cols {
			named := &NamedExpr{Span: r.span(), Names: []*Ident{lowerNameAny(r.New)}}
			if r.Old != nil {
				named.Value = lowerNameAny(r.Old)
			}
			op.Cols = append(op.Cols, named)
		}
		return op
	case g.ProjectReorder != nil:
		op := &ProjectReorderOp{Span: sp}
		for _, r := range g.ProjectReorder.Cols {
			op.Cols = append(op.Cols, r.Item)
		}
		return op
	case g.MvExpand != nil:
		m := g.MvExpand
		props, index := lowerMvProps(m.Props)
		return &MvExpandOp{Span: sp, Name: m.Name, Params: props, Items: lowerMvItems(m.Items),
			ItemIndex: index, Limit: optExpr(m.Limit)}
	case g.MvApply != nil:
		m := g.MvApply
		props, index := lowerMvProps(m.Props)
		return &MvApplyOp{Span: sp, Params: props, Items: lowerMvItems(m.Items), ItemIndex: index,
			Limit: optExpr(m.Limit), Subquery: lowerSubquery(m.Sub)}
	case g.Union != nil:
		u := g.Union
		return &UnionOp{Span: sp, Params: lowerUnionProps(u.Props), Tables: lowerUnionItems(u.Tables)}
	case g.As != nil:
		return &AsOp{Span: sp, Params: lowerHintProps(g.As.Props), Name: lowerName(g.As.Name)}
	case g.Sample != nil && g.Sample.Distinct != nil:
		return &SampleDistinctOp{Span: sp, Count: lowerExpr(g.Sample.Distinct), Of: lowerColumn(g.Sample.Of)}
	case g.Sample != nil:
		return &SampleOp{Span: sp, Count: lowerExpr(g.Sample.Count)}
	case g.Serialize != nil:
		return &SerializeOp{Span: sp, Cols: lowerColumns(g.Serialize.Cols)}
	}
	return lowerOp3(g, sp)
}

func lowerOp3(g *gOp, sp Span) Operator {
	switch {
	case g.Parse != nil:
		p := g.Parse
		return &ParseOp{Span: sp, Name: p.Name, Params: lowerParseProps(p.Props), X: lowerExpr(p.X),
			Pattern: lowerPatItems(p.Pattern)}
	case g.Render != nil:
		return &RenderOp{Span: sp, Chart: lowerNameAny(g.Render.Chart), Params: lowerKVs(g.Render.Props)}
	case g.Evaluate != nil:
		e := g.Evaluate
		return &EvaluateOp{Span: sp, Params: lowerHintProps(e.Props), Plugin: lowerCall(e.Plugin),
			Schema: lowerSchema(e.Schema)}
	case g.Partition != nil:
		return lowerPartition(g.Partition, sp)
	case g.Scan != nil:
		return lowerScan(g.Scan, sp)
	case g.Reduce != nil:
		r := g.Reduce
		return &ReduceOp{Span: sp, Params: append(kindProp(r.Kind), lowerKVs(r.Props)...), By: lowerExpr(r.By)}
	case g.Invoke != nil:
		return &InvokeOp{Span: sp, Call: lowerCall(g.Invoke.Call)}
	case g.MakeSeries != nil:
		return lowerMakeSeries(g.MakeSeries, sp)
	case g.ParseKv != nil:
		p := g.ParseKv
		return &ParseKvOp{Span: sp, X: lowerExpr(p.X), Columns: lowerColDecls(p.Cols),
			Params: lowerKVs(p.Props)}
	case g.Search != nil:
		s := g.Search
		return &SearchOp{Span: sp, Params: kindProp(s.Kind), Tables: lowerUnionItems(s.Tables),
			Pred: s.Pred.X}
	case g.TopNested != nil:
		return lowerTopNested(g.TopNested, sp)
	case g.TopHitters != nil:
		h := g.TopHitters
		return &TopHittersOp{Span: sp, Count: lowerExpr(h.Count), Of: lowerColumn(h.Of), By: lowerOptExpr(h.By)}
	case g.Consume != nil:
		return &ConsumeOp{Span: sp, Params: lowerKVs(g.Consume.Props)}
	case g.Facet != nil:
		op := &FacetOp{Span: sp, By: lowerColumns(g.Facet.By)}
		if g.Facet.With != nil {
			op.With = lowerSubquery(g.Facet.With)
		}
		return op
	case g.Fork != nil:
		return lowerFork(g.Fork, sp)
	}
	panic("parser: operator alternative without lowering")
}

// lowerWherePred lowers the predicate; the legacy `where Name = X` becomes
// Name == X.
func lowerWherePred(g *gWhere) Expr {
	x := g.Pred.X
	if g.Eq == nil {
		return x
	}
	name := lowerName(g.Eq.Name)
	eq := g.Eq.end()
	return &BinaryExpr{Span: Span{name.Start, x.Pos().End}, Op: "==", OpSpan: Span{eq - 1, eq},
		X: name, Y: x}
}

func lowerPartition(g *gPartition, sp Span) *PartitionOp {
	op := &PartitionOp{Span: sp, Params: lowerHintProps(g.Props), By: lowerNameAny(g.By)}
	if g.Sub != nil {
		op.Subquery = lowerSubquery(g.Sub)
	} else {
		op.Query = lowerPipe(g.Query)
	}
	return op
}

func lowerScan(g *gScan, sp Span) *ScanOp {
	op := &ScanOp{Span: sp, Declare: lowerParams(g.Declare)}
	if g.MatchID != nil {
		op.MatchID = lowerName(g.MatchID)
	}
	for _, s := range g.Steps {
		step := &ScanStep{Span: s.span(), Name: lowerNameAny(s.Name), Pred: lowerExpr(s.Pred),
			Assigns: lowerColumns(s.Assigns)}
		if s.Output != nil {
			step.Output = s.Output.Ident
		}
		op.Steps = append(op.Steps, step)
	}
	return op
}

// lowerSchema lowers evaluate's output schema; a * item becomes a
// ColumnDecl named "*" with no type.
func lowerSchema(gs []*gSchemaCol) []*ColumnDecl {
	var out []*ColumnDecl
	for _, g := range gs {
		if g.Star {
			out = append(out, &ColumnDecl{Span: g.span(), Name: &Ident{Span: g.span(), Name: "*"}})
			continue
		}
		out = append(out, lowerColDecls([]*gColDecl{g.Col})...)
	}
	return out
}

// starSpan is the span of the * after `distinct`.
func starSpan(a at) Span {
	return Span{a.end() - 1, a.end()}
}

func optExpr(g *gExpr) Expr {
	if g == nil {
		return nil
	}
	return lowerExpr(g)
}

func lowerJoinRight(g *gJoinRight) Expr {
	switch {
	case g.Paren != nil:
		return lowerTable(g.Paren)
	case g.Call != nil:
		return lowerCall(g.Call)
	}
	return lowerName(g.Name)
}

func lowerSortKeys(gs []*gSortKey) []*SortKey {
	out := make([]*SortKey, len(gs))
	for i, g := range gs {
		out[i] = g.Key
	}
	return out
}

func lowerMvItems(gs []*gMvItem) []*MvExpandItem {
	out := make([]*MvExpandItem, len(gs))
	for i, g := range gs {
		out[i] = g.Item
	}
	return out
}

func lowerSubquery(g *gSubquery) *PipeExpr {
	p := &PipeExpr{Span: g.span()}
	for _, op := range g.Ops {
		p.Ops = append(p.Ops, lowerOp(op))
	}
	return p
}

func lowerPatItems(gs []*gPatItem) []Expr {
	out := make([]Expr, len(gs))
	for i, g := range gs {
		switch {
		case g.Str != nil:
			out[i] = &Literal{Span: g.span(), Kind: LitString, Text: strLitText(g.Str.Parts)}
		case g.Star:
			out[i] = &StarExpr{Span: g.span()}
		default:
			c := &ParseCapture{Span: g.span(), Name: lowerNameAny(g.Name)}
			if g.Type != nil {
				c.Type = lowerNameAny(g.Type)
			}
			out[i] = c
		}
	}
	return out
}

func lowerMakeSeries(g *gMakeSeries, sp Span) *MakeSeriesOp {
	op := &MakeSeriesOp{Span: sp, Params: lowerJoinProps(g.Props), On: lowerExpr(g.On),
		By: lowerColumns(g.By)}
	for _, a := range g.Aggs {
		agg := &MakeSeriesAgg{Span: a.span(), X: lowerColumn(a.Col), Default: optExpr(a.Default)}
		op.Aggs = append(op.Aggs, agg)
	}
	if g.InStep != nil {
		op.From, op.To, op.Step = lowerExpr(g.InFrom), lowerExpr(g.InTo), lowerExpr(g.InStep)
		op.InRange = true
		return op
	}
	op.From, op.To, op.Step = optExpr(g.From), optExpr(g.To), lowerExpr(g.Step)
	return op
}

func lowerTopNested(g *gTopNested, sp Span) *TopNestedOp {
	op := &TopNestedOp{Span: sp}
	for _, l := range g.Levels {
		op.Levels = append(op.Levels, &TopNestedLevel{Span: l.span(), Count: optExpr(l.Count),
			Of: lowerColumn(l.Of), Others: optExpr(l.Others), By: lowerColumn(l.By), Order: l.Order})
	}
	return op
}

func lowerFork(g *gFork, sp Span) *ForkOp {
	op := &ForkOp{Span: sp}
	for _, l := range g.Legs {
		leg := &ForkLeg{Span: l.span(), Subquery: lowerSubquery(l.Sub)}
		if l.Name != nil {
			leg.Name = lowerNameAny(l.Name)
		}
		op.Legs = append(op.Legs, leg)
	}
	return op
}

// lowerOptExpr lowers an optional expression: nil stays nil.
func lowerOptExpr(g *gExpr) Expr {
	if g == nil {
		return nil
	}
	return lowerExpr(g)
}
