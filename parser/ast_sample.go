package parser

// SampleDistinctOp is sample-distinct N of Column: N distinct values of
// the column.
type SampleDistinctOp struct {
	Span
	Count Expr
	Of    Expr
}

func (*SampleDistinctOp) opNode() {}

// OpName gives the operator's canonical name.
func (*SampleDistinctOp) OpName() string { return "sample-distinct" }
