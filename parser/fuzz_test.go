package parser

import (
	"errors"
	"testing"
)

// FuzzParse checks that any input gives a tree or syntax errors: never a
// panic (Parse turns one into a PhaseInternal error, which fails here),
// never a span outside the text. Seeds are the test tables' queries and,
// when the shared corpus is mounted, the AI Agents queries.
//
//	go test ./parser -run XXX -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		for _, src := range c.srcs {
			f.Add(src)
		}
	}
	for _, c := range errorCases {
		f.Add(c.src)
	}
	if _, err := statShared(); err == nil {
		for _, q := range aiAgentsQueries(f) {
			f.Add(q)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse(src)
		if err == nil {
			checkSpans(t, src, s)
			return
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not a non-empty ErrorList: %T %v", err, err)
		}
		for _, e := range list {
			if e.Phase != PhaseSyntax {
				t.Fatalf("%q: %v", src, e)
			}
			if e.Span.Start < 0 || e.Span.Start > e.Span.End || e.Span.End > len(src) {
				t.Fatalf("%q: error span %v outside the text", src, e.Span)
			}
		}
	})
}
