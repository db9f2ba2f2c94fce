package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestMiscFunctions(t *testing.T) {
	doc := S(`{"hosts":[{"name":"a","port":80}],"k":"v"}`)
	cases := []struct {
		name string
		args []tables.Value
		want tables.Value
	}{
		{"extract_json", []tables.Value{S("$.k"), doc}, S("v")},
		{"extractjson", []tables.Value{S("$.hosts[0].name"), doc}, S("a")},
		{"extract_json", []tables.Value{S("$['hosts'][0]['port']"), doc, S("long")}, L(80)},
		{"extract_json", []tables.Value{S("$.missing"), doc}, S("")},
		{"extract_json", []tables.Value{S("$.hosts"), doc}, S(`[{"name":"a","port":80}]`)},
		{"format_bytes", []tables.Value{L(564)}, S("564 Bytes")},
		{"format_bytes", []tables.Value{L(10332), L(1)}, S("10.1 KB")},
		{"format_bytes", []tables.Value{L(20010332)}, S("19 MB")},
		{"format_bytes", []tables.Value{L(20010332), L(2)}, S("19.08 MB")},
		{"format_bytes", []tables.Value{L(20010332), L(0), S("KB")}, S("19541 KB")},
		{"translate", []tables.Value{S("abc"), S("x"), S("abc")}, S("xxx")},
		{"translate", []tables.Value{S("abc"), S(""), S("ab")}, S("")},
		{"translate", []tables.Value{S("krasp"), S("otsku"), S("spark")}, S("kusto")},
		{"unicode_codepoints_to_string", []tables.Value{L(75), L(117), L(115), L(116), L(111)}, S("Kusto")},
		{"unicode_codepoints_to_string", []tables.Value{D("[75,117,115]"), L(116), L(111)}, S("Kusto")},
		{"ingestion_time", nil, N(tables.DateTime)},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, call(t, c.name, c.args...), "%s%v", c.name, c.args)
	}
	assertJSON(t, `[9382,9392,9390,9391,9386]`, call(t, "unicode_codepoints_from_string", S("⒦⒰⒮⒯⒪")))
	assertJSON(t, `["echo","hello world!"]`, call(t, "parse_command_line", S(`echo "hello world!"`), S("windows")))
	assertJSON(t, `["a\\b","c\"d","e\\"]`, call(t, "parse_command_line", S(`a\b c\"d "e\\"`), S("windows")))
}

func TestParsePath(t *testing.T) {
	cases := map[string]string{
		`C:\temp\file.txt`: `{"Scheme":"","RootPath":"C:","DirectoryPath":"C:\\temp","DirectoryName":"temp",
			"Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`,
		`temp\file.txt`: `{"Scheme":"","RootPath":"","DirectoryPath":"temp","DirectoryName":"temp",
			"Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`,
		`file://C:/temp/file.txt:some.exe`: `{"Scheme":"file","RootPath":"C:","DirectoryPath":"C:/temp",
			"DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":"some.exe"}`,
		`\\shared\users\temp\file.txt.gz`: `{"Scheme":"","RootPath":"","DirectoryPath":"\\\\shared\\users\\temp",
			"DirectoryName":"temp","Filename":"file.txt.gz","Extension":"gz","AlternateDataStreamName":""}`,
		`/usr/lib/temp/file.txt`: `{"Scheme":"","RootPath":"","DirectoryPath":"/usr/lib/temp",
			"DirectoryName":"temp","Filename":"file.txt","Extension":"txt","AlternateDataStreamName":""}`,
	}
	for in, want := range cases {
		assertJSON(t, want, call(t, "parse_path", S(in)), in)
	}
}
