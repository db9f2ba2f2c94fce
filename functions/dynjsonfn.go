package functions

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/kql-offline/kql/tables"
)

func init() {
	scalar("dynamic_to_json", params(req("obj", AnyType)), Fixed(tables.String),
		"The JSON text of a value with every bag's keys sorted, so equal bags give equal text.",
		dynamicToJSON)
}

// dynamicToJSON re-encodes the value through Go's JSON encoder, which sorts
// map keys; numbers keep their original text.
func dynamicToJSON(a []tables.Value) tables.Value {
	v := a[0]
	if v.IsNull() {
		return tables.NewString("")
	}
	text := tables.ToJSON(v)
	if v.Type() != tables.Dynamic {
		return tables.NewString(text)
	}
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var tree any
	if err := d.Decode(&tree); err != nil {
		return tables.NewString(text)
	}
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(tree); err != nil {
		return tables.NewString(text)
	}
	return tables.NewString(strings.TrimSuffix(buf.String(), "\n"))
}
