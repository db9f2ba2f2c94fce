package kqltest

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Updatable reports whether --update can write a result into its case: the
// query ran or failed, and the case did not already pass.
func (r *Result) Updatable() bool {
	return r.Status != Pass && r.query != nil
}

// Update writes the actual outcome of each updatable result into its case's
// expect mapping, then rewrites each file it changed and returns their
// paths. Only the expectations change: the rest of the file stays as it
// was, byte for byte, and comments inside an expectation are kept where yaml
// attaches them to its nodes.
func Update(results []Result) ([]string, error) {
	var files []*File
	changed := map[*File][]*Case{}
	for i := range results {
		res := &results[i]
		if !res.Updatable() {
			continue
		}
		res.Case.updateExpect(res)
		f := res.Case.File
		if changed[f] == nil {
			files = append(files, f)
		}
		changed[f] = append(changed[f], res.Case)
	}
	var paths []string
	for _, f := range files {
		if err := f.write(changed[f]); err != nil {
			return paths, err
		}
		paths = append(paths, f.Path)
	}
	return paths, nil
}

// updateExpect sets the case's expectation to the result: its error when
// the query failed, else the kinds of expectation the case had (rows when it
// had none).
func (c *Case) updateExpect(res *Result) {
	e := c.Expect.node
	if e == nil {
		e = &yaml.Node{Kind: yaml.MappingNode}
		c.node.Content = append(c.node.Content, scalarNode("!!str", "expect"), e)
		c.Expect.node = e
	}
	if res.Err != nil {
		for _, k := range []string{"rows", "ordered", "count", "columns"} {
			mapDelete(e, k)
		}
		mapSet(e, "error", c.errorNode(res))
		return
	}
	mapDelete(e, "error")
	v := newView(res.Table, c.Expect.Ignore)
	hasRows := mapGet(e, "rows") != nil
	if !hasRows && mapGet(e, "count") == nil && mapGet(e, "columns") == nil {
		hasRows = true
	}
	if n := mapGet(e, "columns"); n != nil {
		mapSet(e, "columns", columnsNode(n, v))
	}
	if mapGet(e, "count") != nil {
		mapSet(e, "count", scalarNode("!!int", strconv.Itoa(res.Table.Rows())))
	}
	if hasRows {
		mapSet(e, "rows", rowsNode(mapGet(e, "rows"), v))
	}
}

// errorNode is the expected error for a failed query: the first error's
// message, with its line and column unless the case wrote a bare message.
func (c *Case) errorNode(res *Result) *yaml.Node {
	first := reportedErrors(res.query, res.Err)[0]
	if c.Expect.Error != nil && c.Expect.Error.short {
		return scalarNode("!!str", first.msg)
	}
	n := &yaml.Node{Kind: yaml.MappingNode}
	if c.Expect.node != nil {
		if old := mapGet(c.Expect.node, "error"); old != nil {
			n.Style = old.Style & yaml.FlowStyle // kept as {message: ..., line: 2, col: 9}
		}
	}
	mapSet(n, "message", scalarNode("!!str", first.msg))
	if first.line > 0 {
		mapSet(n, "line", scalarNode("!!int", strconv.Itoa(first.line)))
		mapSet(n, "col", scalarNode("!!int", strconv.Itoa(first.col)))
	}
	return n
}

