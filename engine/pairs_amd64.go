package engine

// pairIndexAsm is pairIndex over the positions of s that have 16 bytes
// after them (pairs_amd64.s).
//
//go:noescape
func pairIndexAsm(s []byte, a, b, ma, mb byte) int

// pairIndex returns the first i with s[i]|ma == a and s[i+1]|mb == b, or
// -1. A mask of 0x20 on a lower-case letter matches both cases; 0xff with
// 0xff matches any byte.
func pairIndex(s []byte, a, b, ma, mb byte) int {
	done := 0
	if len(s) >= 17 {
		if i := pairIndexAsm(s, a, b, ma, mb); i >= 0 {
			return i
		}
		done = (len(s) - 1) / 16 * 16
	}
	return pairIndexTail(s, done, a, b, ma, mb)
}
