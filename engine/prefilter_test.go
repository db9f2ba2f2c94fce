package engine

import (
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

func TestSafeKey(t *testing.T) {
	for k, want := range map[string]bool{
		"SendEmailV2": true, "| w": true, "a/b": true, "To": true, "x": true,
		"": false, "12": false, "-x": false, "1e5": false, "NaN": false, "inf": false, "Infinity": false,
		`a"b`: false, `a\b`: false, "{}": false, "[1]": false, "é": false, "a\tb": false, ".5": false,
	} {
		assert.Equal(t, want, safeKey(k), "%q", k)
	}
}

func TestTextFilterMayHold(t *testing.T) {
	fold := newTextFilter(0, []string{"sendemailv2", "| w", "a/b", "q"}, true)
	exact := newTextFilter(0, []string{"SendEmailV2"}, false)
	cases := []struct {
		text       string
		fold, exct bool
	}{
		{`[{"op":"SendEmailV2"}]`, true, true},
		{`[{\"op\":\"SENDEMAILV2\"}]`, true, false},
		{`[{"op":"SendEmailV3"}]`, false, false},
		{`[{"op":"Send\u0045mailV2"}]`, true, true},      // an escape may spell a letter
		{`[{\"op\":\"Send\\u0045mailV2\"}]`, true, true}, // the same inside a string
		{`{"x":"a\/b"}`, true, false},                    // \/ may spell the key's '/'
		{`{"x":"\/"}`, true, false},
		{"{\"x\":\"\u212a\"}", true, false}, // the Kelvin sign folds to k
		{`{"x":"| w"}`, true, false},
		{`{"x":"Q"}`, true, false}, // a key of one byte
		{`Q`, true, false},         // ... at the very end
		{`{"x":"y"}`, false, false},
		{``, false, false},
	}
	for _, c := range cases {
		text := append([]byte(c.text), 0)
		assert.Equal(t, c.fold, fold.mayHold(append([]byte(nil), text...)), "fold %q", c.text)
		assert.Equal(t, c.exct, exact.mayHold(append([]byte(nil), text...)), "exact %q", c.text)
	}
}

// prefilterDocs are NDJSON rows whose Doc column (long enough to be left
// in the file) spells keys in the ways the filter must not miss.
var prefilterDocs = []string{
	`[{"op":"SendEmailV2","to":"a@x.com"},{"op":"Other"}]`,
	`[{"op":"sendemailv2","to":"b@x.com"}]`,
	`[{"op":"Send\u0045mailV2","to":"c@x.com"}]`,
	"[{\"op\":\"\u212aind\",\"to\":\"d@x.com\"}]",
	`[{"op":"a\/b","to":"e@x.com"}]`,
	`[{"op":"| w","to":"f@x.com"}]`,
	`{"op":"SendEmailV2","to":"g@x.com"}`,
	`not json SendEmailV2`,
	``,
	`[{"op":5,"to":"h@x.com"},{"op":"5"}]`,
	`[{"op":{"SendEmailV2":1},"to":"i@x.com"}]`,
	`[{"a":[{"op":"SendEmailV2"},{"op":"Kind"}]}]`,
}

func writePrefilterTable(t *testing.T) string {
	var b strings.Builder
	pad := strings.Repeat("p", 80)
	for i, d := range prefilterDocs {
		doc := d
		if d != "" && d[0] == '[' {
			doc = d[:len(d)-1] + `,{"pad":"` + pad + `"}]`
		}
		b.WriteString(`{"Id":` + string(rune('0'+i%10)) + `,"Doc":` + tables.QuoteJSON(doc) +
			`,"DynDoc":` + tables.QuoteJSON(doc) + "}\n")
	}
	path := filepath.Join(t.TempDir(), "T.ndjson")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// TestPrefilterKeepsResults runs queries that a text filter applies to with
// and without it: the results must be the same.
func TestPrefilterKeepsResults(t *testing.T) {
	tb, err := tables.LoadFile(writePrefilterTable(t), tables.LoadOptions{
		Name: "T", Schema: tables.Schema{{Name: "Id", Type: tables.Long}, {Name: "Doc", Type: tables.String},
			{Name: "DynDoc", Type: tables.Dynamic}}})
	require.NoError(t, err)
	cat := NewCatalog(tb)
	queries := []string{
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) in~ ("SendEmailV2", "kind", "a/b", "| w")`,
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) in ("SendEmailV2", "Kind")`,
		`T | mv-expand X = parse_json(Doc) | where tostring(X.op) == "SendEmailV2" and isnotempty(X.to)`,
		`T | mv-expand X = DynDoc | where tostring(X.op) =~ "SENDEMAILV2"`,
		`T | mv-expand X = todynamic(Doc) | mv-expand Y = X.a | where tostring(Y.op) in~ (dynamic(["sendemailv2"]))`,
		`T | mv-expand X = todynamic(Doc) | where tostring(X["op"]) in~ ("5", "SendEmailV2")`,
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) in~ ("SendEmailV2") or Id == 7`,
		`T | mv-expand kind=array X = todynamic(Doc) | where tostring(X[0]) == "op"`,
		`let Keys = dynamic(["SendEmailV2", "| w"]); T | mv-expand X = todynamic(Doc) | where tostring(X.op) in~ (Keys)`,
	}
	for _, q := range queries {
		with := runPrefilterQuery(t, cat, q, false)
		without := runPrefilterQuery(t, cat, q, true)
		assert.Equal(t, without, with, q)
	}
}

func runPrefilterQuery(t *testing.T, cat *Catalog, text string, off bool) [][]string {
	script, err := parser.Parse(text)
	require.NoError(t, err)
	q, err := Bind(script, cat, Options{})
	require.NoError(t, err)
	if off {
		eachWhere(q.root, func(p *wherePlan) { p.filters = nil })
	}
	res, err := q.Run(context.Background())
	require.NoError(t, err)
	var rows [][]string
	for r := 0; r < res.Rows(); r++ {
		var row []string
		for _, c := range res.Columns {
			row = append(row, c.Value(r).String())
		}
		rows = append(rows, row)
	}
	return rows
}

// TestPrefilterApplies checks which wheres get a filter.
func TestPrefilterApplies(t *testing.T) {
	tb, err := tables.LoadFile(writePrefilterTable(t), tables.LoadOptions{Name: "T"})
	require.NoError(t, err)
	cat := NewCatalog(tb)
	for q, want := range map[string]int{
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) in~ ("SendEmailV2")`:                         1,
		`T | mv-expand X = todynamic(Doc) | mv-expand Y = X.a | where tostring(Y.op) == "a" and Id > 0`:       1,
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) in~ ("a") and tostring(X.to) == "b"`:         2,
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) !in~ ("SendEmailV2")`:                        0,
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) in~ ("SendEmailV2") or Id > 0`:               0,
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) in~ ("5")`:                                   0,
		`T | mv-expand X = todynamic(Doc) | where tostring(X.op) in~ ("")`:                                    0,
		`T | mv-expand with_itemindex=i X = todynamic(Doc) | where tostring(i) == "a"`:                        0,
		`T | mv-expand X = todynamic(strcat(Doc, "x")) | where tostring(X.op) == "a"`:                         0,
		`T | where tostring(todynamic(Doc).op) == "a"`:                                                        0,
		`let f = (s: string) { "a" }; T | mv-expand X = todynamic(Doc) | where f(tostring(X.op)) == "a"`:      0,
		`let tostring = (s: dynamic) { "a" }; T | mv-expand X = todynamic(Doc) | where tostring(X.op) == "a"`: 0,
	} {
		script, err := parser.Parse(q)
		require.NoError(t, err, q)
		bq, err := Bind(script, cat, Options{})
		require.NoError(t, err, q)
		n := 0
		eachWhere(bq.root, func(p *wherePlan) { n += len(p.filters) })
		assert.Equal(t, want, n, q)
	}
}

