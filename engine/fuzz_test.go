package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// fuzzOptions keep each fuzzed query small: a mutated `range` or a join on
// a constant must fail fast, not spend the fuzzing time.
var fuzzOptions = engine.Options{Now: goldenNow, MaxOperatorRows: 20000}

// fuzzTimeout bounds one fuzzed query.
const fuzzTimeout = 2 * time.Second

// fuzzRun parses, binds and runs src. Errors the user could cause are
// fine; an internal error (a recovered panic) or a panic is a bug.
func fuzzRun(t *testing.T, src string, cat *engine.Catalog) (*tables.Table, error) {
	t.Helper()
	script, err := parser.Parse(src)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), fuzzTimeout)
	defer cancel()
	res, err := engine.Run(ctx, script, cat, fuzzOptions)
	var ie *engine.InternalError
	if errors.As(err, &ie) {
		t.Fatalf("internal error for %q: %v\n%s", src, ie, ie.Stack)
	}
	var list parser.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			if e.Phase == parser.PhaseInternal {
				t.Fatalf("internal error binding %q: %v", src, e)
			}
		}
	}
	var pe *parser.Error
	if errors.As(err, &pe) && pe.Phase == parser.PhaseInternal {
		t.Fatalf("internal error for %q: %v", src, pe)
	}
	return res, err
}

// FuzzEngineQuery runs any query text over the golden cases' tables and
// checks that nothing panics. Seeds are the golden queries.
//
//	go test ./engine -run XXX -fuzz FuzzEngineQuery -fuzztime 10m
func FuzzEngineQuery(f *testing.F) {
	cat := engine.NewCatalog()
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "golden", "*"))
	for _, dir := range dirs {
		if src, err := os.ReadFile(filepath.Join(dir, "query.kql")); err == nil {
			f.Add(string(src))
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.*json*"))
		csvs, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		for _, p := range append(files, csvs...) {
			if t, err := tables.LoadFile(p, tables.LoadOptions{}); err == nil {
				if _, dup := cat.Table(t.Name); !dup {
					cat.Add(t)
				}
			}
		}
	}
	f.Add("range x from 1 to 10 step 1 | summarize count() by x % 3")
	f.Add(`print d = dynamic({"a":[1,2,{"b":null}]}) | mv-expand d.a`)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4000 {
			return
		}
		fuzzRun(t, src, cat)
	})
}

// FuzzEngineEquivalence builds a small random table and random predicates
// from the fuzzer's bytes, runs equivalent forms of a query and checks that
// they agree:
//
//	T | where P and Q            ==  T | where P | where Q
//	T | take n                   has min(n, rows) rows
//	T | count                    ==  T | summarize count()
//	T | summarize count() by b | summarize sum(count_)  ==  T | count
//	T | where P | count + T | where not(P) | count + nulls  ==  T | count
//
// and that a random pipeline of operators over the table never panics.
//
//	go test ./engine -run XXX -fuzz FuzzEngineEquivalence -fuzztime 10m
func FuzzEngineEquivalence(f *testing.F) {
	f.Add([]byte{3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte{8, 0, 0, 0, 0, 255, 255, 255, 255, 7, 7, 7, 7, 1, 2, 3})
	f.Add([]byte("where a > 1 and b == 'x' | take 3 | summarize count() by b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &gen{data: data}
		table := g.datatable()
		p, q := g.pred(2), g.pred(2)
		cat := engine.NewCatalog()

		both := mustRun(t, table+" | where "+p+" and "+q, cat)
		chained := mustRun(t, table+" | where "+p+" | where "+q, cat)
		if both != chained {
			t.Fatalf("where (%s) and (%s):\n%s\nchained:\n%s", p, q, both, chained)
		}

		total := countOf(t, table+" | count", cat)
		if got := countOf(t, table+" | summarize count()", cat); got != total {
			t.Fatalf("count %d, summarize count() %d", total, got)
		}
		if got := countOf(t, table+" | summarize c = count() by b | summarize sum(c)", cat); got != total && total > 0 {
			t.Fatalf("count %d, sum of counts by b %d", total, got)
		}
		n := g.intn(12)
		if got := countOf(t, fmt.Sprintf("%s | take %d | count", table, n), cat); got != min(int64(n), total) {
			t.Fatalf("take %d of %d rows gave %d", n, total, got)
		}
		yes := countOf(t, table+" | where "+p+" | count", cat)
		no := countOf(t, table+" | where not("+p+") | count", cat)
		null := countOf(t, table+" | where isnull("+p+") | count", cat)
		if yes+no+null != total {
			t.Fatalf("where %s: %d true + %d false + %d null != %d rows", p, yes, no, null, total)
		}

		fuzzRun(t, table+g.pipeline(), cat)
	})
}

// mustRun runs src, which the generator built to be valid, and returns its
// result as text.
func mustRun(t *testing.T, src string, cat *engine.Catalog) string {
	t.Helper()
	res, err := fuzzRun(t, src, cat)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var b strings.Builder
	for i := 0; i < res.Rows(); i++ {
		for j, v := range res.Row(i) {
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(v.String())
		}
		b.WriteString("\n")
	}
	return b.String()
}

// countOf runs a query whose result is one long and returns it.
func countOf(t *testing.T, src string, cat *engine.Catalog) int64 {
	t.Helper()
	res, err := fuzzRun(t, src, cat)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	if res.Rows() != 1 || len(res.Columns) != 1 {
		t.Fatalf("%s: want one cell, got %d rows of %d columns", src, res.Rows(), len(res.Columns))
	}
	return res.Columns[0].Value(0).Int64()
}

// gen turns fuzzer bytes into choices; when they run out every choice is 0.
type gen struct {
	data []byte
	pos  int
}

func (g *gen) intn(n int) int {
	if g.pos >= len(g.data) || n <= 0 {
		return 0
	}
	b := g.data[g.pos]
	g.pos++
	return int(b) % n
}

func (g *gen) pick(opts ...string) string { return opts[g.intn(len(opts))] }

// datatable writes a table of up to 8 rows over the columns
// a:long, b:string, c:real, d:datetime, e:dynamic, with nulls.
func (g *gen) datatable() string {
	rows := g.intn(9)
	var b strings.Builder
	b.WriteString("datatable(a:long, b:string, c:real, d:datetime, e:dynamic)[")
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strings.Join([]string{
			g.pick("0", "1", "-1", "2", "7", "long(null)", "9223372036854775807", "-9223372036854775808"),
			g.pick(`""`, `"x"`, `"X"`, `"xy"`, `"a b"`, `"é"`),
			g.pick("0.0", "1.5", "-2.25", "real(null)", "real(nan)", "real(+inf)", "1e300"),
			g.pick("datetime(2024-01-01)", "datetime(2024-01-01 00:00:00.0000001)", "datetime(null)", "datetime(1970-01-01)"),
			g.pick("dynamic(null)", "dynamic([])", "dynamic([1,2])", `dynamic({"k":"v"})`, `dynamic("s")`, "dynamic([[1],[2,3]])"),
		}, ", "))
	}
	b.WriteString("]")
	return b.String()
}

