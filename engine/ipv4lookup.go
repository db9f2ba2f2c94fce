package engine

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// ipv4LookupPlan joins each input row to the lookup rows whose IPv4 range
// (a.b.c.d or a.b.c.d/n) holds the row's address, and whose extra key
// columns are equal. The output is the input's columns, then the lookup
// table's but for the extra keys, as the lookup operator lays them out.
// A row matching several ranges gets one output row per range, most
// specific first; with return_unmatched=true a row matching none is kept
// with nulls.
type ipv4LookupPlan struct {
	in, lookup plan
	srcKey     int   // input column holding the address
	rangeKey   int   // lookup column holding the range
	extraIn    []int // extra key columns of the input
	extraLk    []int // the same keys in the lookup table
	lkCols     []int // lookup columns in the output
	unmatched  bool
	out        tables.Schema
}

func (b *binder) ipv4Lookup(in plan, op *parser.EvaluateOp) plan {
	pos, named := pluginArgs(op.Plugin)
	p := &ipv4LookupPlan{in: in}
	if e := named["return_unmatched"]; e != nil {
		if v := b.constArg("ipv4_lookup", e); v != nil {
			p.unmatched = truth(*v)
		}
	}
	if len(pos) > 3 {
		if lit, ok := unparen(pos[len(pos)-1]).(*parser.Literal); ok && lit.Kind == parser.LitBool {
			p.unmatched = truth(*b.constArg("ipv4_lookup", lit))
			pos = pos[:len(pos)-1]
		}
	}
	if len(pos) < 3 {
		b.errorf(parser.PhaseType, op.Plugin, "ipv4_lookup() needs the lookup table, the input's address column and the lookup's range column")
		return emptyPlan{}
	}
	p.lookup = b.tabular(pos[0])
	if failed(p.lookup) {
		return p.lookup
	}
	sch, lsch := in.schema(), p.lookup.schema()
	col := func(e parser.Expr, s tables.Schema, what string) int {
		id, ok := unparen(e).(*parser.Ident)
		if ok {
			if i := s.Index(id.Name); i >= 0 {
				return i
			}
		}
		b.errorf(parser.PhaseName, e, "ipv4_lookup(): this must be a column of the %s", what)
		return -1
	}
	p.srcKey = col(pos[1], sch, "input")
	p.rangeKey = col(pos[2], lsch, "lookup table")
	extra := map[int]bool{}
	for _, e := range pos[3:] {
		i, j := col(e, sch, "input"), col(e, lsch, "lookup table")
		p.extraIn, p.extraLk = append(p.extraIn, i), append(p.extraLk, j)
		extra[j] = true
	}
	if p.srcKey < 0 || p.rangeKey < 0 {
		return emptyPlan{}
	}
	p.out = append(p.out, sch...)
	for j, f := range lsch {
		if !extra[j] {
			p.lkCols = append(p.lkCols, j)
			p.out = append(p.out, f)
		}
	}
	p.out = uniqueNames(p.out)
	return p
}

func (p *ipv4LookupPlan) schema() tables.Schema { return p.out }

// ipv4Range parses an IPv4 address or prefix: the first address and the
// prefix length (32 for a plain address).
func ipv4Range(s string) (uint32, int, bool) {
	s = strings.TrimSpace(s)
	bits := 32
	if i := strings.IndexByte(s, '/'); i >= 0 {
		pf, err := netip.ParsePrefix(s)
		if err != nil || !pf.Addr().Is4() {
			return 0, 0, false
		}
		s, bits = pf.Addr().String(), pf.Bits()
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, 0, false
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	return v & mask(bits), bits, true
}

func mask(bits int) uint32 {
	if bits == 0 {
		return 0
	}
	return ^uint32(0) << (32 - bits)
}

func (p *ipv4LookupPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	lt, err := p.lookup.run(rc)
	if err != nil {
		return nil, err
	}
	// byLen maps each prefix length to the lookup rows of each network.
	byLen := map[int]map[uint32][]int{}
	for r := 0; r < lt.Rows(); r++ {
		v := lt.Columns[p.rangeKey].Value(r)
		if v.IsNull() {
			continue
		}
		base, bits, ok := ipv4Range(v.String())
		if !ok {
			continue
		}
		if byLen[bits] == nil {
			byLen[bits] = map[uint32][]int{}
		}
		byLen[bits][base] = append(byLen[bits][base], r)
	}
	lens := make([]int, 0, len(byLen))
	for l := range byLen {
		lens = append(lens, l)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(lens)))
	var left, right []int
	var kbuf, lbuf []byte
	for r := 0; r < t.Rows(); r++ {
		if r%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		matched := false
		if v := t.Columns[p.srcKey].Value(r); !v.IsNull() {
			if addr, _, ok := ipv4Range(v.String()); ok {
				kbuf = kbuf[:0]
				for _, c := range p.extraIn {
					kbuf = appendKey(kbuf, t.Columns[c].Value(r))
				}
				for _, l := range lens {
					for _, lr := range byLen[l][addr&mask(l)] {
						lbuf = lbuf[:0]
						for _, c := range p.extraLk {
							lbuf = appendKey(lbuf, lt.Columns[c].Value(lr))
						}
						if string(kbuf) == string(lbuf) {
							left, right = append(left, r), append(right, lr)
							matched = true
						}
					}
				}
			}
		}
		if !matched && p.unmatched {
			left, right = append(left, r), append(right, -1)
		}
	}
	if int64(len(left)) > rc.rowLimit() {
		return nil, tooManyRows(rc.at, "ipv4_lookup", rc.rowLimit())
	}
	cols := make([]*tables.Column, 0, len(p.out))
	for _, c := range t.Columns {
		cols = append(cols, c.Take(left))
	}
	for _, j := range p.lkCols {
		col := tables.NewColumn(lt.Schema[j].Type, len(right))
		for _, lr := range right {
			if lr < 0 {
				col.AppendNull()
				continue
			}
			col.Append(lt.Columns[j].Value(lr))
		}
		cols = append(cols, col)
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(len(left))
	return out, nil
}
