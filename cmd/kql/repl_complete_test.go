package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
)

// testSession is a session over one small table, Ev, without a terminal.
func testSession(t *testing.T) *session {
	t.Helper()
	ev := tables.NewTable("Ev", tables.Schema{
		{Name: "Timestamp", Type: tables.DateTime},
		{Name: "UserName", Type: tables.String},
		{Name: "Country", Type: tables.String},
		{Name: "Bytes", Type: tables.Long},
		{Name: "odd name", Type: tables.String},
	}, []*tables.Column{
		tables.NewColumn(tables.DateTime, 0), tables.NewColumn(tables.String, 0),
		tables.NewColumn(tables.String, 0), tables.NewColumn(tables.Long, 0),
		tables.NewColumn(tables.String, 0),
	})
	var out bytes.Buffer
	a := &app{stdout: &out, stderr: &out, termWidth: func() int { return 0 }}
	s := newSession(context.Background(), a, engine.NewCatalog(ev), engine.Options{})
	t.Cleanup(s.stopSignal)
	s.hist = &history{}
	return s
}

// completions returns what Tab offers at the end of text, as full words.
func completions(s *session, text string) (string, []string) {
	word, cands := s.complete(text)
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, word) {
			out = append(out, c)
		}
	}
	return word, out
}

func TestCompleteTablesAtStatementStart(t *testing.T) {
	s := testSession(t)
	s.lets = []letDef{{name: "recent", text: "let recent = Ev | take 1"}}
	word, got := completions(s, "")
	assert.Equal(t, "", word)
	assert.Contains(t, got, "Ev ")
	assert.Contains(t, got, "recent ")
	assert.Contains(t, got, "let ")

	// A completed table name gets the space that follows it.
	word, got = completions(s, "let x = 1; E")
	assert.Equal(t, "E", word)
	assert.Equal(t, []string{"Ev "}, got)
}

func TestCompleteOperatorsAfterPipe(t *testing.T) {
	s := testSession(t)
	// A completed operator gets the space that always follows it.
	word, got := completions(s, "Ev | su")
	assert.Equal(t, "su", word)
	assert.Equal(t, []string{"summarize "}, got)

	word, got = completions(s, "Ev | project-a")
	assert.Equal(t, "project-a", word)
	assert.Equal(t, []string{"project-away "}, got)

	_, got = completions(s, "Ev |\n")
	assert.Contains(t, got, "where ")
	assert.Contains(t, got, "mv-expand ")
}

func TestCompleteColumnsOfThePipelineInput(t *testing.T) {
	s := testSession(t)
	cases := []struct {
		text, word string
		want       []string
	}{
		{"Ev | where Cou", "Cou", []string{"Country"}},
		{"Ev | where strlen(User", "User", []string{"UserName"}},
		// Columns made by an earlier operator are known; the pipe feeding
		// the cursor's operator is the one that counts.
		{"Ev | extend Kb = Bytes / 1024 | where K", "K", []string{"Kb"}},
		{"Ev | project Country, B = Bytes | where B", "B", []string{"B"}},
		{"Ev | summarize n = count() by Country | sort by n", "n", []string{"n", "not", "nulls"}},
		// Inside a parenthesised subquery, its own pipeline counts.
		{"print 1 | join (Ev | where Time", "Time", []string{"Timestamp"}},
		// A let in the same text and a kept let both feed pipelines.
		{"let big = Ev | where Bytes > 10; big | where Use", "Use", []string{"UserName"}},
	}
	for _, c := range cases {
		word, got := completions(s, c.text)
		assert.Equal(t, c.word, word, c.text)
		for _, w := range c.want {
			assert.Contains(t, got, w, c.text)
		}
		for _, g := range got {
			assert.True(t, strings.HasPrefix(g, c.word), "%s: %s", c.text, g)
		}
	}

	s.lets = []letDef{{name: "fr", text: `let fr = Ev | where Country == "FR" | project UserName`}}
	_, got := completions(s, "fr | where ")
	assert.Contains(t, got, "UserName")
	assert.NotContains(t, got, "Country", "fr projects UserName only")

	// With no word begun, a name that needs brackets is offered bracketed.
	_, got = completions(s, "Ev | project ")
	assert.Contains(t, got, "['odd name']")
}

