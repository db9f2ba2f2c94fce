package main

import (
	"os"
	"strings"
	"syscall"
	"unsafe"
)

// releaseEvery is how many bytes a scan reads before it gives processed pages
// back to the kernel.
const releaseEvery = 4 << 20

// table is one mapped export file, seen both as bytes (for madvise) and as a
// string (for gjson, whose results are then substrings of the file).
type table struct {
	b []byte
	s string
}

// openTable maps dir/name.ndjson (or .json) read-only.
func openTable(dir, name string) (*table, error) {
	p, err := tablePath(dir, name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		return &table{}, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	return &table{b: b, s: unsafe.String(&b[0], len(b))}, nil
}

// close unmaps the file; no string from it may be used afterwards.
func (t *table) close() {
	if t.b != nil {
		_ = syscall.Munmap(t.b)
		t.b, t.s = nil, ""
	}
}

// release drops the resident pages wholly inside [lo, hi). The mapping is
// shared and read-only, so a later access re-reads the page from the cache.
func (t *table) release(lo, hi int) {
	page := os.Getpagesize()
	lo = (lo + page - 1) / page * page
	hi = hi / page * page
	if hi > lo {
		_ = syscall.Madvise(t.b[lo:hi], syscall.MADV_DONTNEED)
	}
}

// split returns n+1 offsets cutting [0, len) into n parts at line starts.
func (t *table) split(n int) []int {
	cuts := make([]int, n+1)
	cuts[n] = len(t.s)
	for i := 1; i < n; i++ {
		at := len(t.s) * i / n
		if at < cuts[i-1] {
			at = cuts[i-1]
		}
		nl := strings.IndexByte(t.s[at:], '\n')
		if nl < 0 {
			cuts[i] = len(t.s)
		} else {
			cuts[i] = at + nl + 1
		}
	}
	return cuts
}

// eachLine calls fn with the offset and text of every JSON object in the lines
// starting in [lo, hi), releasing pages behind it as it goes. It reads NDJSON
// and also a top-level array written one element per line: the brackets and
// separating commas around each object are trimmed.
func (t *table) eachLine(lo, hi int, fn func(off int, line string)) {
	freed := lo
	for pos := lo; pos < hi; {
		end := strings.IndexByte(t.s[pos:], '\n')
		if end < 0 {
			end = len(t.s)
		} else {
			end += pos
		}
		if off, obj := trimRow(t.s, pos, end); obj != "" {
			fn(off, obj)
		}
		pos = end + 1
		if pos-freed >= releaseEvery {
			t.release(freed, pos)
			freed = pos
		}
	}
	t.release(freed, hi)
}

// trimRow returns the object between the first '{' and the last '}' of
// s[pos:end], with its offset; "" when the line holds no object.
func trimRow(s string, pos, end int) (int, string) {
	for pos < end && s[pos] != '{' {
		pos++
	}
	for end > pos && s[end-1] != '}' {
		end--
	}
	if end <= pos {
		return pos, ""
	}
	return pos, s[pos:end]
}

// rowAt returns the object that starts at off (an offset from eachLine).
func (t *table) rowAt(off int) string {
	end := strings.IndexByte(t.s[off:], '\n')
	if end < 0 {
		end = len(t.s)
	} else {
		end += off
	}
	_, obj := trimRow(t.s, off, end)
	return obj
}
