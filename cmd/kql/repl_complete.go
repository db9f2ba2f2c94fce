package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/parser"
)

// completer answers Tab for the line editor.
type completer struct{ s *session }

// Do returns the endings of the words that complete the one before the
// cursor, and that word's length in runes, as readline.AutoCompleter asks.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	word, cands := c.s.complete(pastedText(string(line[:pos])))
	var out [][]rune
	seen := map[string]bool{}
	for _, cand := range cands {
		if !strings.HasPrefix(cand, word) || cand == word || seen[cand] {
			continue
		}
		seen[cand] = true
		out = append(out, []rune(cand[len(word):]))
	}
	return out, len([]rune(word))
}

// complete returns the word before the cursor and the words that may
// replace it; before is the current line up to the cursor.
func (s *session) complete(before string) (word string, cands []string) {
	if len(s.pending) == 0 {
		if t := strings.TrimLeft(before, " \t"); strings.HasPrefix(t, ".") {
			return s.completeDot(t)
		}
	}
	text := before
	if len(s.pending) > 0 {
		text = strings.Join(s.pending, "\n") + "\n" + before
	}
	return s.completeQuery(text)
}

// completeDot completes a dot-command's name, then its argument: a path
// for .load and .save, a word from the command's list for the others.
func (s *session) completeDot(text string) (string, []string) {
	name, arg, hasArg := strings.Cut(text, " ")
	if !hasArg {
		var out []string
		for _, n := range dotNames() {
			out = append(out, n+" ")
		}
		return name, out
	}
	arg = strings.TrimLeft(arg, " ")
	c, ok := lookupDot(name)
	switch {
	case !ok:
		return "", nil
	case c.name == ".load":
		if strings.Contains(arg, " as ") {
			return "", nil
		}
		return completePath(arg, true)
	case c.name == ".save":
		return completePath(arg, false)
	case c.argWords != nil && !strings.Contains(arg, " "):
		return arg, c.argWords(s)
	}
	return "", nil
}

