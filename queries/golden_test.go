package queries

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

var update = flag.Bool("update", false, "rewrite the goldens in ../testdata/queries from the current results")

// goldenDir holds one golden result per upstream query.
var goldenDir = filepath.Join("..", "testdata", "queries")

// goldenPath names a query's golden file after its path under this folder,
// with each / replaced by __ so that all goldens sit in one flat folder.
func goldenPath(query string) string {
	name := strings.ReplaceAll(filepath.ToSlash(query), "/", "__")
	return filepath.Join(goldenDir, name+".golden")
}

// TestGoldens runs every upstream query over the built-in sample with
// now() = sample.Now() and compares the whole result with its golden file.
// Rows are sorted in the golden, so a change of row order alone does not
// fail; a change of any column, type or value does. Run with -update to
// rewrite the goldens, then review the diff.
func TestGoldens(t *testing.T) {
	files := queryFiles(t)
	require.NotEmpty(t, files)
	cat := sampleCatalog(t)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			got := goldenText(t, readQuery(t, f), cat)
			path := goldenPath(f)
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "missing golden: run go test ./queries -run TestGoldens -update and review it")
			assert.Equal(t, string(want), got)
		})
	}
}

// TestNoStrayGoldens fails when a golden is left behind for a query that no
// longer exists, so the folder always describes the query set exactly.
func TestNoStrayGoldens(t *testing.T) {
	want := map[string]bool{}
	for _, f := range queryFiles(t) {
		want[filepath.Base(goldenPath(f))] = true
	}
	found, err := filepath.Glob(filepath.Join(goldenDir, "*.golden"))
	require.NoError(t, err)
	for _, g := range found {
		assert.True(t, want[filepath.Base(g)], "%s has no query", g)
	}
	assert.Len(t, found, len(want))
}

// goldenText runs a query on the sample and renders its result.
func goldenText(t *testing.T, query string, cat *engine.Catalog) string {
	t.Helper()
	res, err := run(t, query, cat, sample.Now())
	if err != nil {
		return errorText(query, err)
	}
	return resultText(res)
}

// resultText renders a table as a header of name:type columns and one line
// per row of JSON values, rows sorted.
func resultText(t *tables.Table) string {
	var b strings.Builder
	for i, f := range t.Schema {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(f.Name + ":" + f.Type.String())
	}
	b.WriteByte('\n')
	rows := make([]string, t.Rows())
	for r := range rows {
		cells := make([]string, len(t.Schema))
		for i, v := range t.Row(r) {
			cells[i] = tables.ToJSON(v)
		}
		rows[r] = strings.Join(cells, " | ")
	}
	sort.Strings(rows)
	for _, r := range rows {
		b.WriteString(r)
		b.WriteByte('\n')
	}
	return b.String()
}

// errorText renders a failure with its positions, so that a golden of a
// query that stops running shows why.
func errorText(query string, err error) string {
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
		line, col := parser.Position(query, e.Span.Start)
		fmt.Fprintf(&b, "error: %d:%d: %s: %s\n", line, col, e.Phase, e.Msg)
	}
	return b.String()
}
