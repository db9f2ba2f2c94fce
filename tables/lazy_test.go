package tables

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lazyRows exercises every conversion a lazy value goes through: escaped
// and plain strings, \u escapes and surrogate pairs, JSON text inside a
// string (compact, spaced, invalid), nested JSON (spaced), blank text in a
// dynamic column (null), and nulls and missing keys around them.
const lazyRows = `{"id":1,"s":"a plain string that is long enough to stay in the file","d":"[{\"k\":\"v\",\"n\":[1,2,3]},{\"k\":\"w\"}]","j":{"x": [1, 2, {"y": "z"}], "w": "a long nested value"},"t":"2024-01-02T03:04:05Z","g":"0F8FAD5B-D9CB-469F-A165-70867728950E"}
{"id":2,"s":"escapes: \"quoted\" \\ back \/ slash \n newline \t tab \u00e9 \ud83d\ude00 end","d":"  {\"spaced\" : [ 1 , 2 ] , \"more\": \"text text text\"}  ","j":"not json at all, but long enough to be lazy here","t":null,"g":null}
{"id":3,"s":null,"d":null,"j":null}
{"id":4,"s":"","d":"                                                                        ","j":[]}
{"id":5,"s":"short","d":"{\"broken\": json text that is long enough to be lazy, honestly","j":"\"a JSON string in a string, long enough to be read back later\""}
{"id":6,"s":"\u0041\u0042 unicode escapes at the start of a long string value here","d":"\n\t [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22]","j":12345}
`

var lazySchema = Schema{{"id", Long}, {"s", String}, {"d", Dynamic}, {"j", Dynamic}, {"t", DateTime}, {"g", GUID}}

// withLazyMin lowers the lazy threshold so that small test values are left
// in the file.
func withLazyMin(t *testing.T, n int) {
	old := lazyMin
	lazyMin = n
	t.Cleanup(func() { lazyMin = old })
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

func loadPath(t *testing.T, path string, opts LoadOptions) *Table {
	t.Helper()
	tb, err := LoadFile(path, opts)
	require.NoError(t, err)
	checkShape(t, tb)
	return tb
}

func anyLazy(tb *Table) bool {
	for _, c := range tb.Columns {
		if c.lazy != nil {
			return true
		}
	}
	return false
}

// Values read back from the file equal the values the eager path decodes,
// for every type, with a declared schema and with inferred types, in NDJSON
// (streamed), in NDJSON over tiny blocks and in a JSON array.
func TestLazyMatchesEager(t *testing.T) {
	withLazyMin(t, 8)
	arr := "[" + strings.ReplaceAll(strings.TrimSpace(lazyRows), "\n", ",\n") + "]"
	cases := []struct {
		name, file, text string
	}{
		{"ndjson", "x.ndjson", lazyRows},
		{"bom", "x.ndjson", "\xef\xbb\xbf" + lazyRows},
		{"array", "x.json", arr},
	}
	for _, c := range cases {
		for _, opts := range []LoadOptions{{Schema: lazySchema}, {}} {
			name := fmt.Sprintf("%s/schema=%v", c.name, opts.Schema != nil)
			t.Run(name, func(t *testing.T) {
				eager := load(t, c.file, c.text, opts)
				lazy := loadPath(t, writeFile(t, c.file, c.text), opts)
				require.True(t, anyLazy(lazy), "no value was left in the file")
				require.False(t, anyLazy(eager))
				assert.Equal(t, eager.Schema, lazy.Schema)
				require.Equal(t, eager.Rows(), lazy.Rows())
				for r := 0; r < eager.Rows(); r++ {
					for ci := range eager.Columns {
						assert.Equal(t, eager.Columns[ci].Value(r), lazy.Columns[ci].Value(r),
							"row %d column %s", r, eager.Schema[ci].Name)
						assert.Equal(t, eager.Columns[ci].IsNull(r), lazy.Columns[ci].IsNull(r))
					}
				}
			})
		}
	}
}

func TestLazyValuesDecoded(t *testing.T) {
	withLazyMin(t, 8)
	tb := loadPath(t, writeFile(t, "x.ndjson", lazyRows), LoadOptions{Schema: lazySchema})
	s := col(t, tb, "s")
	assert.Equal(t, "escapes: \"quoted\" \\ back / slash \n newline \t tab é 😀 end", s[1].Str())
	d := col(t, tb, "d")
	assert.Equal(t, `{"spaced":[1,2],"more":"text text text"}`, d[1].Str())
	assert.True(t, d[3].IsNull(), "blank text in a dynamic column is null")
	assert.Equal(t, DynString, d[4].DynKind())
	j := col(t, tb, "j")
	assert.Equal(t, `{"x":[1,2,{"y":"z"}],"w":"a long nested value"}`, j[0].Str())
	assert.Equal(t, DynString, j[4].DynKind())
	assert.Equal(t, "v", d[0].Index(0).Member("k").String())
}

// Take on a lazy column composes row numbers; Take of Take, -1 rows, Concat,
// Strs, Reader and Append all see the right values.
func TestLazyTakeAndViews(t *testing.T) {
	withLazyMin(t, 8)
	tb := loadPath(t, writeFile(t, "x.ndjson", lazyRows), LoadOptions{Schema: lazySchema})
	s := tb.Columns[1]
	require.True(t, s.Lazy())
	all := col(t, tb, "s")

	v1 := s.Take([]int{5, 1, -1, 1, 0})
	v2 := v1.Take([]int{4, 2, 0, 3})
	require.Equal(t, 4, v2.Len())
	want := []Value{all[0], NewString(""), all[5], all[1]}
	for i, w := range want {
		assert.Equal(t, w, v2.Value(i), "row %d", i)
		assert.False(t, v2.IsNull(i), "a string is never null")
	}
	d := tb.Columns[2].Take([]int{-1, 0})
	assert.True(t, d.IsNull(0))
	assert.True(t, d.HasNulls())
	assert.False(t, d.IsNull(1))

	// Concat of views of one base is a view; with an eager column it copies.
	cat := Concat(String, v1, v2)
	require.True(t, cat.Lazy())
	require.Equal(t, 9, cat.Len())
	assert.Equal(t, all[5], cat.Value(0))
	assert.Equal(t, all[1], cat.Value(8))
	mixed := Concat(String, v2, Constant(String, NewString("x"), 2))
	assert.Equal(t, append(append([]Value{}, want...), NewString("x"), NewString("x")), values(mixed))

	strs := v2.Strs()
	require.Len(t, strs, 4)
	assert.Equal(t, all[5].Str(), strs[2])

	// A Reader gives the same values in order, out of order and repeated.
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5}, {5, 3, 3, 0, 1}, {2, 3, 4, 5, 0, 1, 2}} {
		read := s.Reader()
		for _, i := range order {
			assert.Equal(t, all[i], read(i), "row %d", i)
		}
	}

	// Appending to a view reads it into an ordinary column first.
	v2.Append(NewString("new"))
	assert.False(t, v2.Lazy())
	assert.Equal(t, append(append([]Value{}, want...), NewString("new")), values(v2))
}

