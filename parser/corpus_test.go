package parser

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// sharedDir is the read-only reference material mounted beside the repo.
var sharedDir = filepath.Join("..", "..", "shared")

// statShared reports whether the shared corpus is mounted.
func statShared() (os.FileInfo, error) {
	return os.Stat(filepath.Join(sharedDir, "corpus"))
}

func requireShared(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(sharedDir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("skipping: %s is absent (the shared corpus is not mounted)", p)
	}
	return p
}

// aiAgentsQueries reads the query: field of every AI Agents hunting YAML.
func aiAgentsQueries(t testing.TB) map[string]string {
	t.Helper()
	dir := requireShared(t, filepath.Join("corpus", "sentinel-ai-agents"))
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		// One upstream file has no .yaml extension; MANIFEST.json is not a query.
		if err != nil || d.IsDir() || filepath.Base(path) == "MANIFEST.json" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc struct {
			Query string `yaml:"query"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out[rel] = doc.Query
		return nil
	})
	require.NoError(t, err)
	return out
}

func TestAIAgentsQueriesParse(t *testing.T) {
	queries := aiAgentsQueries(t)
	require.Equal(t, 57, len(queries), "AI Agents hunting files")
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			require.NotEmpty(t, strings.TrimSpace(q), "no query: field")
			s, err := Parse(q)
			require.NoError(t, err)
			require.NotEmpty(t, s.Stmts)
			last := s.Stmts[len(s.Stmts)-1]
			assert.IsType(t, &ExprStmt{}, last, "a hunting query ends with its result")
			checkSpans(t, q, s)
		})
	}
}

// checkSpans asserts that every node's span lies inside its parent's and
// inside the text, the invariant the engine's error carets rely on.
func checkSpans(t *testing.T, src string, root Node) {
	t.Helper()
	var stack []Span
	var walk func(n Node)
	walk = func(n Node) {
		sp := n.Pos()
		if !assert.True(t, 0 <= sp.Start && sp.Start <= sp.End && sp.End <= len(src),
			"span %v of %T out of the text", sp, n) {
			return
		}
		if len(stack) > 0 {
			p := stack[len(stack)-1]
			assert.True(t, p.Start <= sp.Start && sp.End <= p.End,
				"span %v of %T (%q) outside its parent %v", sp, n, src[sp.Start:sp.End], p)
		}
		stack = append(stack, sp)
		for _, c := range children(n) {
			walk(c)
		}
		stack = stack[:len(stack)-1]
	}
	walk(root)
}

type corpusQuery struct {
	ID    string `json:"id"`
	Query string `json:"query"`
}

type oracleVerdict struct {
	ID           string `json:"id"`
	SyntaxErrors []struct {
		Message   string `json:"message"`
		ByteStart *int   `json:"byte_start"`
	} `json:"syntax_errors"`
}

func readJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var v T
		require.NoError(t, json.Unmarshal(sc.Bytes(), &v))
		out = append(out, v)
	}
	require.NoError(t, sc.Err())
	return out
}

// agreementFloor is the lowest share of corpus queries on which Parse must
// agree with Microsoft's parser about whether the query is valid KQL. It is
// set just under the figure reached, so a regression fails the test.
const agreementFloor = 0.999

// TestCorpusAgreement compares Parse's verdict (error or not) with the
// recorded verdict of Microsoft's Kusto.Language parser on 2,593 real
// queries, and reports the disagreements by kind.
func TestCorpusAgreement(t *testing.T) {
	qpath := requireShared(t, filepath.Join("corpus", "queries.jsonl"))
	vpath := requireShared(t, filepath.Join("corpus", "oracle-verdicts.jsonl"))
	queries := readJSONL[corpusQuery](t, qpath)
	verdicts := map[string]oracleVerdict{}
	for _, v := range readJSONL[oracleVerdict](t, vpath) {
		verdicts[v.ID] = v
	}
	agree, bothErr, samePlace, sameLine := 0, 0, 0, 0
	var falseErr, missedErr []string
	for _, q := range queries {
		v, ok := verdicts[q.ID]
		require.True(t, ok, "no verdict for %s", q.ID)
		_, err := Parse(q.Query)
		wantErr := len(v.SyntaxErrors) > 0
		switch {
		case (err != nil) == wantErr:
			agree++
			if err != nil && v.SyntaxErrors[0].ByteStart != nil {
				bothErr++
				got, want := firstErrorAt(err), *v.SyntaxErrors[0].ByteStart
				if got == want || got == nextToken(q.Query, want) {
					samePlace++
				} else if gl, _ := Position(q.Query, got); gl == lineOf(q.Query, want) {
					sameLine++
				} else if testing.Verbose() {
					t.Logf("error place differs %s: ours %d (%v), oracle %d (%s)", q.ID, got, firstLine(err.Error()),
						want, v.SyntaxErrors[0].Message)
				}
			}
		case err != nil:
			falseErr = append(falseErr, q.ID+": "+firstLine(err.Error()))
		default:
			missedErr = append(missedErr, q.ID+": oracle: "+v.SyntaxErrors[0].Message)
		}
	}
	share := float64(agree) / float64(len(queries))
	t.Logf("corpus agreement: %d/%d = %.2f%% (we reject valid: %d, we accept invalid: %d)",
		agree, len(queries), 100*share, len(falseErr), len(missedErr))
	t.Logf("first error of rejected queries: same place %d/%d, elsewhere on the same line %d",
		samePlace, bothErr, sameLine)
	sort.Strings(falseErr)
	sort.Strings(missedErr)
	if testing.Verbose() {
		for _, s := range falseErr {
			t.Logf("reject-valid  %s", s)
		}
		for _, s := range missedErr {
			t.Logf("accept-invalid %s", s)
		}
	}
	assert.GreaterOrEqual(t, share, agreementFloor)
}

func firstErrorAt(err error) int {
	var list ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return list[0].Span.Start
	}
	return -1
}

// nextToken skips white space and comments from off: Kusto reports a
// missing token at the end of the previous one, Parse at the next token.
func nextToken(src string, off int) int {
	for off < len(src) {
		r, n := utf8.DecodeRuneInString(src[off:])
		switch {
		case isSpace(r):
			off += n
		case strings.HasPrefix(src[off:], "//"):
			for off < len(src) && src[off] != '\n' {
				off++
			}
		default:
			return off
		}
	}
	return off
}

func lineOf(src string, off int) int {
	l, _ := Position(src, off)
	return l
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// docsGaps are the documented examples Parse rejects, with the reason.
var docsGaps = map[string]string{}

// TestDocsExamplesParse parses the KQL reference's own examples: all must
// parse but the known gaps, which must still fail (so the list stays true).
func TestDocsExamplesParse(t *testing.T) {
	path := requireShared(t, filepath.Join("conformance", "docs-cases.jsonl"))
	cases := readJSONL[corpusQuery](t, path)
	require.Greater(t, len(cases), 500)
	for _, c := range cases {
		_, err := Parse(c.Query)
		if reason, gap := docsGaps[c.ID]; gap {
			assert.Error(t, err, "%s is listed as a gap (%s) but parses", c.ID, reason)
			continue
		}
		assert.NoError(t, err, "%s:\n%s", c.ID, c.Query)
	}
}
