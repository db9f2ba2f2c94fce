package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// seqScanPlan is the scan operator: it walks its input in order, matching
// each record against the steps from the last to the first with the two
// checks of the scan reference's matching logic, and outputs one record per
// match, extended with the declared columns (and the match id).
//
// The steps' expressions are bound over an environment schema: the input
// columns, the declared columns (at their defaults, as a record is before
// its step assigns them), then one column per Step.Column reference the
// steps make, read from the state the check uses. Each check evaluates
// over a one-row table of that environment. The rejected alternative, a
// vectorised pass, cannot work: every record's result depends on the state
// the records before it left.
type seqScanPlan struct {
	in       plan
	nIn      int // input columns
	defaults []tables.Value
	steps    []scanStep
	refs     []scanRef
	env      tables.Schema
	matchID  bool
	out      tables.Schema
}

// scanStep is one bound step.
type scanStep struct {
	name    string
	output  string // "all" or "none"
	pred    *expr
	assigns []scanAssign
}

// scanAssign sets declared column col (an index into the record: input
// columns, then declared ones) to x.
type scanAssign struct {
	col int
	x   *expr
}

// scanRef is an environment column Step.Column: column col of the record
// that step matched, in the state the check reads.
type scanRef struct {
	step, col int
}

func (b *binder) scanOp(in plan, op *parser.ScanOp) plan {
	p := &seqScanPlan{in: in, nIn: len(in.schema())}
	rec := append(tables.Schema(nil), in.schema()...)
	for _, d := range op.Declare {
		if d.Tabular || d.Type == nil {
			b.errorf(parser.PhaseType, d, "scan declare takes Column:type [= default]")
			return emptyPlan{}
		}
		t := b.typeName(d.Type)
		v := tables.Null(t)
		if d.Default != nil {
			x := b.scalar(d.Default, nil)
			if x.konst == nil {
				b.errorf(parser.PhaseType, d.Default, "a scan declare default must be a constant")
				return emptyPlan{}
			}
			v = tables.Convert(*x.konst, t)
		}
		if rec.Index(d.Name.Name) >= 0 {
			b.errorf(parser.PhaseName, d.Name, "scan declares '%s', which the input already has", d.Name.Name)
			return emptyPlan{}
		}
		rec = append(rec, tables.Field{Name: d.Name.Name, Type: t})
		p.defaults = append(p.defaults, v)
	}
	stepIdx := map[string]int{}
	for i, s := range op.Steps {
		if _, dup := stepIdx[s.Name.Name]; dup {
			b.errorf(parser.PhaseName, s.Name, "scan step '%s' is defined twice", s.Name.Name)
			return emptyPlan{}
		}
		stepIdx[s.Name.Name] = i
	}
	if !p.bindRefs(b, op, rec, stepIdx) {
		return emptyPlan{}
	}
	saved := b.scanSteps
	b.scanSteps = stepIdx
	defer func() { b.scanSteps = saved }()
	for _, s := range op.Steps {
		st, ok := p.bindStep(b, s, rec)
		if !ok {
			return emptyPlan{}
		}
		p.steps = append(p.steps, st)
	}
	p.out = rec
	if op.MatchID != nil {
		p.matchID = true
		p.out = append(append(tables.Schema(nil), rec...), tables.Field{Name: op.MatchID.Name, Type: tables.Long})
	}
	return p
}

// bindRefs finds the Step.Column references of the steps and lays out the
// environment schema they are read from.
func (p *seqScanPlan) bindRefs(b *binder, op *parser.ScanOp, rec tables.Schema, steps map[string]int) bool {
	p.env = append(tables.Schema(nil), rec...)
	seen := map[string]bool{}
	ok := true
	for _, s := range op.Steps {
		parser.Inspect(s, func(n parser.Node) bool {
			m, isMember := n.(*parser.MemberExpr)
			if !isMember {
				return true
			}
			id, isIdent := m.X.(*parser.Ident)
			k, isStep := 0, false
			if isIdent {
				k, isStep = steps[id.Name]
			}
			if !isStep || rec.Index(id.Name) >= 0 {
				return true
			}
			name := id.Name + "." + m.Name.Name
			if seen[name] {
				return false
			}
			c := rec.Index(m.Name.Name)
			if c < 0 {
				b.errorf(parser.PhaseName, m.Name, "unknown column '%s' in the state of step '%s'%s",
					m.Name.Name, id.Name, suggest(m.Name.Name, rec.Names()))
				ok = false
				return false
			}
			seen[name] = true
			p.refs = append(p.refs, scanRef{step: k, col: c})
			p.env = append(p.env, tables.Field{Name: name, Type: rec[c].Type})
			return false
		})
	}
	return ok
}

func (p *seqScanPlan) bindStep(b *binder, s *parser.ScanStep, rec tables.Schema) (scanStep, bool) {
	st := scanStep{name: s.Name.Name, output: strings.ToLower(s.Output)}
	switch st.output {
	case "":
		st.output = "all"
	case "all", "none":
	case "last":
		b.errorf(parser.PhaseUnsupported, s, "scan step output=last is not supported yet")
		return st, false
	default:
		b.errorf(parser.PhaseType, s, "scan step output must be all, last or none, not '%s'", s.Output)
		return st, false
	}
	st.pred = b.scalar(s.Pred, p.env)
	if st.pred.typ != tables.Bool && st.pred.typ != tables.Unknown {
		b.errorf(parser.PhaseType, s.Pred, "a scan step condition must be bool, not %s", st.pred.typ)
		return st, false
	}
	for _, a := range s.Assigns {
		n, isNamed := a.(*parser.NamedExpr)
		if !isNamed || len(n.Names) != 1 {
			b.errorf(parser.PhaseType, a, "a scan step assigns Column = expression")
			return st, false
		}
		c := rec.Index(n.Names[0].Name)
		if c < p.nIn {
			b.errorf(parser.PhaseName, n.Names[0], "scan assigns only declared columns; '%s' is not declared",
				n.Names[0].Name)
			return st, false
		}
		st.assigns = append(st.assigns, scanAssign{col: c, x: b.scalar(n.Value, p.env)})
	}
	return st, true
}

