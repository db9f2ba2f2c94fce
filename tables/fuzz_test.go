package tables

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The loaders' fuzz targets: any bytes give a well-formed table or an
// error, never a panic. Chunks are made tiny so that the merging of
// fragments is exercised on small inputs.

var fuzzSchema = Schema{{"a", Long}, {"b", Dynamic}, {"c", DateTime}, {"d", GUID}, {"e", Bool}}

func fuzzLoad(t *testing.T, data []byte, path, format string, typed bool) (*Table, error) {
	opts := LoadOptions{Format: format}
	if typed {
		opts.Schema = fuzzSchema
	}
	tb, err := Load(bytes.NewReader(data), path, opts)
	if err != nil {
		if _, ok := err.(*DataError); !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
		return nil, err
	}
	checkShape(t, tb)
	return tb, nil
}

func smallChunks(f *testing.F) {
	old := minChunk
	minChunk = 64
	f.Cleanup(func() { minChunk = old })
}

func FuzzLoadJSON(f *testing.F) {
	smallChunks(f)
	for _, seed := range []string{
		inferJSON, `[]`, `[{"a":1},{"b":"x\u00e9"}]`, `[{"a":1}`, "[\n{\"b\":{\"x\":[1,2]}},\n{\"c\":\"2024-01-01T00:00Z\"}]",
		`[{"d":"0F8FAD5B-D9CB-469F-A165-70867728950E","e":true}]`, `[1,2]`, `{"a":1}`,
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, typed bool) {
		fuzzLoad(t, data, "f.json", "json", typed)
	})
}

func FuzzLoadNDJSON(f *testing.F) {
	smallChunks(f)
	for _, seed := range []string{
		"{\"a\":1}\n{\"a\":2.5}\n", "{\"b\":\"[1,2]\"}\n\n{\"b\":{\"k\":null}}", "{\"a\":", "{}\n[]",
		"\xef\xbb\xbf{\"c\":\"2024-01-01T00:00:00.1234567Z\"}", "{\"a\":1,\"a\":2}", "{\n\"a\": 1\n}",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, typed bool) {
		tb, err := fuzzLoad(t, data, "f.ndjson", "ndjson", typed)
		if typed {
			return
		}
		// Without a schema, the loader accepts exactly the files whose
		// lines are all JSON objects (or that are one object over several
		// lines), as encoding/json judges them. The scanner tolerates raw
		// control characters in strings, so inputs with tabs or carriage
		// returns are left out.
		if bytes.ContainsFunc(data, func(r rune) bool { return r < 0x20 && r != '\n' }) {
			return
		}
		text := strings.TrimPrefix(string(data), "\xef\xbb\xbf")
		allValid := true
		rows := 0
		for _, line := range strings.Split(text, "\n") {
			if strings.Trim(line, " \t\r") == "" {
				continue
			}
			rows++
			trimmed := strings.TrimLeft(line, " \t\r")
			if !json.Valid([]byte(line)) || trimmed[0] != '{' {
				allValid = false
			}
		}
		whole := strings.TrimSpace(text)
		// A newline inside a string of a multi-line object is one more
		// control character; validJSON, a separate path, judges those.
		lenient, _ := validJSON(whole)
		single := strings.HasPrefix(whole, "{") && (json.Valid([]byte(whole)) || lenient)
		switch {
		case err == nil && !allValid && !single:
			t.Fatalf("accepted invalid input %q", text)
		case err != nil && allValid:
			t.Fatalf("rejected valid input %q: %v", text, err)
		case err == nil && allValid && tb.Rows() != rows:
			t.Fatalf("%d rows from %d lines", tb.Rows(), rows)
		}
	})
}

func FuzzLoadCSV(f *testing.F) {
	smallChunks(f)
	for _, seed := range []string{
		"a,b,c\n1,x,2024-01-01T00:00:00Z\n", "a,b\n\"x\ny\",2\n", "a,a\n1,2\n", "a\n1\n2,3\n",
		"a,b,c,d,e\n5,\"{\"\"k\"\":1}\",,{0f8fad5b-d9cb-469f-a165-70867728950e},TRUE\n", "",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, typed bool) {
		fuzzLoad(t, data, "f.csv", "csv", typed)
	})
}