func TestCompleteSpansPendingLines(t *testing.T) {
	s := testSession(t)
	s.pending = []string{"Ev |", "where Bytes > 1 |"}
	word, got := completions(s, "project Us")
	assert.Equal(t, "Us", word)
	assert.Equal(t, []string{"UserName"}, got)
}

func TestCompleteFunctionsAndNothingInStrings(t *testing.T) {
	s := testSession(t)
	_, got := completions(s, "Ev | extend n = strle")
	assert.Equal(t, []string{"strlen("}, got)

	_, got = completions(s, `Ev | where Country == "Cou`)
	assert.Empty(t, got, "inside a string")
	_, got = completions(s, "Ev // where Cou")
	assert.Empty(t, got, "inside a comment")
	_, got = completions(s, "let ")
	assert.Empty(t, got, "a new name")
}

func TestCompleteTableArguments(t *testing.T) {
	s := testSession(t)
	for _, text := range []string{"Ev | join E", "Ev | join kind=inner (E", "union Ev, E", "Ev | lookup E"} {
		word, got := completions(s, text)
		assert.Equal(t, "E", word, text)
		assert.Equal(t, []string{"Ev"}, got, text)
	}
}

func TestCompleteDotCommands(t *testing.T) {
	s := testSession(t)
	word, got := completions(s, ".sc")
	assert.Equal(t, ".sc", word)
	assert.Equal(t, []string{".schema "}, got)

	_, got = completions(s, ".schema ")
	assert.Equal(t, []string{"Ev"}, got)
	_, got = completions(s, ".format j")
	assert.Equal(t, []string{"json", "jsonl"}, got)

	dir := t.TempDir()
	for _, f := range []string{"events.ndjson", "notes.txt", "users.csv.gz"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "more"), 0o755))
	word, got = completions(s, ".load "+dir+"/")
	assert.Equal(t, "", word)
	assert.Equal(t, []string{"events.ndjson", "more/", "users.csv.gz"}, got, "data files and directories only")
	word, got = completions(s, ".save "+dir+"/no")
	assert.Equal(t, "no", word)
	assert.Equal(t, []string{"notes.txt"}, got)
}

func TestCompleterDoReturnsEndings(t *testing.T) {
	s := testSession(t)
	c := &completer{s: s}
	line := []rune("Ev | where Cou")
	got, n := c.Do(line, len(line))
	assert.Equal(t, 3, n)
	assert.Equal(t, [][]rune{[]rune("ntry")}, got)
}

func TestScanTokens(t *testing.T) {
	toks, open := scanTokens(`T | where a == 'x|y' and b != @"c\" // note`)
	assert.True(t, open, "ends in a comment")
	var texts []string
	for _, tk := range toks {
		texts = append(texts, tk.text)
	}
	assert.Equal(t, []string{"T", "|", "where", "a", "==", "'x|y'", "and", "b", "!=", `@"c\"`}, texts)

	_, open = scanTokens("print ```a\nb")
	assert.True(t, open, "an unclosed multi-line string")
	_, open = scanTokens("print ```a\nb``` , 1.5e3, 2d")
	assert.False(t, open)
}

func TestPipelineAt(t *testing.T) {
	text := "T | join (U | where x) on k | where strlen("
	toks, _ := scanTokens(text)
	pipe, from := pipelineAt(toks)
	require.GreaterOrEqual(t, pipe, 0)
	assert.Equal(t, "T | join (U | where x) on k ", text[toks[from].start:toks[pipe].start])
	assert.Equal(t, "strlen", openCall(toks))
}

func TestSignatureHint(t *testing.T) {
	s := testSession(t)
	s.a.termWidth = func() int { return 80 }
	line := []rune("Ev | extend n = strlen(UserName")
	hint := s.signatureHint(line, len(line))
	assert.Contains(t, hint, "strlen(")
	assert.True(t, strings.HasSuffix(hint, "D"), "moves the cursor back: %q", hint)
	assert.Empty(t, s.signatureHint(line, 3), "cursor not at the end")
	s.a.termWidth = func() int { return 30 }
	assert.Empty(t, s.signatureHint(line, len(line)), "does not fit")

	p := &painter{s: s}
	s.a.termWidth = func() int { return 0 }
	assert.Equal(t, "a↵b", string(p.Paint([]rune("a\nb"), 0)))
	assert.Equal(t, "ab\n", string(p.Paint([]rune("ab\n"), 3)), "the submitting newline stays")
}