func (p *seqScanPlan) schema() tables.Schema { return p.out }

// scanState is the state of one step: the sequence it holds, if any, with
// the record each step up to it matched.
type scanState struct {
	active bool
	id     int64
	recs   [][]tables.Value // recs[j]: the extended record step j matched
}

func (p *seqScanPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	cols := make([]*tables.Column, len(p.out))
	for i, f := range p.out {
		cols[i] = tables.NewColumn(f.Type, t.Rows())
	}
	r := &scanRun{p: p, rc: rc, in: t, cols: cols, state: make([]scanState, len(p.steps))}
	for row := 0; row < t.Rows(); row++ {
		if row%1024 == 0 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		if err := r.record(row); err != nil {
			return nil, err
		}
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(r.rows)
	return out, nil
}

// scanRun is one run of scan over its input.
type scanRun struct {
	p      *seqScanPlan
	rc     *runCtx
	in     *tables.Table
	cols   []*tables.Column
	state  []scanState
	nextID int64
	rows   int
}

// record matches input row `row` against the steps, last to first.
func (r *scanRun) record(row int) error {
	base := make([]tables.Value, len(r.p.env)-len(r.p.refs))
	for c := 0; c < r.p.nIn; c++ {
		base[c] = r.in.Columns[c].Value(row)
	}
	copy(base[r.p.nIn:], r.p.defaults)
	for k := len(r.p.steps) - 1; k >= 0; k-- {
		matched, err := r.check1(k, base)
		if err != nil {
			return err
		}
		if matched {
			continue
		}
		if err := r.check2(k, base); err != nil {
			return err
		}
	}
	return nil
}

// check1: the previous step holds a sequence and the record meets this
// step's condition over it; the sequence moves up to this step.
func (r *scanRun) check1(k int, base []tables.Value) (bool, error) {
	if k == 0 || !r.state[k-1].active {
		return false, nil
	}
	prev := &r.state[k-1]
	ext, ok, err := r.match(k, base, prev)
	if err != nil || !ok {
		return false, err
	}
	moved := scanState{active: true, id: prev.id, recs: append(prev.recs[:k:k], ext)}
	r.state[k] = moved
	*prev = scanState{}
	if r.p.steps[k].output == "all" {
		r.emit(ext, moved.id)
	}
	return true, nil
}

// check2: this step holds a sequence (or is the first step) and the record
// meets its condition; the record replaces this step's one in the state.
// The first step with no sequence starts a new one, with the next match id.
func (r *scanRun) check2(k int, base []tables.Value) error {
	st := &r.state[k]
	if k > 0 && !st.active {
		return nil
	}
	ext, ok, err := r.match(k, base, st)
	if err != nil || !ok {
		return err
	}
	if !st.active {
		*st = scanState{active: true, id: r.nextID, recs: make([][]tables.Value, 1)}
		r.nextID++
	}
	st.recs[k] = ext
	if r.p.steps[k].output == "all" {
		r.emit(ext, st.id)
	}
	return nil
}

// match evaluates step k's condition for the record over state st and, on a
// match, returns the record extended with the step's assignments.
func (r *scanRun) match(k int, base []tables.Value, st *scanState) ([]tables.Value, bool, error) {
	env := r.envTable(base, st)
	step := r.p.steps[k]
	v, err := evalOne(r.rc, step.pred, env)
	if err != nil || v.IsNull() || !v.Bool() {
		return nil, false, err
	}
	ext := append([]tables.Value(nil), base...)
	for _, a := range step.assigns {
		v, err := evalOne(r.rc, a.x, env)
		if err != nil {
			return nil, false, err
		}
		ext[a.col] = tables.Convert(v, r.p.out[a.col].Type)
	}
	return ext, true, nil
}

// envTable is the one-row environment of a check: the record, then each
// Step.Column reference read from st (the declared default, or null, when
// st holds no record for that step).
func (r *scanRun) envTable(base []tables.Value, st *scanState) *tables.Table {
	cols := make([]*tables.Column, len(r.p.env))
	for i, f := range r.p.env {
		var v tables.Value
		if i < len(base) {
			v = base[i]
		} else {
			ref := r.p.refs[i-len(base)]
			switch {
			case st.active && ref.step < len(st.recs) && st.recs[ref.step] != nil:
				v = st.recs[ref.step][ref.col]
			case ref.col >= r.p.nIn:
				v = r.p.defaults[ref.col-r.p.nIn]
			default:
				v = tables.Null(f.Type)
			}
		}
		c := tables.NewColumn(f.Type, 1)
		c.Append(v)
		cols[i] = c
	}
	return tables.NewTable("", r.p.env, cols)
}

// emit appends one output record.
func (r *scanRun) emit(ext []tables.Value, id int64) {
	for i, v := range ext {
		r.cols[i].Append(v)
	}
	if r.p.matchID {
		r.cols[len(ext)].Append(tables.NewLong(id))
	}
	r.rows++
}

// evalOne evaluates x over the single row of t.
func evalOne(rc *runCtx, x *expr, t *tables.Table) (tables.Value, error) {
	f, err := x.compile(rc, t)
	if err != nil {
		return tables.Value{}, err
	}
	return f(0), nil
}
