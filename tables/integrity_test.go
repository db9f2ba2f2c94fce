package tables

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// integrityRow is one generated row: values chosen to sit where precision
// is lost by careless code (integers past 2^53, reals that need 17
// digits, datetimes with a 100 ns remainder) and text that breaks naive
// splitting (commas, quotes, newlines, non-ASCII).
type integrityRow struct {
	id    int64
	big   int64
	real  float64
	ticks int64
	text  string
}

// integrityRows makes n rows from a fixed seed.
func integrityRows(n int) []integrityRow {
	r := rand.New(rand.NewPCG(9, 53))
	texts := []string{"plain", "a, b", `say "hi"`, "two\nlines", "crlf\r\nend", "tab\there", "é ü 日本", "", " lead", "{\"json\":1}"}
	bigs := []int64{1<<53 + 1, -(1<<53 + 1), math.MaxInt64, math.MinInt64 + 1, 9007199254740993, 1234567890123456789}
	reals := []float64{0.1, 0.1 + 0.2, 1.0 / 3, math.Pi, 5e-324, math.MaxFloat64, -0.0000001, 123456789.123456789, 2.5e-7}
	base := time.Date(2025, 11, 3, 4, 5, 6, 0, time.UTC).UnixNano() / 100
	out := make([]integrityRow, n)
	for i := range out {
		out[i] = integrityRow{
			id:    int64(i),
			big:   bigs[r.IntN(len(bigs))] - int64(r.IntN(1000)),
			real:  scaled(reals[r.IntN(len(reals))], 1+r.IntN(7)),
			ticks: base + r.Int64N(1e15) + 1, // odd ticks: a 100 ns remainder
			text:  texts[r.IntN(len(texts))],
		}
	}
	return out
}

// scaled multiplies v by k unless that would overflow to infinity, which
// JSON cannot hold.
func scaled(v float64, k int) float64 {
	if math.IsInf(v*float64(k), 0) {
		return v
	}
	return v * float64(k)
}

// isoTicks writes ticks (100 ns since the epoch) as ISO 8601 with seven
// fraction digits.
func isoTicks(ticks int64) string {
	t := time.Unix(0, ticks*100).UTC()
	return t.Format("2006-01-02T15:04:05.0000000Z")
}

func (r integrityRow) jsonObject() string {
	text, _ := json.Marshal(r.text)
	return fmt.Sprintf(`{"id":%d,"big":%d,"real":%s,"when":"%s","text":%s}`,
		r.id, r.big, strconv.FormatFloat(r.real, 'g', -1, 64), isoTicks(r.ticks), text)
}

// integrityFiles writes rows in every format the loaders read.
func integrityFiles(t *testing.T, rows []integrityRow) map[string][]byte {
	t.Helper()
	objs := make([]string, len(rows))
	for i, r := range rows {
		objs[i] = r.jsonObject()
	}
	var csvBuf bytes.Buffer
	w := csv.NewWriter(&csvBuf)
	require.NoError(t, w.Write([]string{"id", "big", "real", "when", "text"}))
	for _, r := range rows {
		require.NoError(t, w.Write([]string{strconv.FormatInt(r.id, 10), strconv.FormatInt(r.big, 10),
			strconv.FormatFloat(r.real, 'g', -1, 64), isoTicks(r.ticks), r.text}))
	}
	w.Flush()
	ndjson := []byte(strings.Join(objs, "\n") + "\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write(ndjson)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return map[string][]byte{
		"t.json":      []byte("[\n" + strings.Join(objs, ",\n") + "\n]"),
		"t.ndjson":    ndjson,
		"t.jsonl":     []byte(strings.Join(objs, "\r\n")),
		"t.csv":       csvBuf.Bytes(),
		"t.ndjson.gz": gz.Bytes(),
	}
}

// integritySchema types the columns, as a schema file would; the CSV
// loader needs it to tell a long from a real written without a point.
var integritySchema = Schema{{"id", Long}, {"big", Long}, {"real", Real}, {"when", DateTime}, {"text", String}}

