package parser

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSampleDistinctAndLegacyMakeSeries checks the AST of sample-distinct
// and the flag that tells make-series's legacy `in range(...)` form apart.
func TestSampleDistinctAndLegacyMakeSeries(t *testing.T) {
	s, err := Parse("T | sample-distinct 5 of State | sample 2")
	require.NoError(t, err)
	ops := s.Stmts[0].(*ExprStmt).X.(*PipeExpr).Ops
	sd, ok := ops[0].(*SampleDistinctOp)
	require.True(t, ok)
	assert.Equal(t, "sample-distinct", sd.OpName())
	assert.Equal(t, "State", sd.Of.(*Ident).Name)
	assert.Equal(t, "5", sd.Count.(*Literal).Text)
	_, ok = ops[1].(*SampleOp)
	assert.True(t, ok)

	for src, legacy := range map[string]bool{
		"T | make-series count() on x in range(0, 10, 1)":  true,
		"T | make-series count() on x from 0 to 10 step 1": false,
	} {
		s, err := Parse(src)
		require.NoError(t, err)
		ms := s.Stmts[0].(*ExprStmt).X.(*PipeExpr).Ops[0].(*MakeSeriesOp)
		assert.Equal(t, legacy, ms.InRange, src)
		assert.NotNil(t, ms.To, src)
	}
}
