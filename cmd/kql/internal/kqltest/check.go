package kqltest

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// problems collects why a result does not meet an expectation: a one-line
// summary of each (joined, they are the JUnit failure message) and the
// detail lines printed under the FAIL line.
type problems struct {
	summaries []string
	detail    strings.Builder
}

func (p *problems) add(summary string) {
	p.summaries = append(p.summaries, summary)
}

func (p *problems) linef(format string, args ...any) {
	fmt.Fprintf(&p.detail, "    "+format+"\n", args...)
}

func (p *problems) ok() bool { return len(p.summaries) == 0 }

func (p *problems) summary() string { return strings.Join(p.summaries, "; ") }

// view is a result table without its ignored columns.
type view struct {
	t    *tables.Table
	cols []int // the kept columns' indexes in t
}

func newView(t *tables.Table, ignore []string) view {
	v := view{t: t}
	for c, f := range t.Schema {
		if !ignored(ignore, f.Name) {
			v.cols = append(v.cols, c)
		}
	}
	return v
}

func (v view) names() []string {
	out := make([]string, len(v.cols))
	for i, c := range v.cols {
		out[i] = v.t.Schema[c].Name
	}
	return out
}

// ignored reports whether a column is left out of the comparison:
// ignore_columns holds names and glob patterns ("Last*").
func ignored(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, name); ok || p == name {
			return true
		}
	}
	return false
}

// checkResult compares a result with a case's expectation.
func checkResult(e *Expect, t *tables.Table, limit int) *problems {
	p := &problems{}
	v := newView(t, e.Ignore)
	if e.Error != nil {
		p.add(fmt.Sprintf("expected an error containing %q, but the query returned %s",
			e.Error.Message, plural(t.Rows(), "row")))
		return p
	}
	if e.HasColumns {
		checkColumns(p, e.Columns, v)
	}
	if e.Count != nil && *e.Count != t.Rows() {
		p.add(fmt.Sprintf("expected %s, got %d", plural(*e.Count, "row"), t.Rows()))
		p.linef("row count: expected %d, got %d", *e.Count, t.Rows())
	}
	if e.HasRows {
		checkRows(p, e, v, limit)
	}
	return p
}

// checkColumns compares the result's column names, and the types where the
// expectation gives them, in order.
func checkColumns(p *problems, want []Column, v view) {
	typed := false
	for _, c := range want {
		typed = typed || c.Type != ""
	}
	same := len(want) == len(v.cols)
	got := make([]string, len(v.cols))
	for i, c := range v.cols {
		f := v.t.Schema[c]
		got[i] = f.Name
		if typed {
			got[i] += ":" + f.Type.String()
		}
		if same && (want[i].Name != f.Name || (want[i].Type != "" && !sameType(want[i].Type, f.Type))) {
			same = false
		}
	}
	if same {
		return
	}
	exp := make([]string, len(want))
	for i, c := range want {
		exp[i] = c.Name
		if c.Type != "" {
			exp[i] += ":" + c.Type
		}
	}
	p.add("the columns differ")
	p.linef("columns differ:")
	p.linef("  expected: %s", strings.Join(exp, ", "))
	p.linef("  got:      %s", strings.Join(got, ", "))
}

func sameType(name string, t tables.Type) bool {
	want, ok := tables.ParseType(name)
	return ok && want == t
}

// checkRows compares the rows as a multiset (in order too with ordered),
// after checking that the expected rows and the result have the same
// columns.
func checkRows(p *problems, e *Expect, v view, limit int) {
	cmp, missing, extra := rowComparison(e, v)
	for _, name := range missing {
		p.add(fmt.Sprintf("no column %s in the result", name))
		p.linef("column %s: expected, but the result has no such column", name)
	}
	for _, name := range extra {
		p.add(fmt.Sprintf("unexpected column %s", name))
		p.linef("column %s: in the result but in no expected row "+
			"(list it in ignore_columns if it is not part of the contract)", name)
	}
	d := compareRows(cmp)
	if !d.Empty() {
		p.add(rowSummary(d))
		p.linef("rows: %d expected, %d in the result", len(e.Rows), v.t.Rows())
		d.write(&p.detail, "    ", testLabels, limit)
		return
	}
	if e.Ordered {
		checkOrder(p, d, len(e.Rows))
	}
}

