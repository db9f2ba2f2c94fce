package functions

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// parse_xml converts XML to a dynamic value by the rules of the Kusto
// reference: an element becomes a property named after it; an empty
// element is null and a text-only one its text; attributes become "@name"
// properties and the text beside them or beside child elements "#text";
// repeated child elements become an array. Only elements, attributes and
// text are kept (no declaration, comments or processing instructions).
// Text stays text: kql does not guess numbers. Invalid XML, or more than
// 1 MB of it, gives null.

// maxXML is the longest text parse_xml reads, as in Kusto.
const maxXML = 1 << 20

func init() {
	scalar("parse_xml", params(req("xml", AnyType)), Fixed(tables.Dynamic),
		"Converts XML text to a dynamic value (@attributes, #text, arrays for repeated elements).",
		func(a []tables.Value) tables.Value {
			s := str(a[0])
			if len(s) > maxXML {
				return tables.Null(tables.Dynamic)
			}
			v, ok := parseXML(s)
			if !ok {
				return tables.Null(tables.Dynamic)
			}
			return v
		})
}

// xmlNode collects one element's properties in document order; a key seen
// again turns into an array at its first position.
type xmlNode struct {
	keys  []string
	vals  map[string][]tables.Value
	texts []string
}

func (n *xmlNode) add(key string, v tables.Value) {
	if n.vals == nil {
		n.vals = map[string][]tables.Value{}
	}
	if _, seen := n.vals[key]; !seen {
		n.keys = append(n.keys, key)
	}
	n.vals[key] = append(n.vals[key], v)
}

// value is the element's JSON form.
func (n *xmlNode) value() tables.Value {
	switch {
	case len(n.keys) == 0:
		return tables.Null(tables.Dynamic)
	case len(n.keys) == 1 && n.keys[0] == "#text" && len(n.texts) == 1:
		return tables.NewDynamic(tables.QuoteJSON(n.texts[0]))
	}
	var b bag
	for _, k := range n.keys {
		vals := n.vals[k]
		if k == "#text" {
			if len(n.texts) == 1 {
				b.set(k, tables.NewString(n.texts[0]))
			} else {
				b.set(k, stringArray(n.texts))
			}
			continue
		}
		if len(vals) == 1 {
			b.set(k, vals[0])
		} else {
			b.set(k, arrayOf(vals))
		}
	}
	return b.value()
}

func xmlName(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func parseXML(s string) (tables.Value, bool) {
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	root := &xmlNode{}
	stack := []*xmlNode{root}
	names := []string{""}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return tables.Value{}, false
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 1 && len(root.keys) > 0 {
				return tables.Value{}, false // a second root element
			}
			n := &xmlNode{}
			for _, at := range t.Attr {
				n.add("@"+xmlName(at.Name), tables.NewString(at.Value))
			}
			stack = append(stack, n)
			names = append(names, xmlName(t.Name))
		case xml.EndElement:
			if len(stack) < 2 || names[len(names)-1] != xmlName(t.Name) {
				return tables.Value{}, false
			}
			stack, names = stack[:len(stack)-1], names[:len(names)-1]
			stack[len(stack)-1].add(xmlName(t.Name), top.value())
		case xml.CharData:
			text := strings.TrimSpace(string(t))
			if text == "" {
				continue
			}
			if len(stack) == 1 {
				return tables.Value{}, false // text outside the root element
			}
			top.texts = append(top.texts, text)
			top.add("#text", tables.Null(tables.Dynamic))
		}
	}
	if len(stack) != 1 || len(root.keys) == 0 {
		return tables.Value{}, false
	}
	return root.value(), true
}
