package kqltest

import (
	"bytes"
	"fmt"
	"os"
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
// paths. Only the expectations change: the other fields, their comments and
// the other cases stay as parsed, though yaml re-indents the file.
func Update(results []Result) ([]string, error) {
	var files []*File
	changed := map[*File]bool{}
	for i := range results {
		res := &results[i]
		if !res.Updatable() {
			continue
		}
		res.Case.updateExpect(res)
		if f := res.Case.File; !changed[f] {
			changed[f] = true
			files = append(files, f)
		}
	}
	var paths []string
	for _, f := range files {
		if err := f.write(); err != nil {
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

// columnsNode writes the result's columns in the form the case used: a
// mapping of name to type, or a list of names, typed ("Name:type") when the
// case typed any.
func columnsNode(old *yaml.Node, v view) *yaml.Node {
	cols, _ := parseColumns(old)
	typed := old.Kind == yaml.MappingNode
	for _, c := range cols {
		typed = typed || c.Type != ""
	}
	out := &yaml.Node{Kind: old.Kind, Style: old.Style}
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
		head, line, foot := old.HeadComment, old.LineComment, old.FootComment
		*old = *val
		old.HeadComment, old.LineComment, old.FootComment = head, line, foot
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

// write encodes the file's documents back to its path.
func (f *File) write() error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	for _, doc := range f.docs {
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(f.Path); err == nil {
		mode = st.Mode().Perm()
	}
	return os.WriteFile(f.Path, b.Bytes(), mode)
}
