package parser

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/stretchr/testify/require"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func dumpNode(v any) any {
	rv := reflect.ValueOf(v)
	return dumpVal(rv)
}

func dumpVal(rv reflect.Value) any {
	switch rv.Kind() {
	case reflect.Interface, reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return dumpVal(rv.Elem())
	case reflect.Struct:
		m := map[string]any{"_t": rv.Type().Name()}
		for i := 0; i < rv.NumField(); i++ {
			f := rv.Type().Field(i)
			if f.Name == "Span" {
				s := rv.Field(i).Interface().(Span)
				m["@"] = fmt.Sprintf("%d-%d", s.Start, s.End)
				continue
			}
			m[f.Name] = dumpVal(rv.Field(i))
		}
		return m
	case reflect.Slice:
		var out []any
		for i := 0; i < rv.Len(); i++ {
			out = append(out, dumpVal(rv.Index(i)))
		}
		return out
	default:
		return rv.Interface()
	}
}

func TestScratch(t *testing.T) {
	src := os.Getenv("Q")
	s, err := Parse(src)
	b, _ := json.MarshalIndent(dumpNode(s), "", " ")
	fmt.Println(string(b))
	fmt.Println("ERR:", err)
}

func TestTraceCount(t *testing.T) {
	q := flagshipQuery(t)
	var buf strings.Builder
	toks, _ := lex(q)
	p := participle.MustBuild[gStmt](participle.Lexer(definition{}), participle.UseLookahead(participle.MaxLookahead))
	sp := &stmtSplitter{src: q, toks: toks}
	for _, seg := range sp.split() {
		body := toks[seg.from:seg.to]
		if len(body) == 0 {
			continue
		}
		peek, _ := lexer.Upgrade(&sliceLexer{toks: body, eof: lexer.Token{Type: lexer.EOF}})
		_, err := p.ParseFromLexer(peek, participle.Trace(&buf))
		require.NoError(t, err)
	}
	counts := map[string]int{}
	for _, l := range strings.Split(buf.String(), "\n") {
		f := strings.Fields(l)
		if len(f) > 1 {
			counts[strings.Join(f[1:], " ")]++
		}
	}
	type kv struct {
		k string
		v int
	}
	var kvs []kv
	for k, v := range counts {
		kvs = append(kvs, kv{k, v})
	}
	sort.Slice(kvs, func(i, j int) bool { return kvs[i].v > kvs[j].v })
	for _, e := range kvs[:40] {
		fmt.Println(e.v, e.k)
	}
	fmt.Println(strings.Count(buf.String(), "\n"))
}

func TestTokCount(t *testing.T) {
	q := flagshipQuery(t)
	toks, _ := lex(q)
	fmt.Println(len(q), len(toks))
	total, n := 0, 0
	for _, l := range readJSONL[corpusQuery](t, filepath.Join(sharedDir, "corpus", "queries.jsonl")) {
		tk, _ := lex(l.Query)
		total += len(l.Query)
		n += len(tk)
	}
	fmt.Println(total, n, float64(total)/float64(n))
}

func TestErrs(t *testing.T) {
	for _, q := range []string{
		"T | where | where",
		"T | foo",
		"T | where x == \"abc",
		"T | where x ==",
		"T |",
		"let x =",
		"let f = (a:long) {",
		"T | where (x > 1",
		"T | project a b",
		"T | summarize count() by",
		"T\n| where x > 1\nT2",
		"T | where x in ()",
		"print dynamic([1,2,])",
		"T | where x has_any dynamic([\"a\"])",
		"T | join kind=inner (T2) on",
		"T | sort x",
		"T | take",
		"let x = 1;; T",
		";",
		"T | extend x = 1 +",
		"T | extend = 1",
		"T | mv-expand",
		"print datetime(2020",
		"T | where x == 'a\nb'",
		"T | where a == \"\\d\"",
		"T | project-away",
		"T | where x == 1 |",
		"datatable(a:string)[\"x\"",
		"T | render timechart with (title=)",
		"T | where x = = 1",
		"T | where x #",
		"```abc",
		"T | where x between (1 .. )",
		"range x from 1 to 10",
		"T | top 10",
	} {
		_, err := Parse(q)
		fmt.Printf("%-40q => %v  [incomplete=%v]\n", q, err, IsIncomplete(err))
	}
}

func TestRawErrs(t *testing.T) {
	for _, q := range []string{"T | project-away", "T | project-reorder", "T | extend", "T | summarize count() by", "let f = (a:long) {", "T | mv-expand", "T | sort by", "T | where x in (1) | extend x = "} {
		toks, _ := lex(q)
		sp := &stmtSplitter{src: q, toks: toks}
		seg := sp.split()[0]
		body := toks[seg.from:seg.to]
		peek, _ := lexer.Upgrade(&sliceLexer{toks: body, eof: lexer.Token{Type: lexer.EOF}})
		_, err := stmtParser.ParseFromLexer(peek)
		fmt.Printf("%-30q %v\n", q, err)
	}
}

