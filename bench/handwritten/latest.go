package main

import (
	"hash/maphash"
	"math"
	"sync"

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

// better reports whether c should replace p as the arg_max row. noTicks is
// below every real instant. The query leaves ties open; taking the earlier
// row makes the choice independent of goroutine timing.
func (p pick) better(c pick) bool {
	if p.off < 0 {
		return true
	}
	if c.ticks != p.ticks {
		return c.ticks > p.ticks
	}
	return c.off < p.off
}

// latest holds both arg_max results of one agent: over all rows (topics leg)
// and over rows with RegistrySource != "A365" (tools leg).
type latest struct {
	all, nonA365 pick
}

// shardCount splits the agent table so that the pass 1 goroutines share one
// copy of it (half the memory of a table per goroutine plus a merge) and
// rarely wait on the same lock.
const shardCount = 64

// agentPicks maps AIAgentId to its latest rows.
type agentPicks struct {
	seed   maphash.Seed
	shards [shardCount]shard
}

// shard maps ids to indexes into rows. Ids in GUID form are keyed by their 16
// bytes, which keeps the map small and needs no key copy; any other id is
// copied off the mapped file into byName.
type shard struct {
	mu     sync.Mutex
	byGUID map[[16]byte]int32
	byName map[string]int32
	rows   []latest
}

func newAgentPicks() *agentPicks {
	a := &agentPicks{seed: maphash.MakeSeed()}
	for i := range a.shards {
		a.shards[i].byGUID = make(map[[16]byte]int32)
		a.shards[i].byName = make(map[string]int32)
	}
	return a
}

// add offers one row to the agent's two arg_max slots.
func (a *agentPicks) add(id string, c pick, a365 bool) {
	g, isGUID := parseGUID(id)
	var s *shard
	if isGUID {
		s = &a.shards[g[15]%shardCount]
	} else {
		s = &a.shards[maphash.String(a.seed, id)%shardCount]
	}
	s.mu.Lock()
	l := s.slot(id, g, isGUID)
	if l.all.better(c) {
		l.all = c
	}
	if !a365 && l.nonA365.better(c) {
		l.nonA365 = c
	}
	s.mu.Unlock()
}

// slot returns the entry of id (whose GUID form is g when isGUID), creating
// it when absent.
func (s *shard) slot(id string, g [16]byte, isGUID bool) *latest {
	var i int32
	var ok bool
	if isGUID {
		if i, ok = s.byGUID[g]; !ok {
			i = s.grow()
			s.byGUID[g] = i
		}
	} else if i, ok = s.byName[id]; !ok {
		i = s.grow()
		s.byName[cloneString(id)] = i
	}
	return &s.rows[i]
}

// grow appends an empty entry and returns its index.
func (s *shard) grow() int32 {
	s.rows = append(s.rows, latest{all: pick{off: -1}, nonA365: pick{off: -1}})
	return int32(len(s.rows) - 1)
}

// each calls fn with every agent's entry.
func (a *agentPicks) each(fn func(latest)) {
	for i := range a.shards {
		for _, l := range a.shards[i].rows {
			fn(l)
		}
	}
}

// pickLatest is pass 1: it reads only Timestamp, RegistrySource and AIAgentId
// of every row, two goroutines each taking half of the file.
func pickLatest(t *table) *agentPicks {
	cuts := t.split(workers)
	p := newAgentPicks()
	parallel(workers, func(w int) {
		t.eachLine(cuts[w], cuts[w+1], func(off int, line string) {
			id, c, a365 := keyFields(line)
			c.off = off
			p.add(id, c, a365)
		})
	})
	return p
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