// rowsNode writes the result's rows. Rows keep the style of the first row
// the case had (flow `- {A: 1}` or block); new ones are block mappings.
func rowsNode(old *yaml.Node, v view) *yaml.Node {
	style := yaml.Style(0)
	if old != nil && len(old.Content) > 0 {
		style = old.Content[0].Style & yaml.FlowStyle
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	if v.t.Rows() == 0 {
		seq.Style = yaml.FlowStyle // rows: []
	}
	for r := 0; r < v.t.Rows(); r++ {
		row := &yaml.Node{Kind: yaml.MappingNode, Style: style}
		for _, c := range v.cols {
			mapSet(row, v.t.Schema[c].Name, valueNode(v.t.Columns[c].Value(r)))
		}
		seq.Content = append(seq.Content, row)
	}
	return seq
}

// flowColumns is the most columns --update writes on one line, when the
// case wrote its columns that way; more are written one per line.
const flowColumns = 6

// columnsNode writes the result's columns in the form the case used: a
// mapping of name to type, or a list of names, typed ("Name:type") when the
// case typed any.
func columnsNode(old *yaml.Node, v view) *yaml.Node {
	cols, _ := parseColumns(old)
	typed := old.Kind == yaml.MappingNode
	for _, c := range cols {
		typed = typed || c.Type != ""
	}
	out := &yaml.Node{Kind: old.Kind}
	if len(v.cols) <= flowColumns {
		out.Style = old.Style & yaml.FlowStyle
	}
	for _, c := range v.cols {
		f := v.t.Schema[c]
		switch {
		case old.Kind == yaml.MappingNode:
			mapSet(out, f.Name, scalarNode("!!str", f.Type.String()))
		case typed:
			out.Content = append(out.Content, scalarNode("!!str", f.Name+":"+f.Type.String()))
		default:
			out.Content = append(out.Content, scalarNode("!!str", f.Name))
		}
	}
	if old.Kind != yaml.MappingNode {
		out.Kind = yaml.SequenceNode
	}
	return out
}

// mapGet returns the value of key in mapping m, or nil.
func mapGet(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// mapSet sets key's value in mapping m. An existing value node is
// overwritten in place, so the comments attached to it stay.
func mapSet(m *yaml.Node, key string, val *yaml.Node) {
	if old := mapGet(m, key); old != nil {
		head, line, foot, anchor := old.HeadComment, old.LineComment, old.FootComment, old.Anchor
		*old = *val
		old.HeadComment, old.LineComment, old.FootComment = head, line, foot
		if old.Kind != yaml.AliasNode {
			old.Anchor = anchor // another case may refer to these rows
		}
		return
	}
	m.Content = append(m.Content, scalarNode("!!str", key), val)
}

func mapDelete(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// write saves the file with the cases' new expectations. Each expect
// block is replaced in the original text (see splice), so that the rest of
// the file keeps its quoting, layout and blank lines, which yaml.v3 would
// not; when the text cannot be edited that way, the whole file is encoded
// from its nodes instead.
func (f *File) write(cases []*Case) error {
	text, ok := f.splice(cases)
	if !ok {
		var err error
		if text, err = f.encode(); err != nil {
			return err
		}
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(f.Path); err == nil {
		mode = st.Mode().Perm()
	}
	return os.WriteFile(f.Path, text, mode)
}

// encode writes all the documents from their nodes.
func (f *File) encode() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	for _, doc := range f.docs {
		if err := enc.Encode(doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return separateCases(unquoteTimes(b.Bytes())), nil
}

// lineEdit replaces lines [from, to) (0-based) with text.
type lineEdit struct {
	from, to int
	text     []byte
}

// splice replaces the expect block of each case in the original text. It
// reports false when a case is written in flow style (no lines to replace)
// or when the edited text does not read back as the same cases.
func (f *File) splice(cases []*Case) ([]byte, bool) {
	lines := bytes.SplitAfter(f.data, []byte("\n"))
	var edits []lineEdit
	for _, c := range cases {
		e, ok := c.expectEdit(lines)
		if !ok {
			return nil, false
		}
		edits = append(edits, e)
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	for _, e := range edits {
		tail := append([][]byte{e.text}, lines[e.to:]...)
		lines = append(lines[:e.from], tail...)
	}
	text := bytes.Join(lines, nil)
	again, err := ParseFile(f.Path, text)
	if err != nil || len(again.Cases) != len(f.Cases) {
		return nil, false
	}
	return text, true
}

// expectEdit is the edit that writes a case's expect block: it replaces the
// lines from `expect:` to the next key of the case (or the case's end,
// less the blank lines, comments and document markers that lead into the
// next case), or is inserted after the case's last line when the case had
// no expectation.
func (c *Case) expectEdit(lines [][]byte) (lineEdit, bool) {
	n := c.node
	if n.Style&yaml.FlowStyle != 0 || len(n.Content) < 2 {
		return lineEdit{}, false
	}
	col := n.Content[0].Column
	i := len(n.Content) - 2
	for k := 0; k+1 < len(n.Content); k += 2 {
		if n.Content[k].Value == "expect" {
			i = k
			break
		}
	}
	key, val := n.Content[i], n.Content[i+1]
	text, err := encodeField(key, val, col-1)
	if err != nil {
		return lineEdit{}, false
	}
	end := len(lines)
	if c.end > 0 {
		end = c.end - 1
	}
	if i+2 < len(n.Content) {
		end = n.Content[i+2].Line - 1
	}
	if key.Line == 0 { // a new expect: insert it after the case's last line
		last := n.Content[len(n.Content)-3].Line // the key before it
		at := trimEnd(lines, last, end)
		return lineEdit{from: at, to: at, text: text}, true
	}
	from := key.Line - 1
	return lineEdit{from: from, to: trimEnd(lines, from+1, end), text: text}, true
}

// trimEnd returns where the text of a field that may run from line from to
// line end stops: before a document marker, and before the blank lines and
// comments that end it. Those stay as they are after the new text (see
// encodeField for why).
func trimEnd(lines [][]byte, from, end int) int {
	end = min(end, len(lines))
	for i := from; i < end; i++ {
		if bytes.HasPrefix(lines[i], []byte("---")) || bytes.HasPrefix(lines[i], []byte("...")) {
			end = i
			break
		}
	}
	for end > from {
		line := bytes.TrimSpace(lines[end-1])
		if len(line) == 0 || line[0] == '#' {
			end--
			continue
		}
		break
	}
	return end
}

func clearFoot(n *yaml.Node) {
	n.FootComment = ""
	for _, c := range n.Content {
		clearFoot(c)
	}
}

// quotedTime is a datetime the YAML encoder quoted. It quotes every
// scalar holding a ':' inside a flow mapping, though YAML 1.2 and yaml.v3
// read `{Sent: 2025-11-09T09:30:00Z}` fine. The delimiters around it keep
// the match off quotes doubled inside a longer single-quoted string.
var quotedTime = regexp.MustCompile(
	`([ \[{,])'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)'([,}\]\n])`)

// quotedTypedColumn is a typed column name, 'Name:type', that yaml.v3
// quotes in a flow list for its colon.
var quotedTypedColumn = regexp.MustCompile(`([\[,] ?)'([A-Za-z_][A-Za-z0-9_]*:[a-z]+)'([,\]])`)

// unquoteTimes writes quoted datetimes plain, as people write them in
// cases. A plain datetime reads back as the same text (see decodeScalar),
// so this changes no expectation, even for a string column. Typed column
// names in a flow list ([Name:string, N:long]) are written plain too: a
// colon not followed by a space does not end a plain scalar, so they read
// back the same.
func unquoteTimes(text []byte) []byte {
	text = quotedTime.ReplaceAll(text, []byte("$1$2$3"))
	for range 2 { // adjacent names share a comma: a second pass gets the rest
		text = quotedTypedColumn.ReplaceAll(text, []byte("$1$2$3"))
	}
	return text
}

// encodeField writes `key: value` in block style, indented by indent spaces.
// The key's head comment is left out: it sits above the replaced lines. So
// are foot comments, which yaml.v3 gives the comment lines at the end of a
// block: trimEnd leaves those lines in place.
func encodeField(key, val *yaml.Node, indent int) ([]byte, error) {
	k := *key
	k.HeadComment, k.FootComment = "", ""
	clearFoot(val)
	m := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{&k, val}}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	pad := bytes.Repeat([]byte(" "), indent)
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(unquoteTimes(b.Bytes()), []byte("\n")) {
		if len(bytes.TrimSpace(line)) > 0 {
			out.Write(pad)
		}
		out.Write(line)
	}
	return out.Bytes(), nil
}

// separateCases puts a blank line before each case of a top-level list
// (and before the comment lines that head it). yaml.v3 drops blank lines,
// and a file of cases run together is hard to read.
func separateCases(text []byte) []byte {
	lines := bytes.SplitAfter(text, []byte("\n"))
	items := 0
	for i, line := range lines {
		if !bytes.HasPrefix(line, []byte("- ")) {
			continue
		}
		items++
		if items == 1 {
			continue
		}
		start := i
		for start > 0 && bytes.HasPrefix(lines[start-1], []byte("#")) {
			start--
		}
		lines[start] = append([]byte("\n"), lines[start]...)
	}
	return bytes.Join(lines, nil)
}