// TestIntegrityRowsAndValues writes the same rows in every format, loads
// them with and without a schema, and checks that every row came back,
// in order, with every value exact: no row is dropped or invented, no
// long loses digits past 2^53, no real loses a bit, no datetime loses its
// 100 ns ticks, no text is altered.
func TestIntegrityRowsAndValues(t *testing.T) {
	rows := integrityRows(5000)
	for name, data := range integrityFiles(t, rows) {
		path := filepath.Join(t.TempDir(), name)
		require.NoError(t, os.WriteFile(path, data, 0o644))
		for _, schema := range []Schema{nil, integritySchema} {
			t.Run(fmt.Sprintf("%s/schema=%v", name, schema != nil), func(t *testing.T) {
				tb, err := LoadFile(path, LoadOptions{Schema: schema})
				require.NoError(t, err)
				checkShape(t, tb)
				require.Equal(t, len(rows), tb.Rows(), "rows in = rows out")
				checkIntegrity(t, tb, rows, strings.HasSuffix(name, ".csv"))
			})
		}
	}
}

// checkIntegrity compares a loaded table with the rows it came from.
// The CSV reader (Go's encoding/csv) turns \r\n inside a quoted field
// into \n; csvText says to expect that known change and no other.
func checkIntegrity(t *testing.T, tb *Table, rows []integrityRow, csvText bool) {
	t.Helper()
	ids, bigs, reals := col(t, tb, "id"), col(t, tb, "big"), col(t, tb, "real")
	whens, texts := col(t, tb, "when"), col(t, tb, "text")
	for i, r := range rows {
		require.Equal(t, r.id, ids[i].Int64(), "row %d id", i)
		require.Equal(t, r.big, bigs[i].Int64(), "row %d big (%s)", i, bigs[i].Type())
		got, ok := reals[i].AsFloat()
		require.True(t, ok, "row %d real is %s", i, reals[i].Type())
		require.Equal(t, math.Float64bits(r.real), math.Float64bits(got), "row %d real %v != %v", i, got, r.real)
		require.Equal(t, DateTime, whens[i].Type(), "row %d when", i)
		require.Equal(t, r.ticks, whens[i].Int64(), "row %d when %s", i, whens[i])
		want := r.text
		if csvText {
			want = strings.ReplaceAll(want, "\r\n", "\n")
		}
		require.Equal(t, want, texts[i].String(), "row %d text", i)
	}
}

// TestIntegrityDateTimeText checks that a datetime keeps its ticks when
// written as text and read back, at the edges of the fraction.
func TestIntegrityDateTimeText(t *testing.T) {
	for _, s := range []string{
		"2025-11-03T04:05:06.0000001Z", "2025-11-03T04:05:06.9999999Z", "1970-01-01T00:00:00.0000001Z",
		"1969-12-31T23:59:59.9999999Z", "0001-01-01T00:00:00.0000000Z", "9999-12-31T23:59:59.9999999Z",
	} {
		ticks, ok := ParseDateTime(s)
		require.True(t, ok, s)
		assert.Equal(t, s, NewDateTime(ticks).String(), "round trip of %s", s)
	}
}

// TestIntegrityManyRowsAcrossChunks loads an NDJSON file large enough to
// be decoded in several parallel chunks and checks that every id appears
// once, in order.
func TestIntegrityManyRowsAcrossChunks(t *testing.T) {
	const n = 200000
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "{\"id\":%d,\"pad\":\"%s\"}\n", i, strings.Repeat("x", i%97))
	}
	path := filepath.Join(t.TempDir(), "many.ndjson")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	tb, err := LoadFile(path, LoadOptions{})
	require.NoError(t, err)
	require.Equal(t, n, tb.Rows())
	ids := tb.Columns[tb.Schema.Index("id")]
	for i := 0; i < n; i++ {
		if got := ids.Value(i).Int64(); got != int64(i) {
			t.Fatalf("row %d has id %d", i, got)
		}
	}
}
