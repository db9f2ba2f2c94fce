package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

func TestIsIncomplete(t *testing.T) {
	cases := []struct {
		text string
		want bool
	}{
		{"Ev", false},
		{"Ev |", true},
		{"Ev |\nwhere Bytes > 1 |", true},
		{"Ev | where (Bytes > 1", true},
		{"print ```\nline", true},
		{"let x =", true},
		{"let x", true},
		// A let alone parses as a name, but its statement is yet to come.
		{"let", true},
		{"let x = 1;\nlet", true},
		{"print x, let", false},
		// A quoted string cannot go on past its line: no line can mend it.
		{"print 'abc", false},
		{`print "abc`, false},
		{`print @"abc`, false},
		{"let x = 1;", false},
		{"print 1", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, isIncomplete(c.text), "%q", c.text)
	}
}

// TestWriteFittedKeepsTimesAndNumbersWhole checks that fitting a wide table
// cuts its strings, not its times and numbers, whose cut text would read as
// another value.
func TestWriteFittedKeepsTimesAndNumbersWhole(t *testing.T) {
	schema := tables.Schema{
		{Name: "Timestamp", Type: tables.DateTime},
		{Name: "Name", Type: tables.String},
		{Name: "Bytes", Type: tables.Long},
		{Name: "Note", Type: tables.String},
	}
	ticks, ok := tables.ParseDateTime("2025-10-15T07:00:00.1234567Z")
	require.True(t, ok)
	cols := []*tables.Column{
		tables.NewColumn(tables.DateTime, 1), tables.NewColumn(tables.String, 1),
		tables.NewColumn(tables.Long, 1), tables.NewColumn(tables.String, 1),
	}
	cols[0].Append(tables.NewDateTime(ticks))
	cols[1].Append(tables.NewString(strings.Repeat("n", 40)))
	cols[2].Append(tables.NewLong(1234567890123))
	cols[3].Append(tables.NewString(strings.Repeat("x", 40)))
	var b bytes.Buffer
	writeFitted(&b, tables.NewTable("", schema, cols), 80)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 3, b.String())
	for _, l := range lines {
		assert.LessOrEqual(t, textWidth(l), 80, l)
	}
	assert.Contains(t, lines[2], "2025-10-15T07:00:00.1234567Z  ")
	assert.Contains(t, lines[2], "  1234567890123  ")
	assert.Contains(t, lines[2], "n…")
	assert.Regexp(t, `x…$`, lines[2])

	// In a terminal too narrow for one whole time, the time is cut anyway.
	b.Reset()
	writeFitted(&b, tables.NewTable("", schema[:1], cols[:1]), 12)
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		assert.LessOrEqual(t, textWidth(l), 12, l)
	}
}
