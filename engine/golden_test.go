package engine_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

var update = flag.Bool("update", false, "rewrite the want.txt files of the golden cases")

// goldenNow is the fixed now() of every golden case.
var goldenNow = time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC)

// TestGolden runs each case under ../testdata/golden: a folder holding
// query.kql, optional table files (each a table named after the file) and
// want.txt, the whole expected result (or the expected error). A case with
// a file named unordered compares rows in any order.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "golden", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs, "no golden cases found")
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) { runGolden(t, dir) })
	}
}

func runGolden(t *testing.T, dir string) {
	src, err := os.ReadFile(filepath.Join(dir, "query.kql"))
	require.NoError(t, err)
	cat := engine.NewCatalog()
	files, _ := filepath.Glob(filepath.Join(dir, "*.*json*"))
	csvs, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	for _, f := range append(files, csvs...) {
		tab, err := tables.LoadFile(f, tables.LoadOptions{})
		require.NoError(t, err)
		cat.Add(tab)
	}
	got := runText(string(src), cat)
	if _, err := os.Stat(filepath.Join(dir, "unordered")); err == nil {
		got = sortRows(got)
	}
	wantPath := filepath.Join(dir, "want.txt")
	if *update {
		require.NoError(t, os.WriteFile(wantPath, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(wantPath)
	require.NoError(t, err, "missing want.txt: run go test ./engine -run TestGolden -update and review it")
	assert.Equal(t, string(want), got)
}

// runText runs a query and renders the result (or the error) as text: a
// header of name:type, then one line per row of JSON values.
func runText(src string, cat *engine.Catalog) string {
	script, err := parser.Parse(src)
	if err != nil {
		return errText(src, err)
	}
	q, err := engine.Bind(script, cat, engine.Options{Now: goldenNow})
	if err != nil {
		return errText(src, err)
	}
	res, err := q.Run(context.Background())
	if err != nil {
		return errText(src, err)
	}
	return tableText(res)
}

func tableText(t *tables.Table) string {
	var b strings.Builder
	for i, f := range t.Schema {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(f.Name + ":" + f.Type.String())
	}
	b.WriteByte('\n')
	for r := 0; r < t.Rows(); r++ {
		for i, v := range t.Row(r) {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(tables.ToJSON(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func errText(src string, err error) string {
	var list parser.ErrorList
	var one *parser.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = parser.ErrorList{one}
	default:
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	for _, e := range list {
		line, col := parser.Position(src, e.Span.Start)
		fmt.Fprintf(&b, "error: %d:%d: %s: %s\n", line, col, e.Phase, e.Msg)
	}
	return b.String()
}

// sortRows sorts the row lines of a rendered table, keeping the header.
func sortRows(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) > 2 {
		sort.Strings(lines[1:])
	}
	return strings.Join(lines, "\n") + "\n"
}
