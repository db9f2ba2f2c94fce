package tables

import (
	"io"
	"os"
	"strings"
	"syscall"
	"unsafe"
)

// Mapped NDJSON blocks
//
// Reading a large export with read(2) copies every byte from the page
// cache into a block buffer: on 1.6 GB about a tenth of the load's CPU
// time. On Linux the rest of a large regular file is mapped instead and
// cut into blocks in place. A block's pages are given back with
// MADV_DONTNEED once it is decoded, so the mapping adds nothing to the peak
// memory (the page cache keeps the pages; a page shared with a block still
// being decoded is simply faulted in again). Column values never point into
// a block (fragment.own copies them, as it must for reused buffers), so the
// mapping is unmapped when the load ends.
//
// A file truncated while it is mapped makes reading past its new end fault;
// the goroutines that touch the mapping turn that fault into a panic
// (debug.SetPanicOnFault) and report it as the file having changed.

// mapMin is the smallest file that is mapped; smaller ones are read. Tests
// lower it.
var mapMin int64 = 64 << 20

// mappedBlocks hands out blocks of whole lines of a mapped file, from pos.
type mappedBlocks struct {
	data []byte
	pos  int
	size int
}

// mapRest maps the file behind r for the blocks after the ones br has
// read, or returns nil when it should not or cannot be mapped.
func (ld *loader) mapRest(r any, br *blockReader) *mappedBlocks {
	f, ok := r.(*os.File)
	if !ok || ld.src == nil || br.eof || ld.total < mapMin || ld.total != ld.src.size {
		return nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(ld.total), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return &mappedBlocks{data: data, pos: int(br.off), size: br.size}
}

// next returns the next block and its offset in the file; io.EOF after
// the last one.
func (m *mappedBlocks) next() (buf []byte, off int64, err error) {
	defer func() {
		if r := recover(); r != nil {
			buf, err = nil, errChanged
		}
	}()
	if m.pos >= len(m.data) {
		return nil, 0, io.EOF
	}
	end := min(m.pos+m.size, len(m.data))
	if end < len(m.data) {
		rest := unsafe.String(&m.data[m.pos], end-m.pos)
		if nl := strings.LastIndexByte(rest, '\n'); nl >= 0 {
			end = m.pos + nl + 1
		} else if nl := strings.IndexByte(unsafe.String(&m.data[end], len(m.data)-end), '\n'); nl >= 0 {
			end += nl + 1
		} else {
			end = len(m.data)
		}
	}
	buf, off = m.data[m.pos:end], int64(m.pos)
	m.pos = end
	return buf, off, nil
}

// release gives the whole pages of a decoded block back; a block that is
// not part of the mapping (the first one, read before mapping) is left.
func (m *mappedBlocks) release(buf []byte) {
	if len(buf) == 0 {
		return
	}
	base := uintptr(unsafe.Pointer(&m.data[0]))
	p := uintptr(unsafe.Pointer(&buf[0]))
	if p < base || p >= base+uintptr(len(m.data)) {
		return
	}
	page := uintptr(os.Getpagesize())
	lo := (p - base + page - 1) &^ (page - 1)
	hi := (p - base + uintptr(len(buf))) &^ (page - 1)
	if hi > lo {
		_ = syscall.Madvise(m.data[lo:hi], syscall.MADV_DONTNEED)
	}
}

// close unmaps the file.
func (m *mappedBlocks) close() { _ = syscall.Munmap(m.data) }