// completePath completes the last element of a path. With dataOnly, only
// directories and the files the loaders read are offered.
func completePath(arg string, dataOnly bool) (string, []string) {
	dir, base := filepath.Split(arg)
	list := dir
	if list == "" {
		list = "."
	}
	entries, err := os.ReadDir(expandHome(list))
	if err != nil {
		return base, nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			isDir = isDirPath(filepath.Join(expandHome(list), name))
		}
		switch {
		case isDir:
			out = append(out, name+"/")
		case !dataOnly || isDataFile(name):
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return base, out
}

func isDirPath(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// isDataFile reports whether the loaders read a file of this name.
func isDataFile(name string) bool {
	n := strings.TrimSuffix(strings.ToLower(name), ".gz")
	for _, ext := range []string{".json", ".jsonl", ".ndjson", ".csv"} {
		if strings.HasSuffix(n, ext) {
			return true
		}
	}
	return false
}

// tabularOperators are offered after '|'.
var tabularOperators = []string{
	"as", "count", "distinct", "evaluate", "extend", "getschema", "invoke", "join",
	"limit", "lookup", "make-series", "mv-apply", "mv-expand", "order", "parse",
	"parse-kv", "parse-where", "partition", "project", "project-away",
	"project-keep", "project-rename", "project-reorder", "render", "sample",
	"scan", "search", "serialize", "sort", "summarize", "take", "top",
	"top-nested", "union", "where",
}

// statementWords start a statement besides table names.
var statementWords = []string{"let", "print", "range", "datatable", "union"}

// expressionWords are the keywords offered inside an operator once a word
// is begun.
var expressionWords = []string{
	"and", "or", "not", "by", "asc", "desc", "on", "in", "between", "has",
	"has_any", "has_all", "contains", "startswith", "endswith", "matches",
	"kind", "with", "nulls", "first", "last", "true", "false", "dynamic",
	"datetime", "timespan", "typeof",
}

// tableOperators take table names as arguments.
var tableOperators = map[string]bool{"union": true, "join": true, "lookup": true}

// completeQuery works out what may come at the end of text, which is the
// query typed so far up to the cursor.
func (s *session) completeQuery(text string) (string, []string) {
	toks, open := scanTokens(text)
	if open {
		return "", nil
	}
	word, toks := wordAtEnd(text, toks)
	var prev token
	if len(toks) > 0 {
		prev = toks[len(toks)-1]
	}
	// A table or an operator name is always followed by a space, so a
	// completed one gets it, as a shell does after a command's name.
	switch {
	case len(toks) == 0 || prev.is(";"):
		return word, withSpace(s.sourceWords(toks, true))
	case prev.is("|"):
		return word, withSpace(tabularOperators)
	case prev.kind == tokIdent && prev.text == "let":
		return "", nil // a new name
	case tableArgument(toks):
		return word, s.sourceWords(toks, false)
	}
	out := s.pipelineColumns(text, toks, word != "")
	out = append(out, letNames(s.lets, toks)...)
	if word != "" {
		out = append(out, expressionWords...)
		for _, n := range functions.Names() {
			out = append(out, n+"(")
		}
	}
	return word, out
}

// withSpace returns the words, each followed by a space.
func withSpace(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w + " "
	}
	return out
}

// wordAtEnd splits off the word the cursor is at the end of: an identifier,
// or an operator name with dashes (mv-expand) right after '|'.
func wordAtEnd(text string, toks []token) (string, []token) {
	n := len(toks)
	if n == 0 || toks[n-1].end != len(text) {
		return "", toks
	}
	i := n - 1
	for i > 0 && toks[i-1].end == toks[i].start &&
		(toks[i-1].kind == tokIdent || toks[i-1].is("-")) {
		i--
	}
	if (toks[n-1].kind == tokIdent || toks[n-1].is("-")) && i > 0 && toks[i-1].is("|") && toks[i].kind == tokIdent {
		return text[toks[i].start:], toks[:i]
	}
	if toks[n-1].kind == tokIdent {
		return toks[n-1].text, toks[:n-1]
	}
	return "", toks
}

// tableArgument reports whether the cursor is where union, join or lookup
// take a table: right after the operator, after '(' or ',' in its
// arguments, or after an option such as kind=inner.
func tableArgument(toks []token) bool {
	pipe, from := pipelineAt(toks)
	opAt := from
	if pipe >= 0 {
		opAt = pipe + 1
	}
	if opAt >= len(toks) || toks[opAt].kind != tokIdent || !tableOperators[toks[opAt].text] {
		return false
	}
	n := len(toks)
	prev := toks[n-1]
	switch {
	case n-1 == opAt, prev.is("("), prev.is(","):
		return true
	case prev.kind == tokIdent && n >= 3 && toks[n-2].is("="):
		return true // kind=inner T
	}
	return false
}

// sourceWords are what can start a tabular expression: tables, lets and,
// at a statement's start, the statement keywords.
func (s *session) sourceWords(toks []token, stmt bool) []string {
	out := append([]string(nil), s.cat.Names()...)
	out = append(out, letNames(s.lets, toks)...)
	if stmt {
		out = append(out, statementWords...)
	}
	return out
}

// letNames lists the kept lets and those typed earlier in the same text.
func letNames(kept []letDef, toks []token) []string {
	var out []string
	for _, l := range kept {
		out = append(out, l.name)
	}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == tokIdent && toks[i].text == "let" && toks[i+1].kind == tokIdent {
			out = append(out, toks[i+1].text)
		}
	}
	return out
}

// pipelineColumns returns the columns flowing into the operator at the end
// of toks: it binds the pipeline up to the last '|' before the cursor
// (after the kept lets and the statements typed before it) and reads the
// schema. A pipeline that does not bind gives no columns. Names that need
// brackets are offered as ['name'] only when no word is begun.
func (s *session) pipelineColumns(text string, toks []token, begun bool) []string {
	pipe, from := pipelineAt(toks)
	if pipe < 0 || from >= pipe {
		return nil
	}
	stmt := statementStart(toks[:from])
	before := ""
	if stmt > 0 {
		before = text[:toks[stmt-1].end] + "\n"
	}
	src := s.letsPrefix() + before + text[toks[from].start:toks[pipe].start]
	script, err := parser.Parse(src)
	if err != nil {
		return nil
	}
	q, err := engine.Bind(script, s.cat, s.opts)
	if err != nil {
		return nil
	}
	var out []string
	for _, f := range q.Schema() {
		switch {
		case isPlainName(f.Name):
			out = append(out, f.Name)
		case !begun:
			out = append(out, "['"+strings.ReplaceAll(f.Name, "'", `\'`)+"']")
		}
	}
	return out
}
