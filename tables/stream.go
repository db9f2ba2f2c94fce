package tables

import (
	"errors"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"unsafe"
)

// Streaming NDJSON
//
// An NDJSON file is read in blocks that end at a newline. One goroutine
// reads; GOMAXPROCS workers decode blocks into fragments, as decode does
// for a file held whole, and hand their buffers back for the next reads.
// So the file is never held in memory: at any time a few blocks are, and
// the columns, whose strings are copied out of the blocks (fragment.own)
// or left in the file (lazy.go).

// maxBlock bounds the size of a streamed block: a few of them are in memory
// at once, and the work is shared in units of one block.
const maxBlock = 8 << 20

// blockSize picks the block size for an input of total bytes (0: unknown).
func blockSize(total int64) int {
	if total <= 0 {
		return maxBlock
	}
	return min(chunkSize(int(min(total, 1<<40))), maxBlock)
}

// blockReader cuts a stream into blocks of whole lines.
type blockReader struct {
	r     io.Reader
	size  int
	carry []byte // the start of a line the previous block cut
	off   int64  // stream offset of the next block
	eof   bool
	free  chan []byte // buffers handed back by the workers
}

func newBlockReader(r io.Reader, size, buffers int) *blockReader {
	return &blockReader{r: r, size: size, free: make(chan []byte, buffers)}
}

// next returns the next block and its offset in the stream; io.EOF after
// the last one. A line longer than the block size makes a longer block.
func (b *blockReader) next() ([]byte, int64, error) {
	if b.eof && len(b.carry) == 0 {
		return nil, 0, io.EOF
	}
	var buf []byte
	select {
	case buf = <-b.free:
	default:
		buf = make([]byte, 0, b.size)
	}
	buf = append(buf[:0], b.carry...)
	b.carry = b.carry[:0]
	scanned := 0 // bytes of buf known to hold no newline
	for {
		if !b.eof && len(buf) < cap(buf) {
			n, err := io.ReadFull(b.r, buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				b.eof = true
			} else if err != nil {
				return nil, 0, err
			}
		}
		if b.eof {
			off := b.off
			b.off += int64(len(buf))
			return buf, off, nil
		}
		if nl := strings.LastIndexByte(unsafe.String(unsafe.SliceData(buf[scanned:]), len(buf)-scanned), '\n'); nl >= 0 {
			cut := scanned + nl + 1
			b.carry = append(b.carry, buf[cut:]...)
			off := b.off
			b.off += int64(cut)
			return buf[:cut], off, nil
		}
		scanned = len(buf)
		grown := make([]byte, len(buf), 2*cap(buf))
		copy(grown, buf)
		buf = grown
	}
}

// release hands a block's buffer back for reuse.
func (b *blockReader) release(buf []byte) {
	select {
	case b.free <- buf[:0]:
	default:
	}
}

// errChanged is what a fault on a mapped file is reported as.
var errChanged = errors.New("the file changed while it was read")

// blocks is where streamNDJSON gets its blocks: a blockReader, or a
// mapping of the file (mmap_linux.go).
type blocks interface {
	next() ([]byte, int64, error)
	release(buf []byte)
}

// streamNDJSON decodes the blocks of br, the first of which the caller has
// read already (first, at stream offset firstOff; base is the file offset
// of stream offset 0). mapped is set when br is a mapping, whose faults
// are reported as the file having changed.
func (ld *loader) streamNDJSON(br blocks, first []byte, firstOff int64, mapped bool) (*Table, error) {
	p := ld.jsonPlan()
	workers := runtime.GOMAXPROCS(0)
	type job struct {
		seq int
		buf []byte
		off int64
	}
	jobs := make(chan job, workers)
	var (
		mu    sync.Mutex
		frags []*fragment
		lines []int
		fail  firstError
		wg    sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if mapped {
				defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			}
			for j := range jobs {
				text := unsafe.String(unsafe.SliceData(j.buf), len(j.buf))
				nl := 0 // the failing block's count is not needed
				var f *fragment
				if !fail.before(j.seq) {
					f = p.newFragment()
					if err := ld.decodeBlock(f, chunk{text: text, off: ld.base + j.off}, mapped); err != nil {
						fail.set(j.seq, err)
						f = nil
					} else {
						nl = f.lines
					}
				}
				mu.Lock()
				for len(frags) <= j.seq {
					frags = append(frags, nil)
					lines = append(lines, 0)
				}
				frags[j.seq], lines[j.seq] = f, nl
				mu.Unlock()
				br.release(j.buf)
				if f != nil {
					ld.progress(len(text), f.rows)
				}
			}
		}()
	}
	var readErr error
	if mapped {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	}
	buf, off := first, firstOff
	for seq := 0; ; seq++ {
		jobs <- job{seq: seq, buf: buf, off: off}
		if fail.before(seq + 1) {
			break
		}
		var err error
		buf, off, err = br.next()
		if err != nil {
			if err != io.EOF {
				readErr = err
			}
			break
		}
	}
	close(jobs)
	wg.Wait()
	if fail.err != nil {
		if de, ok := fail.err.(*DataError); ok && de.Line > 0 {
			for _, n := range lines[:fail.idx] {
				de.Line += n
			}
		}
		return nil, fail.err
	}
	if readErr != nil {
		return nil, &DataError{Path: ld.path, Msg: readErr.Error()}
	}
	return p.assemble(frags), nil
}

// decodeBlock decodes one block into f. On a mapped file, a fault (the
// file was truncated) is reported as an error.
func (ld *loader) decodeBlock(f *fragment, c chunk, mapped bool) (err error) {
	if mapped {
		defer func() {
			if r := recover(); r != nil {
				re, ok := r.(runtime.Error)
				if !ok || !strings.Contains(re.Error(), "fault") {
					panic(r)
				}
				err = &DataError{Path: ld.path, Msg: errChanged.Error()}
			}
		}()
	}
	return f.decodeChunk(c)
}

// streamable reports whether the first block of an NDJSON input lets the
// rest be streamed: its first line is a whole JSON value (else the input
// may be one object over several lines, which needs the whole text).
func streamable(head string, eof bool) bool {
	start := skipSpace(head, 0)
	if start == len(head) {
		return eof
	}
	nl := strings.IndexByte(head[start:], '\n')
	if nl < 0 {
		return true // one line, to the end of the input
	}
	if eof && skipSpace(head, start+nl) == len(head) {
		return true
	}
	ok, _ := validJSON(head[start : start+nl])
	return ok
}
