package main

import (
	"fmt"
	"strings"

	"github.com/kql-offline/kql/parser"
)

// renderKind returns the chart kind of a query whose result ends in
// render (timechart, piechart ...), or "" when it has none. kql prints a
// rendered query's rows; the note says so rather than dropping the render
// without a word.
func renderKind(text string) string {
	if !strings.Contains(text, "render") {
		return "" // most queries: no second parse
	}
	script, err := parser.Parse(text)
	if err != nil {
		return ""
	}
	for i := len(script.Stmts) - 1; i >= 0; i-- {
		st, ok := script.Stmts[i].(*parser.ExprStmt)
		if !ok {
			continue
		}
		pipe, ok := st.X.(*parser.PipeExpr)
		if !ok || len(pipe.Ops) == 0 {
			return ""
		}
		if r, ok := pipe.Ops[len(pipe.Ops)-1].(*parser.RenderOp); ok && r.Chart != nil {
			return r.Chart.Name
		}
		return ""
	}
	return ""
}

// chart notes, in the table format only, that the result was meant to be
// drawn as a chart; json, jsonl and csv stay rows alone.
func (r *resultWriter) chart(kind string) error {
	if kind == "" || r.format != formatTable {
		return nil
	}
	return r.write([]byte(fmt.Sprintf("(render %s: kql prints the rows; it draws no chart)\n", kind)))
}