// pred writes a boolean expression over the table's columns, nested up
// to depth.
func (g *gen) pred(depth int) string {
	if depth > 0 {
		switch g.intn(6) {
		case 0:
			return "(" + g.pred(depth-1) + " and " + g.pred(depth-1) + ")"
		case 1:
			return "(" + g.pred(depth-1) + " or " + g.pred(depth-1) + ")"
		case 2:
			return "not(" + g.pred(depth-1) + ")"
		}
	}
	return g.pick(
		"a > "+g.pick("0", "1", "-1"),
		"a == "+g.pick("0", "1", "7"),
		"a % 2 == 0",
		"isnull(a)",
		`b == "x"`,
		`b =~ "x"`,
		`b contains "x"`,
		`b startswith "x"`,
		`b has "b"`,
		`isempty(b)`,
		"c < 1.0",
		"c >= -2.25",
		"d > datetime(2023-12-31)",
		"isnull(d)",
		"array_length(e) > 0",
		`tostring(e) == "s"`,
		"a in (1, 2, 7)",
		"b !in (\"x\", \"\")",
		"a between (0 .. 2)",
	)
}

// pipeline writes up to four operators that keep the table's columns, then
// maybe one that reshapes it, so that most pipelines bind.
func (g *gen) pipeline() string {
	var b strings.Builder
	for i := g.intn(5); i > 0; i-- {
		b.WriteString(" | ")
		b.WriteString(g.pick(
			"where "+g.pred(2),
			"extend x = a * 2, y = strcat(b, \"!\")",
			"extend z = iff("+g.pred(1)+", a, long(null))",
			"take "+g.pick("0", "1", "3"),
			"sort by a "+g.pick("asc", "desc")+" nulls "+g.pick("first", "last"),
			"top 2 by c",
			"mv-expand e",
			"union (datatable(a:long, b:string)[1, \"u\"])",
			"join kind="+g.pick("inner", "leftouter", "fullouter", "leftanti", "innerunique")+" (datatable(a:long, w:string)[1, \"one\", 7, \"seven\"]) on a",
			"extend f = bin(d, 1d), h = hash(b)",
			"serialize r = row_number()",
			"where b matches regex \"^x+$\"",
		))
	}
	if g.intn(2) == 1 {
		b.WriteString(" | ")
		b.WriteString(g.pick(
			"project a, b, e",
			"project-away c",
			"summarize n = count(), s = sum(a), m = max(c) by b",
			"summarize make_list(a), dcount(b)",
			"summarize arg_max(a, *) by b",
			"distinct b",
			"mv-expand e to typeof(long)",
			"count",
		))
	}
	return b.String()
}

// TestFuzzGeneratorMostlyValid checks that the equivalence fuzzer's random
// pipelines mostly bind and run, so that fuzzing explores the engine and
// not only its error paths.
func TestFuzzGeneratorMostlyValid(t *testing.T) {
	ok, total := 0, 300
	for i := 0; i < total; i++ {
		data := make([]byte, 64)
		for j := range data {
			data[j] = byte((i*131 + j*17 + i*j) % 251)
		}
		g := &gen{data: data}
		src := g.datatable() + g.pipeline()
		if _, err := fuzzRun(t, src, engine.NewCatalog()); err == nil {
			ok++
		} else if testing.Verbose() {
			t.Logf("%s\n  %v", src, err)
		}
	}
	if ok*10 < total*9 {
		t.Fatalf("only %d of %d generated pipelines ran", ok, total)
	}
}
