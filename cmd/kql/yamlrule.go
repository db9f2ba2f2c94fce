package main

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// yamlRuleSource reads a Sentinel analytics or hunting rule and returns its
// `query` field as the query to run. Errors in the query are reported at
// their line and column in the YAML file, so the query's text is mapped back
// to the file byte by byte (see scalarOffsets).
func yamlRuleSource(path string, data []byte) (*querySource, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: not a valid YAML rule: %w", path, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: %w (the file is not a YAML mapping)", path, errNoQuery)
	}
	query := mappingValue(root, "query")
	if query == nil {
		return nil, fmt.Errorf("%s: %w", path, errNoQuery)
	}
	if query.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%s:%d:%d: the 'query' field is not text", path, query.Line, query.Column)
	}
	src := &querySource{name: path, text: query.Value, file: string(data)}
	if name := mappingValue(root, "name"); name != nil && name.Kind == yaml.ScalarNode {
		src.title = name.Value
	}
	offs := scalarOffsets(src.file, query)
	src.fileOffset = func(o int) int {
		return offs[min(max(o, 0), len(offs)-1)]
	}
	return src, nil
}

// mappingValue returns the value of key in a mapping node, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// scalarOffsets returns, for every byte offset of n's decoded value (and the
// offset just past its end), the byte offset in file of the character it came
// from.
//
// It walks the decoded value and the raw text side by side: equal bytes pair
// up; block indentation, quotes, escapes and the line breaks that YAML folds
// into spaces are stepped over in the raw text. For a literal block (`|`,
// what Sentinel rules use) this is exact: every value line is a file line
// minus the block's indentation. The alternative, a line:column arithmetic
// per style, would need the parent's indentation for explicit indentation
// indicators (`|2`), which yaml.Node does not give.
//
// Offsets past the last non-blank character map to just after it, so that an
// "unexpected end of query" points at the end of the query rather than into
// the next YAML key.
func scalarOffsets(file string, n *yaml.Node) []int {
	w := newScalarWalk(file, n)
	value := n.Value
	offs := make([]int, len(value)+1)
	i := 0
	for i < len(value) {
		step, ok := w.next(value[i:])
		if !ok {
			break
		}
		for k := 0; k < step; k++ {
			offs[i+k] = w.matchedAt
		}
		i += step
	}
	last := w.j
	for ; i <= len(value); i++ {
		offs[i] = last
	}
	end := len(strings.TrimRight(value, " \t\r\n"))
	if end > 0 && end < len(value) {
		after := offs[end-1] + 1
		for k := end; k <= len(value); k++ {
			offs[k] = after
		}
	}
	return offs
}

// scalarWalk is the position in the raw text while scalarOffsets pairs it
// with the decoded value.
type scalarWalk struct {
	file      string
	j         int // next raw byte
	style     yaml.Style
	block     bool
	indent    int  // a block scalar's indentation, in spaces
	lineStart bool // j is at the start of a raw line of a block scalar
	matchedAt int  // raw offset of the last value character paired
}

func newScalarWalk(file string, n *yaml.Node) *scalarWalk {
	w := &scalarWalk{file: file, style: n.Style}
	w.j = lineColOffset(file, n.Line, n.Column)
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// n.Line:n.Column is the `|` or `>` indicator; the content
		// starts on the next line.
		w.block = true
		if nl := strings.IndexByte(file[w.j:], '\n'); nl >= 0 {
			w.j += nl + 1
		} else {
			w.j = len(file)
		}
		w.lineStart = true
		w.indent = blockIndent(file[w.j:], n.Value)
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		w.j++ // the opening quote
	}
	return w
}

// blockIndent works out a block scalar's indentation: the leading spaces of
// its first non-blank line in the file less those the value keeps. This
// holds for auto-detected and explicit (`|2`) indentation alike.
func blockIndent(raw, value string) int {
	fileLead := -1
	for _, line := range strings.Split(raw, "\n") {
		if strings.TrimSpace(line) != "" {
			fileLead = len(line) - len(strings.TrimLeft(line, " "))
			break
		}
	}
	trimmed := strings.TrimLeft(value, "\n")
	valueLead := len(trimmed) - len(strings.TrimLeft(trimmed, " "))
	return max(fileLead-valueLead, 0)
}

// next pairs the start of rest (the undecoded part of the value) with the raw
// text, stepping over what the value does not contain. It returns how many
// value bytes were paired, or false when the two cannot be aligned.
func (w *scalarWalk) next(rest string) (int, bool) {
	for w.j < len(w.file) {
		if w.lineStart {
			w.skipIndent()
			w.lineStart = false
			continue
		}
		c := w.file[w.j]
		v := rest[0]
		switch {
		case w.style&yaml.DoubleQuotedStyle != 0 && c == '\\':
			if w.j+1 < len(w.file) && w.file[w.j+1] == '\n' {
				w.j += 2 // an escaped line break adds nothing
				continue
			}
			return w.escape(rest), true
		case w.style&yaml.SingleQuotedStyle != 0 && c == '\'':
			if v != '\'' || !strings.HasPrefix(w.file[w.j:], "''") {
				return 0, false
			}
			w.pair(2)
			return 1, true
		case c == v:
			w.pair(1)
			return 1, true
		case c == '\n' && v == ' ':
			w.pair(1) // a folded line break
			return 1, true
		case c == '\n' || c == '\r' || c == ' ' || c == '\t':
			w.j++ // indentation, folding, or a carriage return
			w.lineStart = c == '\n' && w.block
		default:
			return 0, false
		}
	}
	return 0, false
}

// pair records the raw byte at j as the source of the current value byte and
// steps over n raw bytes.
func (w *scalarWalk) pair(n int) {
	w.matchedAt = w.j
	w.lineStart = w.block && w.file[w.j] == '\n'
	w.j += n
}

func (w *scalarWalk) skipIndent() {
	for k := 0; k < w.indent && w.j < len(w.file) && w.file[w.j] == ' '; k++ {
		w.j++
	}
}

// escape pairs a double-quoted escape sequence with the character it decodes
// to, and returns that character's length in the value.
func (w *scalarWalk) escape(rest string) int {
	w.matchedAt = w.j
	size := 2
	if w.j+1 < len(w.file) {
		switch w.file[w.j+1] {
		case 'x':
			size = 4
		case 'u':
			size = 6
		case 'U':
			size = 10
		}
	}
	w.j = min(w.j+size, len(w.file))
	_, n := utf8.DecodeRuneInString(rest)
	return n
}

// lineColOffset returns the byte offset of a 1-based line and a 1-based
// column counted in characters, as yaml.Node gives them.
func lineColOffset(file string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		nl := strings.IndexByte(file[off:], '\n')
		if nl < 0 {
			return len(file)
		}
		off += nl + 1
	}
	for c := 1; c < col && off < len(file) && file[off] != '\n'; c++ {
		_, n := utf8.DecodeRuneInString(file[off:])
		off += n
	}
	return off
}
