package parser

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// firstOp parses src and returns the first operator of its pipe.
func firstOp(t *testing.T, src string) Operator {
	t.Helper()
	s, err := Parse(src)
	require.NoError(t, err, src)
	return s.Stmts[0].(*ExprStmt).X.(*PipeExpr).Ops[0]
}

// TestTopHittersConsumeFacetFork checks the AST, with spans, of the
// operators kql parses but does not run yet; the binder refuses each by
// its OpName.
func TestTopHittersConsumeFacetFork(t *testing.T) {
	th := firstOp(t, "T | top-hitters 5 of Name by Bytes").(*TopHittersOp)
	assert.Equal(t, Span{4, 34}, th.Span)
	assert.Equal(t, "top-hitters", th.OpName())
	assert.Equal(t, "Name", th.Of.(*Ident).Name)
	assert.Equal(t, Span{29, 34}, th.By.Pos())
	assert.Nil(t, firstOp(t, "T | top-hitters 5 of Name").(*TopHittersOp).By)

	c := firstOp(t, "T | consume decodeblocks=true").(*ConsumeOp)
	assert.Equal(t, Span{4, 29}, c.Span)
	require.Len(t, c.Params, 1)
	assert.Equal(t, "decodeblocks", c.Params[0].Name.Name)
	assert.Empty(t, firstOp(t, "T | consume").(*ConsumeOp).Params)

	f := firstOp(t, "T | facet by a, b with (take 3)").(*FacetOp)
	assert.Equal(t, Span{4, 31}, f.Span)
	assert.Len(t, f.By, 2)
	require.NotNil(t, f.With)
	assert.Len(t, f.With.Ops, 1)

	fk := firstOp(t, "T | fork x = (take 1) (where a > 1 | count)").(*ForkOp)
	assert.Equal(t, Span{4, 43}, fk.Span)
	require.Len(t, fk.Legs, 2)
	assert.Equal(t, "x", fk.Legs[0].Name.Name)
	assert.Equal(t, Span{9, 21}, fk.Legs[0].Span)
	assert.Nil(t, fk.Legs[1].Name)
	assert.Len(t, fk.Legs[1].Subquery.Ops, 2)
}

// TestReduce checks the AST of reduce with and without its options.
func TestReduce(t *testing.T) {
	r := firstOp(t, `T | reduce by Msg with threshold=0.35, characters="-"`).(*ReduceOp)
	assert.Equal(t, Span{4, 53}, r.Span)
	assert.Equal(t, "reduce", r.OpName())
	assert.Equal(t, "Msg", r.By.(*Ident).Name)
	require.Len(t, r.Params, 2)
	assert.Equal(t, "characters", r.Params[1].Name.Name)
	r = firstOp(t, "T | reduce kind=source by Msg").(*ReduceOp)
	require.Len(t, r.Params, 1)
	assert.Equal(t, "kind", r.Params[0].Name.Name)
}

// TestDottedCall checks that X.f(args) parses as a call of f whose first
// argument is X, spanning from X to the closing parenthesis.
func TestDottedCall(t *testing.T) {
	s, err := Parse("cluster('c').database('d').Events")
	require.NoError(t, err)
	m := s.Stmts[0].(*ExprStmt).X.(*MemberExpr)
	assert.Equal(t, "Events", m.Name.Name)
	db := m.X.(*CallExpr)
	assert.Equal(t, "database", db.Fun.Name)
	assert.Equal(t, Span{0, 26}, db.Span)
	require.Len(t, db.Args, 2)
	assert.Equal(t, "cluster", db.Args[0].(*CallExpr).Fun.Name)
}
