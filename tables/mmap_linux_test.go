package tables

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A mapped file decodes to the same table as a read one, lazy values and
// an error's line number included.
func TestMappedNDJSON(t *testing.T) {
	defer func(c int, m int64) { minChunk, mapMin = c, m }(minChunk, mapMin)
	var b strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, `{"i":%d,"s":"%s","d":"[{\"k\":%d}]"}`+"\n", i, strings.Repeat("x", i%90), i)
	}
	text := b.String()
	path := writeFile(t, "x.ndjson", text)
	minChunk = 64
	read := loadPath(t, path, LoadOptions{})
	mapMin = 0
	mapped := loadPath(t, path, LoadOptions{})
	require.Equal(t, 300, mapped.Rows())
	for r := 0; r < 300; r++ {
		require.Equal(t, read.Row(r), mapped.Row(r), "row %d", r)
	}
	bad := writeFile(t, "y.ndjson", strings.Replace(text, `{"i":250,`, `{"i":250,,`, 1))
	_, err := LoadFile(bad, LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "y.ndjson:251:10:")
}
