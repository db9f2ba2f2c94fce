package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kql-offline/kql/tables"
)

// Loading progress
//
// Loading a multi-gigabyte export takes seconds; a person at a terminal is
// shown how far it has got (bytes, rows and the rate) on one line of
// stderr, redrawn a few times a second and erased when the file is loaded.
// Nothing is written when stderr is not a terminal, or for a file that
// loads before the first redraw is due.

// loadProgressDelay is how long a load runs before its progress is shown, and
// then the time between redraws.
const loadProgressDelay = 250 * time.Millisecond

// loadProgress returns the progress callback for loading one file, or nil
// when stderr is not a terminal.
func loadProgress() func(tables.Progress) {
	if !isTerminal(os.Stderr) {
		return nil
	}
	return newProgressLine(os.Stderr, time.Now).update
}

// progressLine draws the progress of one file's load on w.
type progressLine struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	next  time.Time // when the line may be redrawn
	shown bool
}

func newProgressLine(w io.Writer, now func() time.Time) *progressLine {
	t := now()
	return &progressLine{w: w, now: now, start: t, next: t.Add(loadProgressDelay)}
}

func (p *progressLine) update(pr tables.Progress) {
	if pr.Done {
		if p.shown {
			fmt.Fprint(p.w, "\r\033[K")
		}
		return
	}
	t := p.now()
	if t.Before(p.next) {
		return
	}
	p.next = t.Add(loadProgressDelay)
	p.shown = true
	fmt.Fprintf(p.w, "\r\033[Kloading %s: %s", filepath.Base(pr.Path), progressText(pr, t.Sub(p.start)))
}

// progressText describes how far a load has got after elapsed time.
func progressText(pr tables.Progress, elapsed time.Duration) string {
	done := byteSize(pr.Bytes)
	if pr.Total > 0 {
		done = fmt.Sprintf("%s of %s (%d%%)", done, byteSize(pr.Total), pr.Bytes*100/pr.Total)
	}
	rate := ""
	if s := elapsed.Seconds(); s > 0 {
		rate = fmt.Sprintf(", %s/s", byteSize(int64(float64(pr.Bytes)/s)))
	}
	return fmt.Sprintf("%s, %d rows%s", done, pr.Rows, rate)
}

// byteSize prints a byte count with a binary-free decimal unit: 512 B,
// 1.6 GB.
func byteSize(n int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	f := float64(n)
	u := 0
	for f >= 1000 && u < len(units)-1 {
		f /= 1000
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f %s", f, units[u])
}