// rowComparison pairs expected rows (left) with the result (right) over
// the result's columns that the expectation mentions. An expected row that
// lacks one of those columns expects null there.
func rowComparison(e *Expect, v view) (cmp comparison, missing, extra []string) {
	mentioned := map[string]bool{}
	var order []string
	for _, r := range e.Rows {
		for _, k := range r.Keys {
			if !mentioned[k] {
				mentioned[k] = true
				order = append(order, k)
			}
		}
	}
	inResult := map[string]bool{}
	var cols []int
	for _, c := range v.cols {
		name := v.t.Schema[c].Name
		inResult[name] = true
		switch {
		case mentioned[name]:
			cols = append(cols, c)
			cmp.columns = append(cmp.columns, name)
		case len(e.Rows) > 0:
			extra = append(extra, name)
		}
	}
	for _, k := range order {
		if !inResult[k] && !ignored(e.Ignore, k) {
			missing = append(missing, k)
		}
	}
	cell := func(l, c int) any { return e.Rows[l].Cells[cmp.columns[c]] }
	cmp.left = rowSource{rows: len(e.Rows), text: func(l, c int) string {
		return expectedJSON(cell(l, c))
	}}
	cmp.right = rowSource{rows: v.t.Rows(), text: func(r, c int) string {
		return cellJSON(v.t.Columns[cols[c]].Value(r))
	}}
	cmp.equal = func(l, r, c int) bool {
		return tables.MatchJSON(v.t.Columns[cols[c]].Value(r), cell(l, c))
	}
	return cmp, missing, extra
}

// checkOrder reports the first place where the rows, equal as a multiset,
// are not in the expected order.
func checkOrder(p *problems, d *RowDiff, n int) {
	for i := 0; i < n; i++ {
		if !d.rowsEqual(i, i) {
			p.add(fmt.Sprintf("the rows are not in the expected order (first at row %d)", i+1))
			p.linef("rows are the expected ones but not in the expected order; row %d:", i+1)
			p.linef("  expected: %s", d.rowText(d.cmp.left, i, nil))
			p.linef("  got:      %s", d.rowText(d.cmp.right, i, nil))
			return
		}
	}
}

func rowSummary(d *RowDiff) string {
	var parts []string
	if n := len(d.LeftOnly); n > 0 {
		parts = append(parts, fmt.Sprintf("%d missing", n))
	}
	if n := len(d.RightOnly); n > 0 {
		parts = append(parts, fmt.Sprintf("%d unexpected", n))
	}
	if n := len(d.Changed); n > 0 {
		parts = append(parts, fmt.Sprintf("%d changed", n))
	}
	return "rows differ: " + strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// checkError compares a query's failure with an expected error. Any of the
// errors reported matches when its message contains the expected text and
// it is at the expected line and column (when given).
func checkError(want *ExpectedError, q *Query, err error) *problems {
	p := &problems{}
	for _, got := range reportedErrors(q, err) {
		if strings.Contains(got.msg, want.Message) &&
			(want.Line == 0 || want.Line == got.line) && (want.Col == 0 || want.Col == got.col) {
			return p
		}
	}
	where := ""
	if want.Line != 0 {
		where = fmt.Sprintf(" at line %d", want.Line)
		if want.Col != 0 {
			where += fmt.Sprintf(", col %d", want.Col)
		}
	}
	p.add(fmt.Sprintf("expected an error containing %q%s; got another error", want.Message, where))
	p.linef("expected an error containing %q%s, got:", want.Message, where)
	for _, line := range strings.Split(q.describe(err), "\n") {
		p.linef("  %s", line)
	}
	return p
}

// reported is one error message with its position (zero when unknown).
type reported struct {
	msg       string
	line, col int
}

func reportedErrors(q *Query, err error) []reported {
	if list := queryErrors(err); len(list) > 0 {
		out := make([]reported, len(list))
		for i, e := range list {
			line, col := q.Position(e.Span.Start)
			out[i] = reported{msg: e.Msg, line: line, col: col}
		}
		return out
	}
	var de *tables.DataError
	if errors.As(err, &de) {
		return []reported{{msg: de.Msg, line: de.Line, col: de.Col}}
	}
	return []reported{{msg: err.Error()}}
}
