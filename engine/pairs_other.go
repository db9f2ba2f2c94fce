//go:build !amd64

package engine

// pairIndex returns the first i with s[i]|ma == a and s[i+1]|mb == b, or
// -1. A mask of 0x20 on a lower-case letter matches both cases; 0xff with
// 0xff matches any byte.
func pairIndex(s []byte, a, b, ma, mb byte) int { return pairIndexTail(s, 0, a, b, ma, mb) }
