package parser

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errorCases are syntax errors with their exact span and message. A text
// with several bad statements gives one error per statement.
var errorCases = []struct {
	src        string
	start, end int
	msg        string
}{
	{"T | where | where", 10, 11, "expected an expression after 'where', found '|'"},
	{"T | foo", 4, 7, "unknown tabular operator 'foo'"},
	{"T | where x == \"abc", 15, 19, "unterminated string literal"},
	{"T | where x ==", 14, 14, "expected an expression after '==', found end of query"},
	{"T |", 3, 3, "expected a tabular operator after '|', found end of query"},
	{"let x =", 7, 7, "expected an expression after '=', found end of query"},
	{"let f = (a:long) {", 18, 18, "expected '}' after '{', found end of query"},
	{"T | where (x > 1", 16, 16, "expected ')' after '1', found end of query"},
	{"T | project a b", 14, 15, "expected ';' or '|' after 'a', found 'b'"},
	{"T\n| where x > 1\nT2", 16, 18, "expected ';' or '|' after '1', found 'T2'"},
	{"T | where x in ()", 16, 17, "expected an expression after '(', found ')'"},
	{"print dynamic([1,2,])", 19, 20, "expected a JSON value (string, number, array, bag) after ',', found ']'"},
	{"T | where x has_any dynamic([\"a\"])", 20, 27, "expected '(' after 'has_any', found 'dynamic'"},
	{"T | sort x", 9, 10, "expected 'by' after 'sort', found 'x'"},
	{"let x = 1;; T", 10, 11, "expected a statement before ';', found ';'"},
	{"T | where x == 'a\nb'", 15, 17, "unterminated string literal (a quoted string ends on its line; use ``` for several lines)"},
	{"T | where a == \"\\d\"", 16, 18, "unknown escape sequence '\\d' in string literal"},
	{"T | project-away a,", 19, 19, "expected a column name after ',', found end of query"},
	{"T | where x #", 12, 13, "unexpected character '#'"},
	{"```abc", 0, 6, "unterminated multi-line string literal (```)"},
	{"T | top 10", 10, 10, "expected 'by' after '10', found end of query"},
	{"T | where x > 1 T2 | take 1; U | foo; V |", 16, 18, "expected ';' or '|' after '1', found 'T2'"},
	{"T | where x > 1 T2 | take 1; U | foo; V |", 33, 36, "unknown tabular operator 'foo'"},
	{"T | where x > 1 T2 | take 1; U | foo; V |", 41, 41, "expected a tabular operator after '|', found end of query"},
	{"T | summarize count() by", 24, 24, "expected an expression after 'by', found end of query"},
	{"T | extend x = datetime(2020", 15, 28, "unterminated datetime literal"},
}

func TestParseErrors(t *testing.T) {
	got := map[string][]*Error{}
	for _, c := range errorCases {
		if _, ok := got[c.src]; ok {
			continue
		}
		s, err := Parse(c.src)
		require.Error(t, err, c.src)
		require.NotNil(t, s, "the statements that parsed are returned")
		var list ErrorList
		require.True(t, errors.As(err, &list), "%s: %T", c.src, err)
		got[c.src] = list
	}
	for _, c := range errorCases {
		want := &Error{Phase: PhaseSyntax, Span: Span{c.start, c.end}, Msg: c.msg}
		assert.Contains(t, got[c.src], want, c.src)
	}
	for src, list := range got {
		n := 0
		for _, c := range errorCases {
			if c.src == src {
				n++
			}
		}
		assert.Len(t, list, n, "errors of %q", src)
	}
}

func TestErrorKeepsGoodStatements(t *testing.T) {
	s, err := Parse("let a = 1;\nT | foo;\nprint a")
	require.Error(t, err)
	require.Len(t, s.Stmts, 2)
	assert.IsType(t, &LetStmt{}, s.Stmts[0])
	assert.IsType(t, &ExprStmt{}, s.Stmts[1])
}

func TestIsIncomplete(t *testing.T) {
	for src, want := range map[string]bool{
		"T | where x == \"abc":          true, // inside a string
		"print ```multi\nline":          true, // inside a ``` block
		"T | where x in (\"a\",":        true, // inside a bracket
		"T | summarize count() by":      true,
		"T |":                           true, // trailing pipe
		"T\n| where x > 1\n|":           true,
		"let x =":                       true, // a let waiting for its value
		"let f = (a:long) {":            true,
		"print datetime(2020":           true,
		"T | foo":                       false,
		"T | where x == 'a\nb'":         false, // a string cannot span lines
		"T | where x > 1)":              false,
		"T | project a b":               false,
		"T | where a == \"\\d\" | take": false,
	} {
		_, err := Parse(src)
		require.Error(t, err, src)
		assert.Equal(t, want, IsIncomplete(err), "%q: %v", src, err)
	}
	assert.False(t, IsIncomplete(nil))
	assert.False(t, IsIncomplete(errors.New("end of query")))
	assert.True(t, IsIncomplete(&Error{Phase: PhaseSyntax, Msg: "expected ')' after '1', found end of query"}))
}

func TestErrorPositions(t *testing.T) {
	src := "T\n| where x > 1\nT2"
	_, err := Parse(src)
	var list ErrorList
	require.True(t, errors.As(err, &list))
	line, col := Position(src, list[0].Span.Start)
	assert.Equal(t, []int{3, 1}, []int{line, col})
}