// eachWhere calls fn on every where in a plan tree.
func eachWhere(p plan, fn func(*wherePlan)) {
	var walk func(v reflect.Value)
	planType := reflect.TypeOf((*plan)(nil)).Elem()
	seen := map[uintptr]bool{}
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			if v.Type() == reflect.TypeOf(&wherePlan{}) {
				fn((*wherePlan)(v.UnsafePointer()))
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Field(i)
				if f.Type().Implements(planType) || f.Kind() == reflect.Slice || f.Kind() == reflect.Pointer ||
					f.Kind() == reflect.Interface || f.Kind() == reflect.Struct {
					walk(f)
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(p))
}

func TestPairIndex(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for n := 0; n < 20000; n++ {
		s := make([]byte, r.Intn(80))
		for i := range s {
			s[i] = "aAbB\\u/ \xff"[r.Intn(9)]
		}
		a, b := "abu\\\xff"[r.Intn(5)], "abu/\xff"[r.Intn(5)]
		ma, mb := []byte{0, 0x20, 0xff}[r.Intn(3)], []byte{0, 0x20, 0xff}[r.Intn(3)]
		require.Equal(t, pairIndexTail(s, 0, a, b, ma, mb), pairIndex(s, a, b, ma, mb), "%q %q%q %x %x", s, a, b, ma, mb)
	}
}
