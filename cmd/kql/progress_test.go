package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/kql-offline/kql/tables"
	"github.com/stretchr/testify/assert"
)

func TestProgressLine(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := newProgressLine(&out, func() time.Time { return clock })
	p.update(tables.Progress{Path: "d/AIAgentsInfo.ndjson", Bytes: 10, Total: 100})
	assert.Empty(t, out.String(), "nothing before the first delay")
	clock = clock.Add(2 * time.Second)
	p.update(tables.Progress{Path: "d/AIAgentsInfo.ndjson", Bytes: 800e6, Total: 1600e6, Rows: 150000})
	assert.Equal(t, "\r\033[Kloading AIAgentsInfo.ndjson: 800.0 MB of 1.6 GB (50%), 150000 rows, 400.0 MB/s", out.String())
	out.Reset()
	p.update(tables.Progress{Path: "d/AIAgentsInfo.ndjson", Bytes: 900e6, Total: 1600e6})
	assert.Empty(t, out.String(), "no redraw before the next is due")
	p.update(tables.Progress{Done: true})
	assert.Equal(t, "\r\033[K", out.String(), "the line is erased at the end")
}

func TestProgressText(t *testing.T) {
	assert.Equal(t, "512 B, 3 rows", progressText(tables.Progress{Bytes: 512, Rows: 3}, 0))
	assert.Equal(t, "2.0 kB, 0 rows, 1.0 kB/s", progressText(tables.Progress{Bytes: 2000}, 2*time.Second))
}
