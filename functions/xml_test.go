package functions

import (
	"testing"

	"github.com/kql-offline/kql/tables"
)

func TestParseXML(t *testing.T) {
	cases := map[string]string{
		`<e/>`:                             `{"e":null}`,
		`<e>text</e>`:                      `{"e":"text"}`,
		`<e name="value" />`:               `{"e":{"@name":"value"}}`,
		`<e name="value">text</e>`:         `{"e":{"@name":"value","#text":"text"}}`,
		`<e> <a>text</a> <b>text</b> </e>`: `{"e":{"a":"text","b":"text"}}`,
		`<e> <a>text</a> <a>text</a> </e>`: `{"e":{"a":["text","text"]}}`,
		`<e> text <a>text</a> </e>`:        `{"e":{"#text":"text","a":"text"}}`,
		`<?xml version="1.0"?><!-- c --><d><v>118.0</v><x:n xmlns:x="u">1</x:n></d>`: `{"d":{"v":"118.0","x:n":{"@xmlns:x":"u","#text":"1"}}}`,
		`<E><Data Name="A">1</Data><Data Name="B"/></E>`:                             `{"E":{"Data":[{"@Name":"A","#text":"1"},{"@Name":"B"}]}}`,
		`<e><![CDATA[a<b]]></e>`: `{"e":"a<b"}`,
	}
	for in, want := range cases {
		assertJSON(t, want, call(t, "parse_xml", S(in)), in)
	}
	for _, bad := range []string{"", "not xml", "<a><b></a>", "<a/><b/>", "<a>", "x<a/>"} {
		assertJSON(t, "null", call(t, "parse_xml", S(bad)), bad)
	}
	assertJSON(t, "null", call(t, "parse_xml", N(tables.String)))
}
