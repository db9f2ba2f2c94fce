package parser

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
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
