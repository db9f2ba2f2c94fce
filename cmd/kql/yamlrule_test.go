package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/parser"
)

// yamlPos returns the file line:col that byte off of the rule's query maps to.
func yamlPos(t *testing.T, src *querySource, off int) [2]int {
	t.Helper()
	line, col := parser.Position(src.file, src.fileOffset(off))
	return [2]int{line, col}
}

func loadRule(t *testing.T, text string) *querySource {
	t.Helper()
	src, err := yamlRuleSource("r.yaml", []byte(text))
	require.NoError(t, err)
	return src
}

// TestYAMLOffsetsPairEveryByte checks, for every scalar style, that each
// byte of the decoded query maps to the file byte it came from (or, for
// what YAML rewrites, to the line break it folded or the escape it decoded).
func TestYAMLOffsetsPairEveryByte(t *testing.T) {
	rules := map[string]string{
		"literal":           "name: r\nquery: |\n  T\n  | where a == \"x\"\n\n  | take 1\nversion: 1\n",
		"literal strip":     "query: |-  # comment\n\n    T\n      | take 1\n",
		"literal keep":      "query: |+\n  T\n\n",
		"explicit indent":   "rules:\n- x\nquery: |2\n     T\n    | take 1\n",
		"crlf":              "query: |\r\n  T\r\n  | take 1\r\n",
		"utf-8":             "query: |\n  T | where name == \"名前\" | take 1\n",
		"folded":            "query: >\n  T\n  | take 1\n\n  | count\n",
		"plain multi-line":  "query: T\n  | where a > 1\n  | take 1\nname: x\n",
		"single-quoted":     "query: 'T | where a == ''x'''\n",
		"double-quoted":     "query: \"T\\n| where a == \\\"\\u00e9\\\"\\\n  | take 1\"\n",
		"nested in mapping": "kind: Scheduled\nquery: |\n    T\n      | take 1\n",
	}
	for name, text := range rules {
		t.Run(name, func(t *testing.T) {
			src := loadRule(t, text)
			// Past the last non-blank byte everything maps to just
			// after it (see scalarOffsets).
			for i := 0; i < len(strings.TrimRight(src.text, " \r\n")); i++ {
				v, f := src.text[i], src.file[src.fileOffset(i)]
				switch {
				case v == f:
				case v == ' ' && f == '\n': // folded line break
				case f == '\\': // decoded escape
				case v == '\'' && f == '\'':
				default:
					t.Fatalf("value byte %d %q maps to file byte %q (offset %d)",
						i, v, f, src.fileOffset(i))
				}
			}
		})
	}
}

func TestYAMLLiteralPositions(t *testing.T) {
	src := loadRule(t, "id: x\nname: Rule\nquery: |\n  T\n\n  | where\tStat == 1\n  | take 1\nversion: 1\n")
	assert.Equal(t, "Rule", src.title)
	require.Equal(t, "T\n\n| where\tStat == 1\n| take 1\n", src.text)
	stat := strings.Index(src.text, "Stat")
	assert.Equal(t, [2]int{4, 3}, yamlPos(t, src, 0))              // T
	assert.Equal(t, [2]int{5, 1}, yamlPos(t, src, 2))              // the empty line
	assert.Equal(t, [2]int{6, 11}, yamlPos(t, src, stat))          // Stat, after a tab
	assert.Equal(t, [2]int{7, 3}, yamlPos(t, src, stat+10))        // the second |
	assert.Equal(t, [2]int{7, 11}, yamlPos(t, src, len(src.text))) // end: after "take 1"
}

func TestYAMLOtherStylesPositions(t *testing.T) {
	folded := loadRule(t, "query: >\n  T\n  | take 1\n")
	assert.Equal(t, "T | take 1\n", folded.text)
	assert.Equal(t, [2]int{3, 5}, yamlPos(t, folded, strings.Index(folded.text, "take")))

	plain := loadRule(t, "query:   T\n   | take 3\nx: 1\n")
	assert.Equal(t, [2]int{1, 10}, yamlPos(t, plain, 0))
	assert.Equal(t, [2]int{2, 6}, yamlPos(t, plain, strings.Index(plain.text, "take")))

	quoted := loadRule(t, "query: \"T \\t| take 1\"\n")
	assert.Equal(t, [2]int{1, 13}, yamlPos(t, quoted, strings.Index(quoted.text, "|")))

	single := loadRule(t, "query: 'it''s | take 1'\n")
	assert.Equal(t, [2]int{1, 17}, yamlPos(t, single, strings.Index(single.text, "take")))
}

func TestYAMLRuleErrors(t *testing.T) {
	for text, want := range map[string]string{
		"name: x\n":             "r.yaml: no 'query' field",
		"- a\n- b\n":            "r.yaml: no 'query' field (the file is not a YAML mapping)",
		"query:\n  - a\n":       "r.yaml:2:3: the 'query' field is not text",
		"query: |\n a\n:b: [\n": "r.yaml: not a valid YAML rule: yaml: line 3: did not find expected node content",
	} {
		_, err := yamlRuleSource("r.yaml", []byte(text))
		assert.EqualError(t, err, want, text)
	}
}

// TestYAMLOffsetsOnSentinelRules checks the byte pairing on the upstream
// Sentinel hunting rules in ../shared (absent in a user's clone).
func TestYAMLOffsetsOnSentinelRules(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "sentinel-ai-agents")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Skip("../shared/corpus/sentinel-ai-agents is absent; skipping")
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		src, err := yamlRuleSource(path, data)
		require.NoError(t, err, path)
		end := len(strings.TrimRight(src.text, " \r\n"))
		for i := 0; i < end; i++ {
			if src.text[i] != src.file[src.fileOffset(i)] {
				t.Fatalf("%s: query byte %d %q maps to %q", path, i, src.text[i],
					src.file[src.fileOffset(i)])
			}
		}
	}
}
