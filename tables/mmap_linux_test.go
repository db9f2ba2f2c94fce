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

// A file that starts with a byte order mark and spans many blocks reads its
// large values back from the right place in every block, read and mapped:
// only the first block lost the mark, so only its offset moves.
func TestBOMOffsetsInLaterBlocks(t *testing.T) {
	defer func(c int, m int64) { minChunk, mapMin = c, m }(minChunk, mapMin)
	withLazyMin(t, 8)
	var b strings.Builder
	b.WriteString("\xef\xbb\xbf")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, `{"i":%d,"s":"row %d %s end","d":"{\"k\":%d}"}`+"\n", i, i, strings.Repeat("x", i%90), i)
	}
	text := b.String()
	eager := load(t, "x.ndjson", text, LoadOptions{})
	path := writeFile(t, "x.ndjson", text)
	minChunk = 64
	for _, m := range []int64{1 << 62, 0} {
		mapMin = m
		lazy := loadPath(t, path, LoadOptions{})
		require.True(t, anyLazy(lazy), "no value was left in the file")
		require.Equal(t, 300, lazy.Rows())
		for r := 0; r < 300; r++ {
			require.Equal(t, eager.Row(r), lazy.Row(r), "row %d (mapMin %d)", r, m)
		}
	}
}
