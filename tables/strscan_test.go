package tables

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refScanString is the byte-at-a-time definition scanString must agree
// with: the end after the closing quote, whether the body has escapes, and
// whether every escape is valid.
func refScanString(s string, i int) (end int, esc, ok bool) {
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '"':
			return j + 1, esc, true
		case '\\':
			esc = true
			j++
			if j >= len(s) {
				return len(s), true, false
			}
			switch s[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+5 > len(s) || !isHex4(s[j+1:j+5]) {
					return j, true, false
				}
				j += 4
			default:
				return j, true, false
			}
		}
	}
	return len(s), esc, false
}

func TestByteMask(t *testing.T) {
	for v := 0; v < 256; v++ {
		var x uint64
		var want uint64
		for k := 0; k < 8; k++ {
			c := byte('a')
			if v&(1<<k) != 0 {
				c = '"'
			}
			if k == 3 && v&(1<<k) == 0 {
				c = '"' + 1 // a byte next to the pattern's value
			}
			if k == 5 && v&(1<<k) == 0 {
				c = '"' ^ 0x80
			}
			x |= uint64(c) << (8 * k)
			if c == '"' {
				want |= 1 << k
			}
		}
		require.Equal(t, want, byteMask(x, '"'*lows), "pattern %08b", v)
	}
}

func TestBlockMasks(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	b := make([]byte, 64)
	for n := 0; n < 10000; n++ {
		for i := range b {
			b[i] = []byte{'"', '\\', 'a', 0x22 ^ 0x80, 0x5c ^ 0x80, 0x5d, 0}[r.Intn(7)]
		}
		bs, q := blockMasks(b)
		wbs, wq := swarMasks(b)
		require.Equal(t, wbs, bs)
		require.Equal(t, wq, q)
	}
}

// randomStringText builds text dense in quotes, backslashes and escape
// letters, the cases the 64-byte scanner must get right at every offset.
// sparse makes bare quotes rare, so that the closing quote is blocks away.
func randomStringText(r *rand.Rand, n int, sparse bool) string {
	const alphabet = `\\\\\\""nu/tbx0aF1`
	var b strings.Builder
	for b.Len() < n {
		switch {
		case r.Intn(8) == 0:
			b.WriteString(strings.Repeat(`\`, r.Intn(70)))
		case sparse && r.Intn(200) != 0:
			b.WriteString([]string{`\"`, `ab`, `\\`, `\u00e9`, `\n`, `x`}[r.Intn(6)])
		default:
			b.WriteByte(alphabet[r.Intn(len(alphabet))])
		}
	}
	return b.String()
}

func TestScanStringAgreesWithReference(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 4000; n++ {
		s := randomStringText(r, r.Intn(600), n%2 == 0)
		for i := 0; i <= len(s); i += 1 + r.Intn(7) {
			wantEnd, wantEsc, wantOK := refScanString(s, i)
			end, esc, ok := scanString(s, i)
			require.Equal(t, wantOK, ok, "ok: %q from %d", s, i)
			if ok {
				require.Equal(t, wantEnd, end, "end: %q from %d", s, i)
				require.Equal(t, wantEsc, esc, "esc: %q from %d", s, i)
			}
		}
	}
}

func TestScanStringLongEscapedText(t *testing.T) {
	// JSON text held in a string: an escaped quote every few bytes, the
	// closing quote far away, and escapes across 64-byte boundaries.
	doc := `[{\"a\":\"x\\\\y\",\"u\":\"\u00e9\",\"t\":\"1\t2\/3\"}]`
	for pad := 0; pad < 70; pad++ {
		s := strings.Repeat("a", pad) + strings.Repeat(doc, 9) + `",`
		end, esc, ok := scanString(s, 0)
		assert.True(t, ok)
		assert.True(t, esc)
		assert.Equal(t, len(s)-1, end, "pad %d", pad)
		bad := strings.Repeat("a", pad) + strings.Repeat(doc, 3) + `\x` + strings.Repeat(doc, 3) + `"`
		_, _, ok = scanString(bad, 0)
		assert.False(t, ok, "pad %d", pad)
	}
}

func FuzzScanString(f *testing.F) {
	for _, seed := range []string{`abc"`, `a\"b"`, `\\\\"`, `\u00e9"`, `\u00"`, strings.Repeat(`\"`, 40) + `"`} {
		f.Add(seed, 0)
	}
	f.Fuzz(func(t *testing.T, s string, i int) {
		if i < 0 || i > len(s) {
			return
		}
		wantEnd, wantEsc, wantOK := refScanString(s, i)
		end, esc, ok := scanString(s, i)
		require.Equal(t, wantOK, ok)
		if ok {
			require.Equal(t, wantEnd, end)
			require.Equal(t, wantEsc, esc)
		}
	})
}

func TestIsCompactJSON(t *testing.T) {
	for s, want := range map[string]bool{
		`{"a":"b c","d":[1,2]}`: true, `"x y"`: true, `5`: true, `null`: true,
		`{"a": 1}`: false, ` 5`: false, `5 `: false, `[1,`: false, ``: false, `{"a":1}x`: false,
	} {
		assert.Equal(t, want, IsCompactJSON(s), "%q", s)
	}
}
