package tables

import (
	"encoding/binary"
	"math/bits"
)

// Scanning long escaped strings 64 bytes at a time
//
// The large values of an export are JSON text held in a JSON string, so
// their raw text has an escaped quote every few bytes. Stopping at each
// quote and backslash (quoteOrBackslash) then costs a call and a
// mispredicted branch every few bytes: profiles of the generator's data put
// about a third of the load there. scanEscaped instead builds, for 64 bytes
// at once, a bit mask of the backslashes and one of the quotes, works out
// from the backslash mask which bytes are escaped (the byte after an odd
// run of backslashes), and so finds the closing quote with no branch per
// byte. Escapes other than \" and \\ are checked one by one; in this kind of
// text they are rare.
//
// On amd64 the two masks come from SSE2 compares (strscan_amd64.s, 16
// bytes per instruction); elsewhere from the word-at-a-time byteMask. The
// SWAR masks alone took 8 instructions per byte, the largest cost of a load.

// Bits of even and odd positions of a 64-bit mask.
const (
	evenBits = 0x5555555555555555
	oddBits  = 0xAAAAAAAAAAAAAAAA
	low7s    = 0x7F7F7F7F7F7F7F7F
	// gather collects the lowest bit of each byte into the top byte (bit k
	// of the top byte from byte k) when multiplied by a word holding only
	// those bits.
	gather = 0x0102040810204080
)

// byteMask returns a mask with bit k set where byte k of x equals the byte
// that pat repeats. The test is exact per byte: no carry crosses bytes.
func byteMask(x, pat uint64) uint64 {
	y := x ^ pat
	nonzero := ((y & low7s) + low7s) | y
	hi := ^nonzero & highs
	return (hi >> 7) * gather >> 56
}

// swarMasks returns the masks of backslashes and quotes of the 64 bytes of
// b, eight bytes at a time in a word.
func swarMasks(b []byte) (bs, q uint64) {
	_ = b[63]
	for k := 0; k < 8; k++ {
		x := binary.LittleEndian.Uint64(b[8*k:])
		bs |= byteMask(x, '\\'*lows) << (8 * k)
		q |= byteMask(x, '"'*lows) << (8 * k)
	}
	return bs, q
}

// escapedBits returns the positions of the bytes escaped by a backslash in
// a block with backslash mask bs, and whether the block's last backslash
// escapes the first byte of the next block. carry tells whether the first
// byte of this block is escaped by the previous one.
//
// An escaped byte follows a run of backslashes of odd length. Adding a
// run's lowest bit to the mask ripples through the run and sets the bit
// just past it; that bit is at an odd distance from the run's start when
// the run's length is odd. Runs starting at even and at odd positions are
// added separately so that the parity of the distance is the parity of the
// position the bit lands on.
func escapedBits(bs uint64, carry uint64) (escaped, carryOut uint64) {
	bs &^= carry // an escaped backslash starts no escape
	starts := bs &^ (bs << 1)
	evenSum, _ := bits.Add64(bs, starts&evenBits, 0)
	oddSum, out := bits.Add64(bs, starts&oddBits, 0)
	escaped = (evenSum&^bs)&oddBits | (oddSum&^bs)&evenBits | carry
	// A run reaching bit 63 from an even start has even length (no escape
	// into the next block); from an odd start it has odd length.
	return escaped, out
}

// scanEscaped returns the index after the closing quote of a string whose
// body continues at s[i] with no escape pending, checking each escape as
// scanString does.
func scanEscaped(s string, i int) (end int, ok bool) {
	b := stringBytes(s)
	var carry uint64
	for ; i+64 <= len(b); i += 64 {
		bs, q := blockMasks(b[i : i+64])
		escaped, next := escapedBits(bs, carry)
		quotes := q &^ escaped
		limit := ^uint64(0)
		if quotes != 0 {
			limit = quotes&-quotes - 1 // the bytes before the closing quote
		}
		if odd := escaped &^ (q | bs) & limit; odd != 0 && !checkEscapes(s, i, odd) {
			return i, false
		}
		if quotes != 0 {
			return i + bits.TrailingZeros64(quotes) + 1, true
		}
		carry = next
	}
	if carry != 0 {
		// The last block's final backslash escapes s[i].
		if i >= len(s) {
			return len(s), false
		}
		if c := s[i]; c != '"' && c != '\\' && !checkEscapes(s, i, 1) {
			return i, false
		}
		i++
	}
	return scanStringTail(s, i)
}

// checkEscapes checks the escaped bytes odd (bits relative to s[base])
// that are neither a quote nor a backslash: one of / b f n r t, or u and
// four hex digits.
func checkEscapes(s string, base int, odd uint64) bool {
	for ; odd != 0; odd &= odd - 1 {
		j := base + bits.TrailingZeros64(odd)
		switch s[j] {
		case '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if j+5 > len(s) || !isHex4(s[j+1:j+5]) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
