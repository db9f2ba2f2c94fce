package parser

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reflectNodes finds every node in the tree by reflection, the reference
// Inspect is checked against.
func reflectNodes(v reflect.Value, out map[Node]bool) {
	switch v.Kind() {
	case reflect.Interface:
		if !v.IsNil() {
			reflectNodes(v.Elem(), out)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if n, ok := v.Interface().(Node); ok {
			if out[n] {
				return
			}
			out[n] = true
		}
		reflectNodes(v.Elem(), out)
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			reflectNodes(v.Index(i), out)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			reflectNodes(v.Field(i), out)
		}
	}
}

func inspected(root Node) map[Node]bool {
	seen := map[Node]bool{}
	Inspect(root, func(n Node) bool {
		seen[n] = true
		return true
	})
	return seen
}

// TestInspectVisitsEveryNode checks, on every tree of the parse tables and
// the AI Agents queries, that Inspect reaches each node the tree holds.
func TestInspectVisitsEveryNode(t *testing.T) {
	var srcs []string
	for _, c := range parseCases {
		srcs = append(srcs, c.srcs[0])
	}
	if _, err := statShared(); err == nil {
		for _, q := range aiAgentsQueries(t) {
			srcs = append(srcs, q)
		}
	}
	srcs = append(srcs,
		"T | scan with_match_id=m declare (s:string) with (step a: x == 1 => s = \"a\"; step b output=last: y;)",
		"T | partition by k (top 1 by t) | partition hint.strategy=native by k { T | take 1 }",
		"find withsource=S in (A, B*) where x has \"y\" project a, b:string",
		"T | top-nested 3 of a with others = 0 by c = count() desc, top-nested of b by max(x)",
		"T | parse-kv msg as (a:string, b:long) with (pair_delimiter=\",\", kv_delimiter=\"=\")",
		"T | search kind=case_sensitive \"x\" | evaluate pivot(k) : (a:string)",
	)
	for _, src := range srcs {
		s, err := Parse(src)
		require.NoError(t, err, src)
		want := map[Node]bool{}
		reflectNodes(reflect.ValueOf(s), want)
		got := inspected(s)
		for n := range want {
			assert.True(t, got[n], "%q: Inspect missed %T at %v", src, n, n.Pos())
		}
		assert.Len(t, got, len(want), src)
	}
}

func TestInspectOrderAndPruning(t *testing.T) {
	s, err := Parse("T | where a > 1 | extend b = f(c, d.e)")
	require.NoError(t, err)
	var names []string
	Inspect(s, func(n Node) bool {
		if id, ok := n.(*Ident); ok {
			names = append(names, id.Name)
		}
		return true
	})
	assert.Equal(t, []string{"T", "a", "b", "f", "c", "d", "e"}, names)

	names = nil
	Inspect(s, func(n Node) bool {
		if id, ok := n.(*Ident); ok {
			names = append(names, id.Name)
		}
		_, isCall := n.(*CallExpr)
		return !isCall // do not enter calls
	})
	assert.Equal(t, []string{"T", "a", "b"}, names)
	Inspect(nil, func(Node) bool { t.Fatal("called on nil"); return true })
}
