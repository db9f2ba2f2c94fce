//go:build !amd64

package tables

// blockMasks returns the masks of backslashes and quotes of the 64 bytes
// of b.
func blockMasks(b []byte) (bs, q uint64) { return swarMasks(b) }
