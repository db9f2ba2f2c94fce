package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

// integrityNDJSON writes n rows whose values lose precision in careless
// code: longs past 2^53, reals that need 17 digits, datetimes with a
// 100 ns remainder, text with quotes, commas and newlines.
func integrityNDJSON(n int) string {
	bigs := []int64{1<<53 + 1, -(1<<53 + 1), math.MaxInt64, math.MinInt64 + 1, 1234567890123456789}
	reals := []string{"0.1", "0.30000000000000004", "0.3333333333333333", "3.141592653589793",
		"5e-324", "1.7976931348623157e+308", "-1e-7", "123456789.12345679"}
	texts := []string{`plain`, `a, b`, `say \"hi\"`, `two\nlines`, `tab\there`, `é ü 日本`, ``}
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"id":%d,"big":%d,"real":%s,"when":"2025-11-03T04:05:%02d.%07dZ","text":"%s"}`+"\n",
			i, bigs[i%len(bigs)]-int64(i), reals[i%len(reals)], i%60, (i*7919+1)%10000000, texts[i%len(texts)])
	}
	return b.String()
}

var integritySchema = tables.Schema{{Name: "id", Type: tables.Long}, {Name: "big", Type: tables.Long},
	{Name: "real", Type: tables.Real}, {Name: "when", Type: tables.DateTime}, {Name: "text", Type: tables.String}}

// TestOutputRoundTrip loads a table, prints it in each machine format,
// loads what was printed and checks that every row and every value came
// back exactly: the writers lose no digits, ticks or characters and drop
// no rows.
func TestOutputRoundTrip(t *testing.T) {
	const n = 3000
	dir := t.TempDir()
	in := filepath.Join(dir, "T.ndjson")
	require.NoError(t, os.WriteFile(in, []byte(integrityNDJSON(n)), 0o644))
	orig, err := tables.LoadFile(in, tables.LoadOptions{Schema: integritySchema})
	require.NoError(t, err)
	require.Equal(t, n, orig.Rows())

	for format, ext := range map[string]string{"json": "json", "jsonl": "ndjson", "csv": "csv"} {
		t.Run(format, func(t *testing.T) {
			r := runCLI(t, "", "run", "-t", "T="+in, "-f", format, "-q", "T")
			require.Equal(t, 0, r.code, r.stderr)
			require.Empty(t, r.stderr)
			out := filepath.Join(t.TempDir(), "out."+ext)
			require.NoError(t, os.WriteFile(out, []byte(r.stdout), 0o644))
			back, err := tables.LoadFile(out, tables.LoadOptions{Schema: integritySchema})
			require.NoError(t, err)
			require.Equal(t, n, back.Rows(), "rows printed = rows loaded")
			for i := 0; i < n; i++ {
				want, got := orig.Row(i), back.Row(i)
				for c := range want {
					if !valuesIdentical(want[c], got[c]) {
						t.Fatalf("row %d column %s: printed %s, read back %s", i, integritySchema[c].Name, want[c], got[c])
					}
				}
			}
		})
	}
}

// valuesIdentical compares two values bit for bit (reals by their bits, so
// that a last-digit rounding is caught).
func valuesIdentical(a, b tables.Value) bool {
	if a.Type() != b.Type() || a.IsNull() != b.IsNull() {
		return false
	}
	if a.Type() == tables.Real {
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	}
	return a.String() == b.String()
}

// TestTableOutputHasEveryRow checks that the human table format prints
// every row when stdout is not a terminal and no --max-rows is given.
func TestTableOutputHasEveryRow(t *testing.T) {
	r := runCLI(t, "", "run", "-q", "range x from 1 to 25000 step 1")
	require.Equal(t, 0, r.code)
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	require.Len(t, lines, 25000+2, "header, rule and every row")
	assert.Equal(t, "25000", strings.TrimSpace(lines[len(lines)-1]))
	assert.Empty(t, r.stderr)
}