func values(c *Column) []Value {
	out := make([]Value, c.Len())
	for i := range out {
		out[i] = c.Value(i)
	}
	return out
}

// Views of eager columns behave like copies, and Table.Take shares one row
// slice among the columns it views.
func TestTableTakeViews(t *testing.T) {
	tb := loadPath(t, writeFile(t, "x.ndjson", lazyRows), LoadOptions{Schema: lazySchema})
	sub := tb.Take([]int{4, 0, -1})
	sub2 := sub.Take([]int{1, 2})
	require.Equal(t, 2, sub2.Rows())
	for ci, c := range sub2.Columns {
		assert.Equal(t, tb.Columns[ci].Value(0), c.Value(0), "column %s", tb.Schema[ci].Name)
		assert.Equal(t, Null(c.Type()), c.Value(1))
	}
	assert.Equal(t, []int64{1, 0}, sub2.Columns[0].Ints())
	assert.Same(t, &sub2.Columns[0].rows[0], &sub2.Columns[3].rows[0])
}

// A file changed after loading is reported, never read as wrong values.
func TestLazyFileChanged(t *testing.T) {
	withLazyMin(t, 8)
	path := writeFile(t, "x.ndjson", lazyRows)
	tb := loadPath(t, path, LoadOptions{Schema: lazySchema})
	require.NoError(t, os.WriteFile(path, []byte(strings.Repeat("x", len(lazyRows))), 0o644))
	defer func() {
		r := recover()
		require.NotNil(t, r)
		de, ok := r.(*DataError)
		require.True(t, ok, "%T", r)
		assert.Contains(t, de.Error(), "changed since it was loaded")
	}()
	tb.Columns[1].Value(0)
}

// A line longer than a block, and many tiny blocks, decode as one block.
func TestStreamLongLines(t *testing.T) {
	defer func(old int) { minChunk = old }(minChunk)
	var b strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, `{"i":%d,"s":"%s"}`+"\n", i, strings.Repeat("x", i*7))
	}
	text := b.String()
	one := load(t, "x.ndjson", text, LoadOptions{})
	minChunk = 64
	many := load(t, "x.ndjson", text, LoadOptions{})
	lazy := loadPath(t, writeFile(t, "x.ndjson", text), LoadOptions{})
	require.Equal(t, 200, many.Rows())
	for r := 0; r < 200; r++ {
		require.Equal(t, one.Row(r), many.Row(r), "row %d", r)
		require.Equal(t, one.Row(r), lazy.Row(r), "row %d", r)
	}
	// An error in a late block names its line in the file.
	bad := strings.Replace(text, `{"i":150,`, `{"i":150,,`, 1)
	assert.Equal(t, "x.ndjson:151:10: invalid character ',' looking for beginning of object key string",
		loadErr(t, "x.ndjson", bad, LoadOptions{}))
}

func TestLoadProgress(t *testing.T) {
	var got []Progress
	path := writeFile(t, "x.ndjson", lazyRows)
	_, err := LoadFile(path, LoadOptions{Progress: func(p Progress) { got = append(got, p) }})
	require.NoError(t, err)
	require.NotEmpty(t, got)
	last := got[len(got)-1]
	assert.True(t, last.Done)
	assert.Equal(t, int64(6), last.Rows)
	assert.Equal(t, int64(len(lazyRows)), last.Bytes)
	assert.Equal(t, int64(len(lazyRows)), last.Total)
}
