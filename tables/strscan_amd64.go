package tables

// masks64 returns the masks of backslashes and quotes of the 64 bytes at p
// (strscan_amd64.s).
//
//go:noescape
func masks64(p *byte) (bs, q uint64)

// blockMasks returns the masks of backslashes and quotes of the 64 bytes
// of b.
func blockMasks(b []byte) (bs, q uint64) {
	_ = b[63]
	return masks64(&b[0])
}
