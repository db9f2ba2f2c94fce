package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

func excerpt(file string, start, end, width int) string {
	line, _ := parser.Position(file, start)
	var b bytes.Buffer
	writeExcerpt(&b, file, start, end, line, width)
	return b.String()
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("a", 250) + "BOOM!" + strings.Repeat("b", 45)
	cases := []struct {
		name       string
		file       string
		start, end int
		want       string
	}{
		{"span", "T\n| where Stat == \"WA\"\n", 10, 14, "" +
			"   2 | | where Stat == \"WA\"\n" +
			"     |         ^^^^\n"},
		{"empty span gets one caret", "print x", 6, 6, "" +
			"   1 | print x\n" +
			"     |       ^\n"},
		{"end of line", "print x\n", 7, 7, "" +
			"   1 | print x\n" +
			"     |        ^\n"},
		{"span over two lines stops at the line end", "a + (b\n  + c)", 4, 13, "" +
			"   1 | a + (b\n" +
			"     |     ^^\n"},
		{"tabs are four spaces", "\tx +\ty", 5, 6, "" +
			"   1 |     x +    y\n" +
			"     |            ^\n"},
		{"wide runes take two cells", "名前 | bad", 9, 12, "" +
			"   1 | 名前 | bad\n" +
			"     |        ^^^\n"},
		{"caret under a wide rune", "x == \"名\"", 6, 9, "" +
			"   1 | x == \"名\"\n" +
			"     |       ^^\n"},
		{"carriage return dropped", "a\r\nb c\r\n", 5, 6, "" +
			"   2 | b c\n" +
			"     |   ^\n"},
		{"long line windowed around the caret", long, 250, 255, "" +
			"   1 | …" + strings.Repeat("a", 17) + "BOOM!" + strings.Repeat("b", 29) + "…\n" +
			"     |" + strings.Repeat(" ", 19) + "^^^^^\n"},
		{"long line cut at the right only", long, 2, 3, "" +
			"   1 | " + strings.Repeat("a", 52) + "…\n" +
			"     |   ^\n"},
		{"line number wider than the gutter", strings.Repeat("\n", 12344) + "x", 12344, 12345, "" +
			"12345 | x\n" +
			"      | ^\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, excerpt(c.file, c.start, c.end, 60))
		})
	}
}

func TestPrintErrorKinds(t *testing.T) {
	src := plainSource("q.kql", "T\n| where Stat == 1 and Nope == 2")
	list := parser.ErrorList{
		parser.Errorf(parser.PhaseName, parser.Span{Start: 10, End: 14}, "unknown column 'Stat'"),
		parser.Errorf(parser.PhaseName, parser.Span{Start: 24, End: 28}, "unknown column 'Nope'"),
	}
	cases := []struct {
		name string
		src  *querySource
		err  error
		want string
	}{
		{"error list", src, list, "" +
			"q.kql:2:9: unknown column 'Stat'\n" +
			"   2 | | where Stat == 1 and Nope == 2\n" +
			"     |         ^^^^\n" +
			"q.kql:2:23: unknown column 'Nope'\n" +
			"   2 | | where Stat == 1 and Nope == 2\n" +
			"     |                       ^^^^\n"},
		{"a second error at the same place is left out", src, parser.ErrorList{
			list[0],
			parser.Errorf(parser.PhaseType, parser.Span{Start: 10, End: 14}, "want a constant"),
			list[1],
		}, "" +
			"q.kql:2:9: unknown column 'Stat'\n" +
			"   2 | | where Stat == 1 and Nope == 2\n" +
			"     |         ^^^^\n" +
			"q.kql:2:23: unknown column 'Nope'\n" +
			"   2 | | where Stat == 1 and Nope == 2\n" +
			"     |                       ^^^^\n"},
		{"wrapped single error", src, fmt.Errorf("binding: %w", list[0]), "" +
			"q.kql:2:9: unknown column 'Stat'\n" +
			"   2 | | where Stat == 1 and Nope == 2\n" +
			"     |         ^^^^\n"},
		{"internal error from the engine", src, &engine.InternalError{
			Err:   parser.Errorf(parser.PhaseInternal, parser.Span{Start: 2, End: 3}, "internal error: boom"),
			Stack: []byte("the stack\n")}, "" +
			"q.kql:2:1: internal error: boom (please report this; run with --debug for the stack)\n" +
			"   2 | | where Stat == 1 and Nope == 2\n" +
			"     | ^\n"},
		{"data error as is", nil, &tables.DataError{Path: "e.json", Line: 3, Msg: "bad"}, "e.json:3: bad\n"},
		{"other", src, errors.New("disk on fire"), "kql: disk on fire\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			a := &app{stderr: &b, termWidth: func() int { return 0 }}
			a.printError(c.src, c.err)
			assert.Equal(t, c.want, b.String())
		})
	}
}

func TestEngineInternalErrorStackUnderDebug(t *testing.T) {
	var b bytes.Buffer
	a := &app{stderr: &b, termWidth: func() int { return 0 }, debug: true}
	a.printError(plainSource("<query>", "print 1"), &engine.InternalError{
		Err:   parser.Errorf(parser.PhaseInternal, parser.Span{Start: 0, End: 5}, "internal error: boom"),
		Stack: []byte("goroutine 1 [running]:\n")})
	assert.Equal(t, ""+
		"<query>:1:1: internal error: boom (please report this; run with --debug for the stack)\n"+
		"   1 | print 1\n"+
		"     | ^^^^^\n"+
		"goroutine 1 [running]:\n", b.String())
}
