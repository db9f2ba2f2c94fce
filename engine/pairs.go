package engine

// pairIndexTail is pairIndex from s[from], a byte at a time.
func pairIndexTail(s []byte, from int, a, b, ma, mb byte) int {
	for i := from; i+1 < len(s); i++ {
		if s[i]|ma == a && s[i+1]|mb == b {
			return i
		}
	}
	return -1
}
