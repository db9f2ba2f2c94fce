package tables

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSkipBadRows checks that SkipBadRows drops exactly the lines that are
// not one JSON object, reports each by its line, and keeps the rest.
func TestSkipBadRows(t *testing.T) {
	text := "\ufeff{\"a\":1}\r\n{\"a\":2\n\n{\"a\":3}\n42\n  {\"a\":4}  \n{\"a\":5}"
	var lines []int
	tbl, err := Load(strings.NewReader(text), "T.ndjson",
		LoadOptions{SkipBadRows: func(line int, _ string) { lines = append(lines, line) }})
	require.NoError(t, err)
	assert.Equal(t, []int{2, 5}, lines)
	var got []int64
	for i := 0; i < tbl.Rows(); i++ {
		got = append(got, tbl.Columns[0].Value(i).Int64())
	}
	assert.Equal(t, []int64{1, 3, 4, 5}, got)
}

// TestSkipBadRowsLeavesOtherFormats checks that a JSON array or a
// pretty-printed document is not filtered line by line: its own error
// stands.
func TestSkipBadRowsLeavesOtherFormats(t *testing.T) {
	skip := func(int, string) { t.Error("nothing may be skipped") }
	for _, text := range []string{"[{\"a\":1},\n{\"a\":2}]\n", "{\n  \"a\": 1\n}\n"} {
		_, err := Load(strings.NewReader(text), "T.json", LoadOptions{SkipBadRows: skip})
		assert.NoError(t, err, text)
	}
	_, err := Load(strings.NewReader("[{\"a\":1},\n{\"a\":\n"), "T.json", LoadOptions{SkipBadRows: skip})
	assert.Error(t, err)
}
