package functions

import (
	"github.com/kql-offline/kql/tables"
)

// buildschema(dynamic) merges the shapes of a group's dynamic values into
// one schema: a JSON scalar gives its type name (long, double, string,
// bool), a bag gives a bag of its keys' schemas, and an array gives a bag
// with the key `indexer` holding its elements' merged schema. Where one
// place holds values of several shapes, the schema lists them in an array
// in the order first seen. Nulls add nothing; no values at all give null.

func init() {
	agg("buildschema", params(req("DynamicExpr", DynOnly)), Fixed(tables.Dynamic), "schema_",
		"The merged schema of the group's dynamic values.",
		func(*Call) (func() Agg, error) { return func() Agg { return &schemaAgg{} }, nil })
}

// indexerKey is the key under which an array's element schema appears.
const indexerKey = "`indexer`"

// schemaNode is the set of shapes seen at one place: scalar type names and
// at most one bag, in the order first seen.
type schemaNode struct {
	alts  []string // scalar type names, or "" for the bag's position
	names map[string]bool
	keys  []string
	sub   map[string]*schemaNode
}

func (n *schemaNode) addAlt(name string) {
	if n.names == nil {
		n.names = map[string]bool{}
	}
	if !n.names[name] {
		n.names[name] = true
		n.alts = append(n.alts, name)
	}
}

func (n *schemaNode) child(key string) *schemaNode {
	n.addAlt("")
	if n.sub == nil {
		n.sub = map[string]*schemaNode{}
	}
	c, ok := n.sub[key]
	if !ok {
		c = &schemaNode{}
		n.sub[key] = c
		n.keys = append(n.keys, key)
	}
	return c
}

// add merges the shape of one dynamic value.
func (n *schemaNode) add(v tables.Value) {
	switch v.DynKind() {
	case tables.DynNull:
	case tables.DynBool:
		n.addAlt("bool")
	case tables.DynLong:
		n.addAlt("long")
	case tables.DynReal:
		n.addAlt("double")
	case tables.DynString:
		n.addAlt("string")
	case tables.DynBag:
		n.addAlt("")
		v.Elements(func(k string, e tables.Value) bool {
			n.child(k).add(e)
			return true
		})
	case tables.DynArray:
		c := n.child(indexerKey)
		v.Elements(func(_ string, e tables.Value) bool {
			c.add(e)
			return true
		})
	}
}

func (n *schemaNode) appendJSON(b []byte) []byte {
	if len(n.alts) > 1 {
		b = append(b, '[')
	}
	for i, alt := range n.alts {
		if i > 0 {
			b = append(b, ',')
		}
		if alt != "" {
			b = tables.AppendJSONString(b, alt)
			continue
		}
		b = append(b, '{')
		for j, k := range n.keys {
			if j > 0 {
				b = append(b, ',')
			}
			b = append(tables.AppendJSONString(b, k), ':')
			b = n.sub[k].appendJSON(b)
		}
		b = append(b, '}')
	}
	if len(n.alts) > 1 {
		b = append(b, ']')
	}
	if len(n.alts) == 0 {
		b = append(b, "null"...)
	}
	return b
}

type schemaAgg struct{ root schemaNode }

func (a *schemaAgg) Add(args []tables.Value) { a.root.add(asDynamic(args[0])) }

func (a *schemaAgg) Result() tables.Value {
	if len(a.root.alts) == 0 {
		return tables.Null(tables.Dynamic)
	}
	return tables.NewDynamic(string(a.root.appendJSON(nil)))
}
