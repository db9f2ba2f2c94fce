package main

import (
	"math"

	"github.com/tidwall/gjson"
)

// workers is the goroutine count of both passes (the benchmark machine has 2 cores).
const workers = 2

// noTicks marks a null Timestamp (missing or not a datetime). It loses to any
// non-null one, but a group of only nulls still yields a row, as arg_max does.
const noTicks = math.MinInt64

// pick is one arg_max candidate: a row offset (-1: none yet) and its Timestamp.
type pick struct {
	off   int
	ticks int64
}

// better reports whether c should replace p as the arg_max row. Ties keep the
// row seen first; the query leaves the choice open.
func (p pick) better(c pick) bool {
	return p.off < 0 || (c.ticks != noTicks && c.ticks > p.ticks)
}

// latest holds both arg_max results of one agent: over all rows (topics leg)
// and over rows with RegistrySource != "A365" (tools leg).
type latest struct {
	all, nonA365 pick
}

// agentPicks maps AIAgentId to an index into rows. Ids in GUID form are keyed
// by their 16 bytes, which keeps the map small and needs no key copy; any
// other id is copied off the mapped file into byName.
type agentPicks struct {
	byGUID map[[16]byte]int32
	byName map[string]int32
	rows   []latest
}

func newAgentPicks() *agentPicks {
	return &agentPicks{byGUID: make(map[[16]byte]int32), byName: make(map[string]int32)}
}

// slot returns the entry of id, creating it when absent.
func (a *agentPicks) slot(id string) *latest {
	if g, ok := parseGUID(id); ok {
		i, ok := a.byGUID[g]
		if !ok {
			i = a.grow()
			a.byGUID[g] = i
		}
		return &a.rows[i]
	}
	i, ok := a.byName[id]
	if !ok {
		i = a.grow()
		a.byName[cloneString(id)] = i
	}
	return &a.rows[i]
}

// grow appends an empty entry and returns its index.
func (a *agentPicks) grow() int32 {
	a.rows = append(a.rows, latest{all: pick{off: -1}, nonA365: pick{off: -1}})
	return int32(len(a.rows) - 1)
}

// add offers one row to the agent's two arg_max slots.
func (a *agentPicks) add(id string, c pick, a365 bool) {
	l := a.slot(id)
	if l.all.better(c) {
		l.all = c
	}
	if !a365 && l.nonA365.better(c) {
		l.nonA365 = c
	}
}

// merge folds o into a; a's chunk precedes o's in the file.
func (a *agentPicks) merge(o *agentPicks) {
	for g, i := range o.byGUID {
		j, ok := a.byGUID[g]
		if !ok {
			j = a.grow()
			a.byGUID[g] = j
		}
		a.rows[j].fold(o.rows[i])
	}
	for id, i := range o.byName {
		a.slot(id).fold(o.rows[i])
	}
}

// fold takes r's picks where they beat l's.
func (l *latest) fold(r latest) {
	if r.all.off >= 0 && l.all.better(r.all) {
		l.all = r.all
	}
	if r.nonA365.off >= 0 && l.nonA365.better(r.nonA365) {
		l.nonA365 = r.nonA365
	}
}

// pickLatest is pass 1: it reads only Timestamp, RegistrySource and AIAgentId
// of every row, in parallel chunks, and merges the per-chunk winners.
func pickLatest(t *table) *agentPicks {
	cuts := t.split(workers)
	parts := make([]*agentPicks, workers)
	parallel(workers, func(w int) {
		p := newAgentPicks()
		t.eachLine(cuts[w], cuts[w+1], func(off int, line string) {
			id, c, a365 := keyFields(line)
			c.off = off
			p.add(id, c, a365)
		})
		parts[w] = p
	})
	for _, p := range parts[1:] {
		parts[0].merge(p)
	}
	return parts[0]
}

// keyFields reads the three pass-1 columns with a single walk over the
// object's keys that stops once all three are seen (they lead each row).
func keyFields(line string) (id string, c pick, a365 bool) {
	var ts, src, aid gjson.Result
	seen := 0
	gjson.Parse(line).ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "Timestamp":
			ts, seen = v, seen+1
		case "RegistrySource":
			src, seen = v, seen+1
		case "AIAgentId":
			aid, seen = v, seen+1
		}
		return seen < 3
	})
	c.ticks = noTicks
	if ts.Type == gjson.String {
		if t, ok := parseTicks(ts.Str); ok {
			c.ticks = t
		}
	}
	return tostring(aid), c, tostring(src) == "A365"
}

// parseGUID reads the 36-character form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.
// Only lower-case hex is taken: ids that differ in case are different strings
// and so different groups, and an upper-case id goes down the string path.
func parseGUID(s string) ([16]byte, bool) {
	var g [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return g, false
	}
	n := 0
	for i := 0; i < 36; i += 2 {
		if s[i] == '-' {
			i--
			continue
		}
		hi, ok1 := lowerHex(s[i])
		lo, ok2 := lowerHex(s[i+1])
		if !ok1 || !ok2 {
			return g, false
		}
		g[n] = hi<<4 | lo
		n++
	}
	return g, true
}

// lowerHex is the value of a digit or a lower-case hex letter.
func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
