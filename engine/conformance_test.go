package engine_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

var updateKnown = flag.Bool("update-known", false, "rewrite testdata/conformance/known-failures.txt from this run")

const knownFailuresPath = "../testdata/conformance/known-failures.txt"

// docsCase is one documented example from ../shared/conformance/docs-cases.jsonl.
type docsCase struct {
	ID      string `json:"id"`
	Query   string `json:"query"`
	Columns []struct {
		Name string `json:"name"`
	} `json:"columns"`
	Rows    [][]any `json:"rows"`
	Ordered bool    `json:"ordered"`
}

// TestDocsConformance runs every documented example and compares its result
// with the documented output. Cases known to fail are listed, each with its
// reason, in testdata/conformance/known-failures.txt; the test fails when a
// case off that list fails, and when a listed case starts passing, so that
// the list stays true. Run with -update-known to rewrite the list.
func TestDocsConformance(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "conformance", "docs-cases.jsonl")
	cases, err := readDocsCases(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("skipping: %s not found (the shared reference material is not beside this checkout)", path)
	}
	require.NoError(t, err)
	known := readKnown(t)
	failures := map[string]string{}
	for _, c := range cases {
		if reason := runDocsCase(c); reason != "" {
			failures[c.ID] = reason
		}
	}
	t.Logf("docs conformance: %d of %d cases pass", len(cases)-len(failures), len(cases))
	if *updateKnown {
		writeKnown(t, failures, known)
		return
	}
	for _, c := range cases {
		reason, failed := failures[c.ID]
		_, listed := known[c.ID]
		switch {
		case failed && !listed:
			t.Errorf("%s: regressed: %s\nquery:\n%s", c.ID, reason, c.Query)
		case !failed && listed:
			t.Errorf("%s: now passes; remove it from %s (or run with -update-known)", c.ID, knownFailuresPath)
		}
	}
}

func readDocsCases(path string) ([]docsCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []docsCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c docsCase
		d := json.NewDecoder(strings.NewReader(sc.Text()))
		d.UseNumber()
		if err := d.Decode(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

func readKnown(t *testing.T) map[string]string {
	known := map[string]string{}
	data, err := os.ReadFile(knownFailuresPath)
	if errors.Is(err, os.ErrNotExist) {
		return known
	}
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, "\t")
		known[id] = reason
	}
	return known
}

// writeKnown rewrites the list of known failures. A case that was listed
// and still fails keeps its reason, which a person may have written to say
// why (the observed symptom alone often does not); a new failure gets the
// symptom, to be replaced by its cause.
func writeKnown(t *testing.T, failures, known map[string]string) {
	ids := make([]string, 0, len(failures))
	for id := range failures {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	b.WriteString("# Documented examples (../shared/conformance/docs-cases.jsonl) that kql does not pass yet.\n")
	b.WriteString("# One per line: case id, a tab, the reason (why, not just the symptom). Kept true by\n")
	b.WriteString("# TestDocsConformance; -update-known keeps the reason of a case that still fails.\n")
	for _, id := range ids {
		reason := failures[id]
		if old, ok := known[id]; ok && old != "" {
			reason = old
		}
		fmt.Fprintf(&b, "%s\t%s\n", id, reason)
	}
	require.NoError(t, os.WriteFile(knownFailuresPath, []byte(b.String()), 0o644))
}

// runDocsCase returns "" when the case passes, or why it fails.
func runDocsCase(c docsCase) (reason string) {
	defer func() {
		if r := recover(); r != nil {
			reason = fmt.Sprintf("panic: %v", r)
		}
	}()
	script, err := parser.Parse(c.Query)
	if err != nil {
		return "syntax: " + firstLine(err)
	}
	q, err := engine.Bind(script, engine.NewCatalog(), engine.Options{Now: time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return phaseOf(err) + ": " + firstLine(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := q.Run(ctx)
	if err != nil {
		return "runtime: " + firstLine(err)
	}
	return compareResult(c, res)
}

func phaseOf(err error) string {
	var l parser.ErrorList
	if errors.As(err, &l) && len(l) > 0 {
		return l[0].Phase.String()
	}
	var e *parser.Error
	if errors.As(err, &e) {
		return e.Phase.String()
	}
	return "error"
}

// firstLine returns the first error's message without its offset.
func firstLine(err error) string {
	var l parser.ErrorList
	if errors.As(err, &l) && len(l) > 0 {
		return l[0].Msg
	}
	var e *parser.Error
	if errors.As(err, &e) {
		return e.Msg
	}
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// compareResult compares columns by name and order, then rows as a
// multiset (or in order when the case says so).
func compareResult(c docsCase, res *tables.Table) string {
	got := res.Schema.Names()
	want := make([]string, len(c.Columns))
	for i, col := range c.Columns {
		want[i] = col.Name
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		return fmt.Sprintf("columns: got [%s], want [%s]", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	if res.Rows() != len(c.Rows) {
		return fmt.Sprintf("rows: got %d, want %d", res.Rows(), len(c.Rows))
	}
	used := make([]bool, len(c.Rows))
	for r := 0; r < res.Rows(); r++ {
		row := res.Row(r)
		// Documented reals are rounded to a few digits.
		found := false
		for w, wantRow := range c.Rows {
			if used[w] || (c.Ordered && w != r) {
				continue
			}
			if rowMatches(row, wantRow) {
				used[w], found = true, true
				break
			}
		}
		if !found {
			return fmt.Sprintf("row %d %s has no match in the documented output", r, rowText(row))
		}
	}
	return ""
}

func rowMatches(got []tables.Value, want []any) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !tables.MatchJSONWithin(got[i], want[i], 1e-6) {
			return false
		}
	}
	return true
}

func rowText(row []tables.Value) string {
	parts := make([]string, len(row))
	for i, v := range row {
		parts[i] = tables.ToJSON(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
