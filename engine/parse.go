package engine

import (
	"regexp"
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// parsePlan is parse and parse-where: it matches a string expression against
// a pattern of constants, captures and * wildcards, and extends each row with
// the captured columns (null, or "" for strings, when the row does not
// match). parse-where drops the rows that do not match.
type parsePlan struct {
	in      plan
	x       *expr
	re      *regexp.Regexp
	caps    []tables.Field
	pos     []int // output position of each capture
	groups  []int // submatch index of each capture
	relaxed bool
	where   bool
	out     tables.Schema
}

func (b *binder) parse(in plan, op *parser.ParseOp) plan {
	kind, flags := "simple", ""
	for _, prop := range op.Params {
		switch strings.ToLower(prop.Name.Name) {
		case "kind":
			kind = strings.ToLower(identOrString(prop.Value))
		case "flags":
			flags = identOrString(prop.Value)
		}
	}
	if kind != "simple" && kind != "regex" && kind != "relaxed" {
		b.errorf(parser.PhaseUnsupported, op, "parse kind '%s' is not supported", kind)
		return emptyPlan{}
	}
	p := &parsePlan{in: in, x: b.scalar(op.X, in.schema()), relaxed: kind == "relaxed", where: op.Name == "parse-where"}
	expr, ok := b.parsePattern(p, op.Pattern, kind == "regex")
	if !ok {
		return emptyPlan{}
	}
	re, err := regexp.Compile(regexFlags(flags) + expr)
	if err != nil {
		b.errorf(parser.PhaseType, op, "invalid parse pattern: %v", err)
		return emptyPlan{}
	}
	p.re = re
	p.groups = make([]int, len(p.caps))
	for i := range p.caps {
		p.groups[i] = re.SubexpIndex("c" + itoa(i))
	}
	p.layout(in.schema())
	return p
}

// regexFlags turns parse's flags=Ums into RE2 inline flags. kql always lets
// . match newlines within a capture of the simple kinds (see parsePattern).
func regexFlags(flags string) string {
	var b strings.Builder
	for _, f := range flags {
		switch f {
		case 'U', 'm', 's', 'i':
			b.WriteRune(f)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "(?" + b.String() + ")"
}

// parsePattern builds the regular expression of a parse pattern: constants
// are matched literally (or as regular expressions with kind=regex), * is
// .*?, and each capture is a group whose form depends on its type. The match
// is anchored at both ends, so a capture at the end takes the rest of the
// text.
func (b *binder) parsePattern(p *parsePlan, pattern []parser.Expr, regex bool) (string, bool) {
	var sb strings.Builder
	sb.WriteString(`(?s)^`)
	for _, e := range pattern {
		switch e := e.(type) {
		case *parser.StarExpr:
			sb.WriteString(`.*?`)
		case *parser.Literal:
			if regex {
				sb.WriteString(e.Text)
			} else {
				sb.WriteString(regexp.QuoteMeta(e.Text))
			}
		case *parser.ParseCapture:
			t := tables.String
			if e.Type != nil {
				t = b.typeName(e.Type)
			}
			// Named groups keep the captures apart from any groups a
			// kind=regex constant has of its own.
			sb.WriteString("(?P<c" + itoa(len(p.caps)) + ">")
			p.caps = append(p.caps, tables.Field{Name: e.Name.Name, Type: t})
			typed := captureRegex(t)
			switch {
			case p.relaxed && typed != `.*?`:
				// relaxed takes the type's own form when the text has it
				// (so a `*` after the capture still skips the rest), and
				// otherwise anything up to the next constant, which then
				// converts to null: the parse reference's relaxed example.
				sb.WriteString(typed + "|.*?)")
			case regex && typed == `.*?`:
				// kind=regex captures strings, datetimes and the other
				// free-form types greedily (flags=U turns that around), as
				// the parse reference's examples show: a lazy datetime
				// before a lazy constant group would capture nothing.
				sb.WriteString(".*)")
			default:
				sb.WriteString(typed + ")")
			}
		default:
			b.errorf(parser.PhaseType, e, "a parse pattern holds string constants, Column[:type] captures and *")
			return "", false
		}
	}
	sb.WriteString(`$`)
	return sb.String(), true
}

// captureRegex is what a capture of type t matches in the strict kinds.
func captureRegex(t tables.Type) string {
	switch t {
	case tables.Int, tables.Long:
		return `-?\d+`
	case tables.Real, tables.Decimal:
		return `-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?`
	case tables.Bool:
		return `(?i:true|false)`
	}
	return `.*?`
}

// layout places the captures: a name the input has keeps its position,
// new names are appended.
func (p *parsePlan) layout(insch tables.Schema) {
	p.out = append(tables.Schema(nil), insch...)
	for _, c := range p.caps {
		i := p.out.Index(c.Name)
		if i < 0 {
			i = len(p.out)
			p.out = append(p.out, c)
		} else {
			p.out[i] = c
		}
		p.pos = append(p.pos, i)
	}
}

func (p *parsePlan) schema() tables.Schema { return p.out }

func (p *parsePlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	f, err := p.x.compile(rc, t)
	if err != nil {
		return nil, err
	}
	caps := make([]*tables.Column, len(p.caps))
	for i, c := range p.caps {
		caps[i] = tables.NewColumn(c.Type, t.Rows())
	}
	var keep []int
	vals := make([]tables.Value, len(p.caps))
	for r := 0; r < t.Rows(); r++ {
		if p.match(f(r).String(), vals) {
			keep = append(keep, r)
		}
		for i, v := range vals {
			caps[i].Append(v)
		}
	}
	cols := append([]*tables.Column(nil), t.Columns...)
	for i, c := range caps {
		if p.pos[i] < len(cols) {
			cols[p.pos[i]] = c
		} else {
			cols = append(cols, c)
		}
	}
	out := tables.NewTable(t.Name, p.out, cols)
	out.SetRows(t.Rows())
	if p.where && len(keep) < t.Rows() {
		return out.Take(keep), nil
	}
	return out, nil
}

// match fills vals with one row's captures and reports whether the row
// matched. In the strict kinds a capture that does not convert to its type
// fails the whole row; relaxed leaves just that capture null.
func (p *parsePlan) match(s string, vals []tables.Value) bool {
	m := p.re.FindStringSubmatch(s)
	for i, c := range p.caps {
		vals[i] = tables.Null(c.Type)
		if m == nil {
			continue
		}
		v := tables.Convert(tables.NewString(m[p.groups[i]]), c.Type)
		if v.IsNull() && c.Type != tables.String && !p.relaxed {
			for k := range vals {
				vals[k] = tables.Null(p.caps[k].Type)
			}
			return false
		}
		vals[i] = v
	}
	return m != nil
}
