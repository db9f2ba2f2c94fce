package engine

import (
	"regexp"
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// parseKvPlan is parse-kv: it reads key/value pairs out of a string and
// extends each row with the declared keys' values (null, or "" for strings,
// when a key is absent or its value does not convert).
type parseKvPlan struct {
	in   plan
	x    *expr
	cols []tables.Field
	opts kvOptions
	out  tables.Schema
}

// kvOptions are parse-kv's with (...) properties.
type kvOptions struct {
	pairDelim, kvDelim string
	quoteOpen          string // characters that open a quoted key or value
	quoteClose         string // the matching closers, by position
	escape             string
	greedy             bool
	re                 *regexp.Regexp
	keyREs             []*regexp.Regexp // per declared column, for the keys-only form
}

func (b *binder) parseKv(in plan, op *parser.ParseKvOp) plan {
	p := &parseKvPlan{in: in, x: b.scalar(op.X, in.schema())}
	for _, c := range op.Columns {
		p.cols = append(p.cols, tables.Field{Name: c.Name.Name, Type: b.typeName(c.Type)})
	}
	if !b.kvOptions(&p.opts, op.Params) {
		return emptyPlan{}
	}
	for _, c := range p.cols {
		p.opts.keyREs = append(p.opts.keyREs,
			regexp.MustCompile(`(?:^|[^\w])`+regexp.QuoteMeta(c.Name)+`\s*[:=]\s*`))
	}
	p.out = append(tables.Schema(nil), in.schema()...)
	p.out = append(p.out, p.cols...)
	p.out = uniqueNames(p.out)
	return p
}

func (b *binder) kvOptions(o *kvOptions, props []*parser.Property) bool {
	for _, prop := range props {
		v := b.scalar(prop.Value, nil)
		if v.konst == nil {
			b.errorf(parser.PhaseType, prop, "parse-kv property '%s' must be a constant", prop.Name.Name)
			return false
		}
		s := v.konst.String()
		switch prop.Name.Name {
		case "pair_delimiter":
			o.pairDelim = s
		case "kv_delimiter":
			o.kvDelim = s
		case "quote":
			o.quoteOpen, o.quoteClose = s, s
			if len(s) == 2 {
				o.quoteOpen, o.quoteClose = s[:1], s[1:]
			}
		case "escape":
			o.escape = s
		case "greedy":
			o.greedy = v.konst.Bool()
		case "regex":
			re, err := regexp.Compile(s)
			if err != nil {
				b.errorf(parser.PhaseType, prop, "invalid parse-kv regex: %v", err)
				return false
			}
			o.re = re
		default:
			b.errorf(parser.PhaseUnsupported, prop, "parse-kv property '%s' is not supported", prop.Name.Name)
			return false
		}
	}
	return true
}

func (p *parseKvPlan) schema() tables.Schema { return p.out }

func (p *parseKvPlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	f, err := p.x.compile(rc, t)
	if err != nil {
		return nil, err
	}
	cols := make([]*tables.Column, len(p.cols))
	for i, c := range p.cols {
		cols[i] = tables.NewColumn(c.Type, t.Rows())
	}
	for r := 0; r < t.Rows(); r++ {
		pairs := p.opts.pairs(f(r).String(), p.cols)
		for i, c := range p.cols {
			v, ok := pairs[c.Name]
			if !ok {
				cols[i].AppendNull()
				continue
			}
			cols[i].Append(tables.Convert(tables.NewString(v), c.Type))
		}
	}
	out := tables.NewTable(t.Name, p.out, append(append([]*tables.Column(nil), t.Columns...), cols...))
	out.SetRows(t.Rows())
	return out, nil
}

// pairs extracts the key/value pairs of one string. With a regex, each
// match's first two groups are a key and a value; with delimiters, the text
// is cut into pairs; without either, the declared keys are looked for,
// each followed by ':' or '='.
func (o *kvOptions) pairs(s string, cols []tables.Field) map[string]string {
	out := map[string]string{}
	switch {
	case o.re != nil:
		for _, m := range o.re.FindAllStringSubmatch(s, -1) {
			if len(m) >= 3 {
				setFirst(out, strings.TrimSpace(m[1]), m[2])
			}
		}
	case o.pairDelim != "" || o.kvDelim != "":
		o.delimited(s, out)
	default:
		o.byKeys(s, cols, out)
	}
	return out
}

func setFirst(m map[string]string, k, v string) {
	if _, dup := m[k]; !dup {
		m[k] = v
	}
}

// delimited cuts s into tokens at pair delimiters outside quotes, and each
// token at its first key/value delimiter. Greedy: a token without a
// key/value delimiter belongs to the previous value.
func (o *kvOptions) delimited(s string, out map[string]string) {
	kv := o.kvDelim
	if kv == "" {
		kv = "="
	}
	var lastKey string
	for _, tok := range o.split(s, o.pairDelim) {
		k, v, found := o.cutUnquoted(tok, kv)
		if !found {
			if o.greedy && lastKey != "" {
				out[lastKey] += o.pairDelim + o.unquote(strings.TrimSpace(tok))
			}
			continue
		}
		key := o.unquote(strings.TrimSpace(k))
		if _, dup := out[key]; dup {
			lastKey = ""
			continue
		}
		out[key] = o.unquote(strings.TrimSpace(v))
		lastKey = key
	}
}

// nextKeyRE finds where another key=value pair starts after a value.
var nextKeyRE = regexp.MustCompile(`\s+[\w.\-]+\s*[:=]`)

// byKeys finds each declared key followed by ':' or '=' and reads its value
// up to the next ',' or ';', the next declared key, or the closing quote of
// a quoted value.
func (o *kvOptions) byKeys(s string, cols []tables.Field, out map[string]string) {
	starts := make([][]int, len(cols))
	for i := range cols {
		starts[i] = o.keyREs[i].FindStringIndex(s)
	}
	for i, c := range cols {
		loc := starts[i]
		if loc == nil {
			continue
		}
		rest := s[loc[1]:]
		if o.quoteOpen != "" && strings.HasPrefix(rest, o.quoteOpen[:1]) {
			v, _ := o.readQuoted(rest)
			out[c.Name] = v
			continue
		}
		end := len(rest)
		if k := strings.IndexAny(rest, ",;"); k >= 0 {
			end = k
		}
		if m := nextKeyRE.FindStringIndex(rest); m != nil && m[0] < end {
			end = m[0]
		}
		for _, other := range starts {
			if other != nil && other[0] >= loc[1] && other[0]-loc[1] < end {
				end = other[0] - loc[1]
			}
		}
		out[c.Name] = strings.TrimSpace(rest[:end])
	}
}

// split cuts s at sep, never inside a quoted part.
func (o *kvOptions) split(s, sep string) []string {
	if sep == "" {
		return []string{s}
	}
	var parts []string
	start, inQuote := 0, -1
	for i := 0; i < len(s); i++ {
		switch {
		case inQuote >= 0 && o.escape != "" && strings.HasPrefix(s[i:], o.escape):
			i += len(o.escape)
		case inQuote >= 0 && s[i] == o.quoteClose[inQuote]:
			inQuote = -1
		case inQuote < 0 && o.quoteOpen != "" && strings.IndexByte(o.quoteOpen, s[i]) >= 0:
			inQuote = strings.IndexByte(o.quoteOpen, s[i])
		case inQuote < 0 && strings.HasPrefix(s[i:], sep):
			parts = append(parts, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(parts, s[start:])
}

// cutUnquoted is strings.Cut that ignores a separator inside quotes.
func (o *kvOptions) cutUnquoted(s, sep string) (string, string, bool) {
	parts := o.split(s, sep)
	if len(parts) < 2 {
		return s, "", false
	}
	return parts[0], strings.Join(parts[1:], sep), true
}

// unquote removes the quotes around a key or value and resolves escapes.
func (o *kvOptions) unquote(s string) string {
	if o.quoteOpen == "" || s == "" || strings.IndexByte(o.quoteOpen, s[0]) < 0 {
		return s
	}
	v, _ := o.readQuoted(s)
	return v
}

// readQuoted reads a quoted text at the start of s and returns its content.
func (o *kvOptions) readQuoted(s string) (string, int) {
	q := strings.IndexByte(o.quoteOpen, s[0])
	closer := o.quoteClose[q]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case o.escape != "" && strings.HasPrefix(s[i:], o.escape) && i+len(o.escape) < len(s):
			i += len(o.escape)
			b.WriteByte(s[i])
		case s[i] == closer:
			return b.String(), i + 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), len(s)
}
