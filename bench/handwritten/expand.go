package main

import (
	"math/bits"
	"runtime"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// Which leg(s) a chosen row feeds.
const (
	legTools  = 1 << iota // arg_max over non-A365 rows, AgentToolsDetails
	legTopics             // arg_max over all rows, AgentTopicsDetails
)

// sendOps is the query's SendOps list, compared with in~ (ignoring case).
var sendOps = []string{"SendEmailV2", "SharedMailboxSendEmailV2", "| w", "SendEmailV3",
	"SendEmailGAVersion", "PostAntTextEmail", "SendEmailV4"}

// isSendOp is tostring(op) in~ (SendOps).
func isSendOp(op string) bool {
	for _, s := range sendOps {
		if len(s) == len(op) && strings.EqualFold(s, op) {
			return true
		}
	}
	return false
}

// job is one chosen row and the legs it feeds.
type job struct {
	off  int
	legs uint8
}

// jobs lists the chosen rows in file order, one entry per distinct row.
func jobs(p *agentPicks) []job {
	n := 0
	p.each(func(latest) { n += 2 })
	js := make([]job, 0, n)
	p.each(func(l latest) {
		if l.nonA365.off >= 0 {
			js = append(js, job{l.nonA365.off, legTools})
		}
		if l.all.off >= 0 {
			js = append(js, job{l.all.off, legTopics})
		}
	})
	slices.SortFunc(js, func(a, b job) int { return a.off - b.off })
	merged := js[:0]
	for _, j := range js {
		if n := len(merged); n > 0 && merged[n-1].off == j.off {
			merged[n-1].legs |= j.legs
			continue
		}
		merged = append(merged, j)
	}
	return merged
}

// expandChosen is pass 2: two goroutines each decode half of the chosen rows,
// in file order, releasing pages behind them.
func expandChosen(t *table, org map[string]struct{}, p *agentPicks) []resultRow {
	js := jobs(p)
	// The pass 1 maps are garbage now; collect them before pass 2 allocates,
	// or the heap goal they set would let pass 2 garbage grow twice as large.
	runtime.GC()
	parts := make([][]resultRow, workers)
	parallel(workers, func(w int) {
		lo, hi := len(js)*w/workers, len(js)*(w+1)/workers
		freed := 0
		if lo < len(js) {
			freed = js[lo].off
		}
		var out []resultRow
		for _, j := range js[lo:hi] {
			out = expandRow(t.rowAt(j.off), j.legs, org, out)
			if j.off-freed >= releaseEvery {
				t.release(freed, j.off)
				freed = j.off
			}
		}
		parts[w] = out
	})
	return slices.Concat(parts...)
}

// expandRow appends the result rows of one chosen AIAgentsInfo row.
func expandRow(row string, legs uint8, org map[string]struct{}, out []resultRow) []resultRow {
	f := detailFields(row, legs)
	if tostring(gjson.Parse(f.status)) == "Deleted" {
		return out
	}
	e := emitter{row: row, org: org, out: out}
	if legs&legTools != 0 && mayHoldSendOp(f.tools) {
		e.tools(todynamic(gjson.Parse(f.tools)))
	}
	if legs&legTopics != 0 && mayHoldSendOp(f.topics) {
		e.topics(todynamic(gjson.Parse(f.topics)))
	}
	return e.out
}

// details holds the raw text of the columns pass 2 filters on.
type details struct {
	status, tools, topics string
}

// detailFields finds the columns that the given legs need in one walk.
func detailFields(row string, legs uint8) details {
	var f details
	need := 1 + bits.OnesCount8(legs)
	eachField(row, func(k, raw string) bool {
		switch {
		case k == "AgentStatus":
			f.status = raw
		case k == "AgentToolsDetails" && legs&legTools != 0:
			f.tools = raw
		case k == "AgentTopicsDetails" && legs&legTopics != 0:
			f.topics = raw
		default:
			return true
		}
		need--
		return need > 0
	})
	return f
}

// mayHoldSendOp is a cheap test on a details column as written: it is false
// only when no element can carry a SendOps operation id, so the column need
// not be unescaped and parsed. An id can only be hidden from it by a \u
// escape, which sends the column down the full path.
func mayHoldSendOp(raw string) bool {
	return hasMailNeedle(raw) || containsFold(raw, "| w") || strings.Contains(raw, `\u`)
}

// mailNeedles cover every SendOps id except "| w" (SharedMailboxSendEmailV2
// contains sendemailv); all hold "mail", the anchor hasMailNeedle looks for.
var mailNeedles = []string{"sendemailv", "sendemailga", "postanttextemail"}

// hasMailNeedle reports whether s contains a mailNeedles entry, ignoring case.
func hasMailNeedle(s string) bool {
	for i := 0; i < len(s); i++ {
		j := indexEither(s[i:], 'm', 'M')
		if j < 0 {
			return false
		}
		i += j
		if i+4 > len(s) || !strings.EqualFold(s[i:i+4], "mail") {
			continue
		}
		for _, n := range mailNeedles {
			k := strings.Index(n, "mail")
			if i >= k && i-k+len(n) <= len(s) && strings.EqualFold(s[i-k:i-k+len(n)], n) {
				return true
			}
		}
	}
	return false
}

// containsFold reports whether s contains needle, ASCII case ignored; needle
// is lower case.
func containsFold(s, needle string) bool {
	c := needle[0]
	u := c
	if 'a' <= c && c <= 'z' {
		u = c - 'a' + 'A'
	}
	for i := 0; i+len(needle) <= len(s); i++ {
		j := indexEither(s[i:], c, u)
		if j < 0 {
			return false
		}
		i += j
		if i+len(needle) <= len(s) && strings.EqualFold(s[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}

// indexEither is the first index of a or b in s, or -1.
func indexEither(s string, a, b byte) int {
	i := strings.IndexByte(s, a)
	if a == b {
		return i
	}
	if i >= 0 {
		s = s[:i]
	}
	if j := strings.IndexByte(s, b); j >= 0 {
		return j
	}
	return i
}

// emitter collects the result rows of one input row; the row's own columns
// are decoded only once a send action survives the filters.
type emitter struct {
	row  string
	org  map[string]struct{}
	base *[nBase]string
	out  []resultRow
}

// tools is the FromActions leg: mv-expand ActionDetail, filter on the
// operation, mv-expand ActionDetail.inputs, keep propertyName == "To".
func (e *emitter) tools(details gjson.Result) {
	mvExpand(details, func(d gjson.Result) {
		op := tostring(d.Get("action.operationId"))
		if !isSendOp(op) {
			return
		}
		mvExpand(d.Get("inputs"), func(in gjson.Result) {
			if tostring(in.Get("propertyName")) == "To" {
				e.emit(sourceTools, op, tostring(in.Get("value.literalValue")))
			}
		})
	})
}

// topics is the FromTopics leg: mv-expand TopicDetail, then
// TopicDetail.beginDialog.actions, filter on the operation, and take the
// recipient from binding.To or else binding['to'].
func (e *emitter) topics(details gjson.Result) {
	mvExpand(details, func(topic gjson.Result) {
		mvExpand(topic.Get("beginDialog.actions"), func(a gjson.Result) {
			op := tostring(a.Get("operationId"))
			if !isSendOp(op) {
				return
			}
			to := a.Get("input.binding.To.literalValue")
			if to.Type == gjson.Null {
				to = a.Get("input.binding.to.literalValue")
			}
			e.emit(sourceTopics, op, tostring(to))
		})
	})
}

// emit applies the Domain filter and appends a result row.
func (e *emitter) emit(source, op, to string) {
	domain := atDomain(to)
	if domain == "" {
		return
	}
	if _, internal := e.org[domain]; internal {
		return
	}
	if e.base == nil {
		e.base = baseColumns(e.row)
	}
	// Copied: a result outlives the page it came from, and touching a
	// released page later would map it (and its neighbours) back in.
	var r resultRow
	copy(r[:nBase], e.base[:])
	r[colSource] = source
	r[colMail], r[colTo], r[colDomain] = cloneString(op), cloneString(to), cloneString(domain)
	e.out = append(e.out, r)
}

// todynamic is KQL todynamic() of a column value: a string holding valid JSON
// is parsed, any other string stays a dynamic string, "" and null are null,
// and a value that is already JSON is returned as is.
func todynamic(v gjson.Result) gjson.Result {
	if v.Type != gjson.String {
		return v
	}
	if v.Str == "" {
		return gjson.Result{}
	}
	if !gjson.Valid(v.Str) {
		return v
	}
	return gjson.Parse(v.Str)
}

// mvExpand calls fn once per row that mv-expand makes of v: each element of
// an array (none for []), each property of a bag as a one-key bag, the value
// itself for a scalar, and one null for null.
func mvExpand(v gjson.Result, fn func(gjson.Result)) {
	switch {
	case v.IsArray():
		v.ForEach(func(_, el gjson.Result) bool {
			fn(el)
			return true
		})
	case v.IsObject():
		v.ForEach(func(k, el gjson.Result) bool {
			fn(gjson.Parse("{" + k.Raw + ":" + el.Raw + "}"))
			return true
		})
	default:
		fn(v)
	}
}
