package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
