package main

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readPaste reads all of the chunks through a pasteReader, each chunk
// arriving in a read of its own.
func readPaste(t *testing.T, chunks ...string) string {
	t.Helper()
	r, w := io.Pipe()
	go func() {
		for _, c := range chunks {
			w.Write([]byte(c))
		}
		w.Close()
	}()
	out, err := io.ReadAll(newPasteReader(r))
	require.NoError(t, err)
	return string(out)
}

func TestPasteReader(t *testing.T) {
	br := string(pasteBreak)
	cases := []struct {
		name   string
		chunks []string
		want   string
	}{
		{"typed text passes", []string{"print 1\r", "\x1b[A\t"}, "print 1\r\x1b[A\t"},
		{"line breaks of a paste become breaks", []string{pasteStart + "T\n| where x\r\n| count" + pasteEnd},
			"T" + br + "| where x" + br + "| count"},
		{"trailing breaks are dropped", []string{pasteStart + "T\r\n\r\n" + pasteEnd + "\r"}, "T\r"},
		{"blank lines inside are kept", []string{pasteStart + "T\n\n| count\n" + pasteEnd}, "T" + br + br + "| count"},
		{"a tab is a space", []string{pasteStart + "T\n\t| count" + pasteEnd}, "T" + br + " | count"},
		{"brackets cut across reads", []string{"\x1b[20", "0~T\r|", " count\x1b", "[201", "~\r"},
			"T" + br + "| count\r"},
		{"an escape that is no bracket", []string{"\x1b[2", "~x"}, "\x1b[2~x"},
		{"a lone escape at the end", []string{"x\x1b"}, "x\x1b"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, readPaste(t, c.chunks...))
		})
	}
	// One byte at a time, as a slow link may deliver it.
	out, err := io.ReadAll(newPasteReader(iotest.OneByteReader(strings.NewReader(
		pasteStart + "T\r\n| count\r\n" + pasteEnd + "\r"))))
	require.NoError(t, err)
	assert.Equal(t, "T"+br+"| count\r", string(out))
}

func TestPastedText(t *testing.T) {
	assert.Equal(t, "T\n| count", pastedText("T"+string(pasteBreak)+"| count"))
	// Tab completion sees the pasted lines as lines.
	s := testSession(t)
	_, got := completions(s, pastedText("Ev"+string(pasteBreak)+"| where Cou"))
	assert.Equal(t, []string{"Country"}, got)
}
