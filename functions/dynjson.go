package functions

import (
	"github.com/kql-offline/kql/tables"
)

// Functions that build dynamic values (pack_array, bag_pack, make_list...)
// write JSON text directly: a dynamic value is its JSON text (see
// tables.Value), so building a Go tree only to serialise it again would
// cost an allocation per node.

// arrayOf returns a dynamic array of the values, each in its JSON form.
func arrayOf(vals []tables.Value) tables.Value {
	b := make([]byte, 0, 2+8*len(vals))
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = tables.AppendJSON(b, v)
	}
	b = append(b, ']')
	return tables.NewDynamic(string(b))
}

// stringArray returns a dynamic array of strings.
func stringArray(ss []string) tables.Value {
	b := make([]byte, 0, 2+8*len(ss))
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = tables.AppendJSONString(b, s)
	}
	b = append(b, ']')
	return tables.NewDynamic(string(b))
}

// emptyArray is the dynamic value [].
var emptyArray = tables.NewDynamic("[]")

// bag collects the properties of a property bag in insertion order. The
// first value set for a key wins, which is what bag_merge and make_bag do.
type bag struct {
	keys []string
	vals []tables.Value
	seen map[string]struct{}
}

// set adds key=v unless key is already present.
func (b *bag) set(key string, v tables.Value) {
	if b.seen == nil {
		b.seen = map[string]struct{}{}
	}
	if _, dup := b.seen[key]; dup {
		return
	}
	b.seen[key] = struct{}{}
	b.keys = append(b.keys, key)
	b.vals = append(b.vals, v)
}

// put adds or replaces key=v (bag_set_key).
func (b *bag) put(key string, v tables.Value) {
	if _, dup := b.seen[key]; dup {
		for i, k := range b.keys {
			if k == key {
				b.vals[i] = v
				return
			}
		}
	}
	b.set(key, v)
}

// merge adds every property of a dynamic bag.
func (b *bag) merge(d tables.Value) {
	d.Elements(func(k string, e tables.Value) bool {
		b.set(k, e)
		return true
	})
}

func (b *bag) len() int { return len(b.keys) }

// value returns the bag as a dynamic value.
func (b *bag) value() tables.Value {
	out := make([]byte, 0, 2+16*len(b.keys))
	out = append(out, '{')
	for i, k := range b.keys {
		if i > 0 {
			out = append(out, ',')
		}
		out = tables.AppendJSONString(out, k)
		out = append(out, ':')
		out = tables.AppendJSON(out, b.vals[i])
	}
	out = append(out, '}')
	return tables.NewDynamic(string(out))
}

// isArray and isBag test the JSON kind of a dynamic value cheaply.
func isArray(v tables.Value) bool {
	return v.Type() == tables.Dynamic && !v.IsNull() && len(v.Str()) > 0 && v.Str()[0] == '['
}

func isBag(v tables.Value) bool {
	return v.Type() == tables.Dynamic && !v.IsNull() && len(v.Str()) > 0 && v.Str()[0] == '{'
}

// elements returns the elements of a dynamic array (nil for anything else).
func elements(v tables.Value) []tables.Value {
	if !isArray(v) {
		return nil
	}
	out := make([]tables.Value, 0, 8)
	v.Elements(func(_ string, e tables.Value) bool {
		out = append(out, e)
		return true
	})
	return out
}

// asDynamic turns any value into its dynamic form: a dynamic value as it
// is, anything else as the JSON scalar it becomes inside an array.
func asDynamic(v tables.Value) tables.Value {
	if v.Type() == tables.Dynamic {
		return v
	}
	if v.IsNull() {
		return tables.Null(tables.Dynamic)
	}
	return tables.NewDynamic(tables.ToJSON(v))
}

// dynKey is the identity of a dynamic element for set operations: strings
// compare by their text (so escaping does not matter), everything else by
// its JSON text.
func dynKey(v tables.Value) string {
	if s, ok := v.DynString(); ok {
		return "s" + s
	}
	if v.IsNull() {
		return "n"
	}
	return "j" + v.Str()
}