func goLit(rv reflect.Value) string {
	switch rv.Kind() {
	case reflect.Interface:
		if rv.IsNil() {
			return "nil"
		}
		return goLit(rv.Elem())
	case reflect.Pointer:
		if rv.IsNil() {
			return "nil"
		}
		e := rv.Elem()
		if e.Type() == reflect.TypeOf(Ident{}) {
			s := e.Interface().(Ident)
			if s.Bracketed {
				return fmt.Sprintf("brid(%d, %d, %q)", s.Start, s.End, s.Name)
			}
			return fmt.Sprintf("id(%d, %d, %q)", s.Start, s.End, s.Name)
		}
		if e.Type() == reflect.TypeOf(Literal{}) {
			s := e.Interface().(Literal)
			if s.Null {
				return fmt.Sprintf("null(%d, %d, %s)", s.Start, s.End, kindName(s.Kind))
			}
			return fmt.Sprintf("lit(%d, %d, %s, %q)", s.Start, s.End, kindName(s.Kind), s.Text)
		}
		return "&" + goLit(e)
	case reflect.Struct:
		if rv.Type() == reflect.TypeOf(Span{}) {
			s := rv.Interface().(Span)
			return fmt.Sprintf("sp(%d, %d)", s.Start, s.End)
		}
		var parts []string
		for i := 0; i < rv.NumField(); i++ {
			f := rv.Type().Field(i)
			v := rv.Field(i)
			if v.IsZero() {
				continue
			}
			parts = append(parts, f.Name+": "+goLit(v))
		}
		return rv.Type().Name() + "{" + strings.Join(parts, ", ") + "}"
	case reflect.Slice:
		var parts []string
		for i := 0; i < rv.Len(); i++ {
			parts = append(parts, goLit(rv.Index(i)))
		}
		return rv.Type().String() + "{" + strings.Join(parts, ", ") + "}"
	case reflect.String:
		return fmt.Sprintf("%q", rv.String())
	default:
		return fmt.Sprintf("%v", rv.Interface())
	}
}

func kindName(k LitKind) string {
	return []string{"LitNull", "LitBool", "LitInt", "LitLong", "LitReal", "LitDecimal", "LitString", "LitDateTime", "LitTimespan", "LitGUID"}[k]
}

func TestGen(t *testing.T) {
	s, err := Parse(os.Getenv("Q"))
	require.NoError(t, err)
	for _, st := range s.Stmts {
		fmt.Println(strings.ReplaceAll(goLit(reflect.ValueOf(st)), "parser.", ""))
	}
}

func TestGenTable(t *testing.T) {
	b, _ := os.ReadFile("/tmp/gen/cases2.txt")
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.Split(line, " ||| ")
		name := parts[0]
		srcs := parts[1:]
		var qs []string
		for _, s := range srcs {
			qs = append(qs, fmt.Sprintf("%q", strings.ReplaceAll(s, "⏎", "\n")))
		}
		s, err := Parse(strings.ReplaceAll(srcs[0], "⏎", "\n"))
		if err != nil {
			fmt.Fprintf(&out, "// %s: ERROR %v\n", name, err)
			continue
		}
		var stmts []string
		for _, st := range s.Stmts {
			stmts = append(stmts, strings.ReplaceAll(goLit(reflect.ValueOf(st)), "parser.", ""))
		}
		fmt.Fprintf(&out, "{name: %q, srcs: []string{%s},\n\twant: []Stmt{\n\t\t%s,\n\t}},\n", name, strings.Join(qs, ", "), strings.Join(stmts, ",\n\t\t"))
	}
	os.WriteFile("/tmp/gen/table.go.txt", []byte(out.String()), 0o644)
}

// splitSrcs splits alternative spellings separated by "|" where the next
// character is not a space (queries use " | ").
func splitSrcs(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && i+1 < len(s) && s[i+1] != ' ' && (i == 0 || s[i-1] != ' ') {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestErrSpans(t *testing.T) {
	for _, q := range []string{
		"T | where | where",
		"T | foo",
		"T | where x == \"abc",
		"T | where x ==",
		"T |",
		"let x =",
		"let f = (a:long) {",
		"T | where (x > 1",
		"T | project a b",
		"T\n| where x > 1\nT2",
		"T | where x in ()",
		"print dynamic([1,2,])",
		"T | where x has_any dynamic([\"a\"])",
		"T | sort x",
		"let x = 1;; T",
		"T | where x == 'a\nb'",
		"T | where a == \"\\d\"",
		"T | project-away",
		"T | where x #",
		"```abc",
		"T | top 10",
		"T | where x > 1 T2 | take 1; U | foo; V |",
		"find where x",
		"T | summarize count() by",
		"T | extend x = datetime(2020",
	} {
		_, err := Parse(q)
		var list ErrorList
		errors.As(err, &list)
		for _, e := range list {
			fmt.Printf("{%q, %d, %d, %q},\n", q, e.Span.Start, e.Span.End, e.Msg)
		}
	}
}

func TestDumpCases(t *testing.T) {
	f, _ := os.Create("/tmp/gen/mycases.jsonl")
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, c := range parseCases {
		for _, s := range c.srcs {
			enc.Encode(map[string]string{"id": "ok:" + c.name, "query": s})
		}
	}
	for _, c := range errorCases {
		enc.Encode(map[string]string{"id": "err", "query": c.src})
	}
}
