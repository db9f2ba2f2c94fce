package kqltest

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kql-offline/kql/tables"
)

// Values cross between YAML and the engine in three ways: expected cells are
// decoded into the shapes tables.MatchJSON compares with (nil, bool,
// json.Number, string, []any, map[string]any); inline table rows are turned
// into JSON text for the table loader, keeping their key order so that the
// columns come out as written; and --update turns result cells back into YAML
// nodes.

// decodeNode returns the decoded-JSON form of a YAML value. Numbers become
// json.Number so that a long keeps all its digits; YAML's timestamps stay
// text, which MatchJSON reads as an instant.
func decodeNode(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return decodeNode(n.Content[0])
	case yaml.AliasNode:
		return decodeNode(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := decodeNode(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := decodeNode(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		return out, nil
	}
	return decodeScalar(n)
}

// decodeScalar reads a scalar by its resolved tag.
func decodeScalar(n *yaml.Node) (any, error) {
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return nil, nodeErrorf(n, "%q is not a bool", n.Value)
		}
		return b, nil
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			var f float64
			if err := n.Decode(&f); err != nil {
				return nil, nodeErrorf(n, "%q is not a number", n.Value)
			}
			return floatValue(f), nil
		}
		return json.Number(strconv.FormatInt(i, 10)), nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, nodeErrorf(n, "%q is not a number", n.Value)
		}
		return floatValue(f), nil
	}
	return n.Value, nil
}

// floatValue is a real as MatchJSON expects it: a number, or the strings
// Kusto writes for the reals JSON lacks.
func floatValue(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// appendNodeJSON appends a YAML value as JSON text, keeping the order of
// mapping keys (encoding/json would sort them, and inline tables would get
// their columns in alphabetical order).
func appendNodeJSON(b []byte, n *yaml.Node) ([]byte, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return append(b, "null"...), nil
		}
		return appendNodeJSON(b, n.Content[0])
	case yaml.AliasNode:
		return appendNodeJSON(b, n.Alias)
	case yaml.SequenceNode:
		return appendJSONSeq(b, n)
	case yaml.MappingNode:
		return appendJSONMap(b, n)
	}
	v, err := decodeScalar(n)
	if err != nil {
		return nil, err
	}
	text, err := json.Marshal(v)
	if err != nil {
		return nil, nodeErrorf(n, "%v", err)
	}
	return append(b, text...), nil
}

func appendJSONSeq(b []byte, n *yaml.Node) ([]byte, error) {
	b = append(b, '[')
	for i, c := range n.Content {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendNodeJSON(b, c); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func appendJSONMap(b []byte, n *yaml.Node) ([]byte, error) {
	b = append(b, '{')
	for i := 0; i+1 < len(n.Content); i += 2 {
		if i > 0 {
			b = append(b, ',')
		}
		b = tables.AppendJSONString(b, n.Content[i].Value)
		b = append(b, ':')
		var err error
		if b, err = appendNodeJSON(b, n.Content[i+1]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// cellJSON is the JSON text of a result cell as kql writes results out:
// datetimes without a zero fraction, so that an updated case reads as the
// `kql run --format json` output does.
func cellJSON(v tables.Value) string {
	if !v.IsNull() && v.Type() == tables.DateTime {
		return tables.QuoteJSON(tables.FormatDateTime(v.Int64(), false))
	}
	return tables.ToJSON(v)
}

// expectedJSON is the JSON text of an expected cell, for diffs.
func expectedJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// valueNode returns a result cell as a YAML node for --update. Dynamic
// values are written in flow style, so that a bag stays on one line as it
// does in JSON.
func valueNode(v tables.Value) *yaml.Node {
	if v.IsNull() {
		return scalarNode("!!null", "null")
	}
	switch v.Type() {
	case tables.Bool:
		return scalarNode("!!bool", strconv.FormatBool(v.Bool()))
	case tables.Int, tables.Long:
		return scalarNode("!!int", strconv.FormatInt(v.Int64(), 10))
	case tables.Real, tables.Decimal:
		text := tables.ToJSON(v)
		if strings.HasPrefix(text, `"`) { // NaN and the infinities
			return scalarNode("!!str", strings.Trim(text, `"`))
		}
		return scalarNode("!!float", text)
	case tables.Dynamic:
		return jsonNode(v.Str())
	case tables.DateTime:
		return scalarNode("!!timestamp", tables.FormatDateTime(v.Int64(), false))
	}
	return scalarNode("!!str", v.String())
}

// jsonNode turns JSON text into YAML nodes in flow style. Text that does not
// decode (it cannot happen for a dynamic value) is kept as a string.
func jsonNode(text string) *yaml.Node {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(text), &n); err != nil || len(n.Content) == 0 {
		return scalarNode("!!str", text)
	}
	root := n.Content[0]
	setFlow(root)
	return root
}

// setFlow marks a node and its children for flow style and forgets their
// positions, which belong to the text they were parsed from.
func setFlow(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style = yaml.FlowStyle
	}
	for _, c := range n.Content {
		setFlow(c)
	}
}

func scalarNode(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// nodeError is a problem at a place in a case file.
type nodeError struct {
	line, col int
	msg       string
}

func (e *nodeError) Error() string {
	if e.line == 0 {
		return e.msg
	}
	return fmt.Sprintf("line %d: %s", e.line, e.msg)
}

func nodeErrorf(n *yaml.Node, format string, args ...any) error {
	return &nodeError{line: n.Line, col: n.Column, msg: fmt.Sprintf(format, args...)}
}
