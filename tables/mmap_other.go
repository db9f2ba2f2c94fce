//go:build !linux

package tables

import "io"

// mappedBlocks is Linux's mapped reading of large files (mmap_linux.go);
// elsewhere files are read.
type mappedBlocks struct{}

func (ld *loader) mapRest(any, *blockReader) *mappedBlocks { return nil }
func (m *mappedBlocks) next() ([]byte, int64, error)       { return nil, 0, io.EOF }
func (m *mappedBlocks) release([]byte)                     {}
func (m *mappedBlocks) close()                             {}