func TestWriteFittedLeavesOutColumnsThatDoNotFit(t *testing.T) {
	schema := tables.Schema{}
	var cols []*tables.Column
	for _, n := range []string{"Alpha", "Beta", "Gamma", "Delta", "Epsilon"} {
		schema = append(schema, tables.Field{Name: n, Type: tables.String})
		c := tables.NewColumn(tables.String, 1)
		c.Append(tables.NewString(strings.Repeat(n[:1], 30)))
		cols = append(cols, c)
	}
	var b bytes.Buffer
	writeFitted(&b, tables.NewTable("", schema, cols), 40)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for _, l := range lines {
		assert.LessOrEqual(t, textWidth(l), 40, l)
	}
	assert.True(t, strings.HasPrefix(lines[0], "Alpha"), lines[0])
	assert.Contains(t, lines[2], "…", "long cells are cut with an ellipsis")
	assert.True(t, strings.HasPrefix(lines[3], "... 1 more column not shown: Epsilon"), lines[3])
}

func TestHistoryEncoding(t *testing.T) {
	for _, e := range []string{"T | take 1", "T |\nwhere x", `"quoted"`, `print "a\nb"`} {
		line := encodeHistoryEntry(e)
		assert.NotContains(t, line, "\n")
		assert.Equal(t, e, decodeHistoryLine(line))
	}
	assert.Equal(t, "T | take 1", encodeHistoryEntry("T | take 1"), "plain entries stay greppable")

	path := filepath.Join(t.TempDir(), "sub", "history")
	h, err := openHistory(path)
	require.NoError(t, err)
	require.NoError(t, h.add("one"))
	require.NoError(t, h.add("one"))
	require.NoError(t, h.add("two\nlines"))
	h.close()
	h, err = openHistory(path)
	require.NoError(t, err)
	assert.Equal(t, []string{"one", "two\nlines"}, h.entries)
	h.close()
}

func TestHistoryPath(t *testing.T) {
	t.Setenv(historyEnv, "")
	assert.Equal(t, "", historyPath(""), "an empty $KQL_HISTORY keeps none")
	assert.Equal(t, "/x/h", historyPath("/x/h"))
	assert.Equal(t, "", historyPath("none"))
	os.Unsetenv(historyEnv)
	t.Setenv("XDG_STATE_HOME", "/state")
	assert.Equal(t, "/state/kql/history", historyPath(""))
}

func TestDotCommandsInProcess(t *testing.T) {
	s := testSession(t)
	out := s.a.stdout.(*bytes.Buffer)
	s.dotCommand(".schema Ev")
	assert.Regexp(t, `Column +Type\n-+ +-+\nTimestamp +datetime\n`, out.String())
	out.Reset()

	s.dotCommand(".maxrows 2")
	s.dotCommand(".timing off")
	s.submit("range x from 1 to 5 step 1")
	assert.Equal(t, "x\n-\n1\n2\n... 3 more rows (.maxrows 5 shows them all)\n(5 rows)\n", out.String())
	out.Reset()

	s.dotCommand(".format csv")
	s.submit("print a = 1, b = 'x'")
	assert.Equal(t, "a,b\n1,x\n(1 row)\n", out.String())
	out.Reset()

	path := filepath.Join(t.TempDir(), "r.json")
	s.dotCommand(".save " + path)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "[\n  {\"a\":1,\"b\":\"x\"}\n]\n", string(data))
	out.Reset()

	s.dotCommand(".now 2025-01-02T03:04:05Z")
	s.submit("print now()")
	assert.Contains(t, out.String(), "2025-01-02T03:04:05Z")
	out.Reset()

	s.dotCommand(".drop Ev")
	assert.Equal(t, []string{}, s.cat.Names())
	s.dotCommand(".bogus")
	assert.Contains(t, out.String(), "unknown command .bogus")
	assert.True(t, s.dotCommand(".quit"))
}

// TestREPLNotesRender checks that a result ending in render says on its
// status line which chart it was meant to be.
func TestREPLNotesRender(t *testing.T) {
	s := testSession(t)
	out := s.a.stdout.(*bytes.Buffer)
	s.timing = false
	s.runQuery("Ev | summarize count() by Country | render piechart")
	assert.Contains(t, out.String(), "(0 rows; render piechart: the rows, no chart)\n")
	out.Reset()
	s.runQuery("Ev | count")
	assert.Equal(t, "Count\n-----\n    0\n(1 row)\n", out.String())
}
