package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The REPL tests run kql in a real pseudo-terminal: the test binary starts
// itself again as TestREPLChild, which runs the command line given in
// $KQL_REPL_ARGS as main does, and the test types into the terminal and
// reads what the user would see.

const (
	childEnv  = "KQL_REPL_CHILD"
	childArgs = "KQL_REPL_ARGS"
	argSep    = "\x1f"
	// ptyTimeout bounds each wait for output. It is generous because CI
	// runs these tests on a loaded two-core machine, where starting a
	// process and loading the sample can take seconds; a passing test never
	// waits it out.
	ptyTimeout = 60 * time.Second
)

// TestREPLChild is the child process of the PTY tests, not a test itself.
func TestREPLChild(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("the child process of the REPL tests")
	}
	var args []string
	if a := os.Getenv(childArgs); a != "" {
		args = strings.Split(a, argSep)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := execute(ctx, args, newApp(os.Stdin, os.Stdout, os.Stderr))
	stop()
	os.Exit(code)
}

// ptySession is a kql process on a pseudo-terminal.
type ptySession struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	raw  bytes.Buffer // all the terminal output so far
	seen int          // how much of the cleaned output expect has consumed
	eof  chan struct{}
	wait chan error
}

// startREPL starts `kql args...` on a 100x40 terminal, with the history in
// histFile ("" for a fresh one) and a home of its own.
func startREPL(t *testing.T, histFile string, args ...string) *ptySession {
	t.Helper()
	home := t.TempDir()
	if histFile == "" {
		histFile = filepath.Join(home, "history")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestREPLChild$")
	cmd.Env = append(os.Environ(),
		childEnv+"=1",
		childArgs+"="+strings.Join(args, argSep),
		"TERM=xterm", // CI runs without one
		"HOME="+home,
		"XDG_STATE_HOME="+filepath.Join(home, "state"),
		historyEnv+"="+histFile,
	)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 100})
	require.NoError(t, err)
	p := &ptySession{t: t, cmd: cmd, tty: tty, eof: make(chan struct{}), wait: make(chan error, 1)}
	go p.read()
	go func() { p.wait <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
		tty.Close()
	})
	return p
}

func (p *ptySession) read() {
	defer close(p.eof)
	buf := make([]byte, 4096)
	for {
		n, err := p.tty.Read(buf)
		p.mu.Lock()
		p.raw.Write(buf[:n])
		p.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// escapes matches the terminal control sequences the line editor writes.
var escapes = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r|\x07`)

// screenText is the output without control sequences.
func (p *ptySession) screenText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return escapes.ReplaceAllString(p.raw.String(), "")
}

// send types s. Keys for the line editor go after prompt() (see exit).
func (p *ptySession) send(s string) {
	p.t.Helper()
	_, err := p.tty.Write([]byte(s))
	require.NoError(p.t, err)
}

// expect waits until want appears in the output after what earlier calls
// consumed, and returns the output up to and including it.
func (p *ptySession) expect(want string) string {
	p.t.Helper()
	deadline := time.Now().Add(ptyTimeout)
	for {
		text := p.screenText()
		if i := strings.Index(text[p.seen:], want); i >= 0 {
			got := text[p.seen : p.seen+i+len(want)]
			p.seen += i + len(want)
			return got
		}
		select {
		case <-p.eof:
			p.t.Fatalf("kql ended before printing %q; output:\n%s", want, text[p.seen:])
		default:
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no %q after %v; output:\n%s", want, ptyTimeout, text[p.seen:])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// prompt waits for the first prompt after what was consumed.
func (p *ptySession) prompt() { p.t.Helper(); p.expect(promptFirst) }

// exit presses Ctrl-D and checks that kql ends with status 0. Call it once
// prompt has seen the prompt: keys typed before it come while the terminal
// is still in cooked mode, where the line discipline takes Ctrl-C, Ctrl-D
// and Ctrl-R for itself instead of passing them to the line editor.
func (p *ptySession) exit() {
	p.t.Helper()
	p.send("\x04")
	select {
	case err := <-p.wait:
		require.NoError(p.t, err, "output:\n%s", p.screenText())
	case <-time.After(ptyTimeout):
		p.t.Fatalf("kql did not exit on Ctrl-D; output:\n%s", p.screenText())
	}
}

func skipWithoutPTY(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes on a pseudo-terminal; skipped with -short")
	}
}

func TestREPLSampleBannerAndMultiLineQuery(t *testing.T) {
	skipWithoutPTY(t)
	p := startREPL(t, "", "repl")
	p.expect("Loaded the built-in sample tables: AIAgentsInfo")
	p.expect(".load PATH")
	p.prompt()

	// Three lines, the first two ending in '|': each waits for more.
	p.send("range x from 1 to 10 step 1 |\r")
	p.expect(promptContinue)
	p.send("where x % 2 == 0 |\r")
	p.expect(promptContinue)
	p.send("summarize n = count(), total = sum(x)\r")
	out := p.expect("(1 row, ")
	assert.Regexp(t, `\nn +total\n- +-----\n5 +30\n`, out, "an aligned result")
	p.prompt()
	p.exit()
}

// TestBareKqlIsTheREPL walks through what issue 5 asks of a first
// session: plain `kql` at a terminal, a three-line query whose first two
// lines end in '|', a column completed with Tab, an aligned result, a slow
// query cancelled with Ctrl-C, and Ctrl-D to leave.
func TestBareKqlIsTheREPL(t *testing.T) {
	skipWithoutPTY(t)
	p := startREPL(t, "")
	p.expect("Loaded the built-in sample tables: AIAgentsInfo")
	p.prompt()

	p.send("AIAgentsInfo |\r")
	p.expect(promptContinue)
	p.send(`where AgentStatus == "Published" |` + "\r")
	p.expect(promptContinue)
	p.send("summarize n = count() by Regis")
	p.expect("by Regis")
	p.send("\t")
	p.expect("by RegistrySource")
	p.send("\r")
	out := p.expect("(2 rows, ")
	assert.Regexp(t, `\nRegistrySource +n\n-{14}  --\nCopilotStudio +24\nA365 +4\n`, out)
	p.prompt()

	p.send("range x from 1 to 100000000 step 1 | summarize count() by x % 7\r")
	p.expect("Ctrl-C to cancel")
	p.send("\x03")
	p.expect("query cancelled after")
	p.prompt()
	p.exit()
}

// TestREPLCtrlCClearsLineWithListOpen checks that Ctrl-C clears the line
// even while the completion list or the Ctrl-R search is open, where the
// line editor on its own would only close them and keep the text.
func TestREPLCtrlCClearsLineWithListOpen(t *testing.T) {
	skipWithoutPTY(t)
	p := startREPL(t, "", "repl")
	p.prompt()
	p.send("print str")
	p.expect("print str")
	p.send("\t\t")
	p.expect("strcat(")
	p.send("\x03")
	p.expect("^C\n")
	p.prompt()
	// Without the fix the line would read "print strprint 1".
	p.send("print 1\r")
	out := p.expect("(1 row")
	assert.Contains(t, out, promptFirst+"print 1\nprint_0\n", "the old line was cleared")
	p.prompt()

	p.send("\x12") // Ctrl-R
	p.expect("bck-i-search:")
	p.send("rint")
	p.expect("bck-i-search: rint")
	p.send("\x03")
	p.expect("^C\n")
	p.prompt()
	p.send("print 2\r")
	out = p.expect("(1 row")
	assert.Contains(t, out, promptFirst+"print 2\nprint_0\n", "the found line was cleared")
	p.prompt()
	p.exit()
}

// TestREPLPastedQueryRunsWhole pastes a query in the usual KQL layout, a
// '|' at the start of each line after the first, as a terminal sends a
// paste once the REPL has asked for bracketed paste: it waits, shown on one
// line, and runs as one query at Enter.
func TestREPLPastedQueryRunsWhole(t *testing.T) {
	skipWithoutPTY(t)
	p := startREPL(t, "", "repl")
	p.prompt()
	p.mu.Lock()
	asked := strings.Contains(p.raw.String(), bracketedPasteOn)
	p.mu.Unlock()
	assert.True(t, asked, "the REPL asks for bracketed paste")

	p.send(pasteStart + "AIAgentsInfo\r\n| where AgentStatus == \"Published\"\r\n| summarize n = count() by RegistrySource\r\n" + pasteEnd)
	p.expect(`AIAgentsInfo↵| where AgentStatus == "Published"↵| summarize n = count() by RegistrySource`)
	p.send("\r")
	out := p.expect("(2 rows, ")
	assert.NotContains(t, out, "expected a query", "no line ran on its own")
	assert.Regexp(t, `\nRegistrySource +n\n-{14}  --\nCopilotStudio +24\nA365 +4\n`, out)
	p.prompt()

	// Up brings the pasted query back whole.
	p.send("\x1b[A")
	p.expect(`AIAgentsInfo↵| where`)
	p.send("\r")
	p.expect("(2 rows, ")
	p.prompt()
	p.exit()
}

func TestREPLLetKeptForLaterQueries(t *testing.T) {
	skipWithoutPTY(t)
	p := startREPL(t, "", "repl")
	p.prompt()
	p.send("let limit = 3;\r")
	p.expect("defined limit")
	p.prompt()
	p.send("let small = range x from 1 to 10 step 1 | where x <= limit\r")
	p.expect("defined small")
	p.prompt()
	p.send(".lets\r")
	p.expect("let limit = 3;\nlet small = range x from 1 to 10 step 1 | where x <= limit;\n")
	p.prompt()
	p.send("small | summarize s = sum(x)\r")
	out := p.expect("(1 row")
	assert.Regexp(t, `s\n-\n6\n`, out)
	p.prompt()
	// An error in a later query points into what was typed, not the lets.
	p.send("small | where nosuch > limit\r")
	out = p.expect("^^^^^^\n")
	assert.Contains(t, out, "query:1:15: ")
	assert.Contains(t, out, "   1 | small | where nosuch > limit\n")
	p.prompt()
	p.exit()
}

// writeEvents writes a small NDJSON table and returns its path.
func writeEvents(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "events.ndjson")
	rows := `{"Timestamp":"2025-11-01T10:00:00Z","UserName":"ana","Country":"FR","Bytes":100}
{"Timestamp":"2025-11-01T11:00:00Z","UserName":"bo","Country":"DE","Bytes":250}
{"Timestamp":"2025-11-02T09:30:00Z","UserName":"ana","Country":"FR","Bytes":75}
{"Timestamp":"2025-11-02T12:00:00Z","UserName":"cy","Country":"US","Bytes":5000}
`
	require.NoError(t, os.WriteFile(path, []byte(rows), 0o644))
	return path
}

func TestREPLLoadAndCompleteColumn(t *testing.T) {
	skipWithoutPTY(t)
	path := writeEvents(t)
	p := startREPL(t, "", "repl")
	p.prompt()
	p.send(".load " + path + " as Ev\r")
	p.expect("loaded Ev: 4 rows, 4 columns")
	p.prompt()
	p.send(".tables\r")
	p.expect("Ev ")
	p.expect(path)
	p.prompt()

	// Tab after "Cou" completes the column of the pipeline's input.
	p.send("Ev | where Cou")
	p.expect("where Cou")
	p.send("\t")
	p.expect("where Country")
	p.send(` == "FR" | summarize b = sum(Bytes) by UserName` + "\r")
	out := p.expect("(1 row")
	assert.Regexp(t, `UserName +b\n-+ +-+\nana +175\n`, out)
	p.prompt()
	p.exit()
}

func TestREPLErrorCaret(t *testing.T) {
	skipWithoutPTY(t)
	p := startREPL(t, "", "repl")
	p.prompt()
	p.send("range x from 1 to 3 step 1\r")
	p.expect("(3 rows")
	p.prompt()
	p.send("range x from 1 to 3 step 1 | where y > 1\r")
	out := p.expect("^\n")
	lines := strings.Split(out, "\n")
	require.GreaterOrEqual(t, len(lines), 3, out)
	src, caret := lines[len(lines)-3], lines[len(lines)-2]
	assert.Equal(t, "   1 | range x from 1 to 3 step 1 | where y > 1", src)
	assert.Equal(t, strings.Index(src, "y >"), strings.Index(caret, "^"), "caret under y:\n%s\n%s", src, caret)
	assert.Contains(t, lines[len(lines)-4], "query:1:36: ")
	p.prompt()
	p.exit()
}

func TestREPLCtrlCCancelsQuery(t *testing.T) {
	skipWithoutPTY(t)
	p := startREPL(t, "", "repl")
	p.prompt()
	// Ctrl-C at the prompt drops the line and keeps the session.
	p.send("print oops")
	p.expect("oops")
	p.send("\x03")
	p.prompt()

	p.send("range x from 1 to 100000000 step 1 | summarize count() by x % 7\r")
	p.expect("Ctrl-C to cancel")
	sent := time.Now()
	p.send("\x03")
	p.expect("query cancelled after")
	latency := time.Since(sent)
	t.Logf("cancel latency: %v", latency)
	assert.Less(t, latency, graceAfterCancel, "cancelled without waiting out the grace period")
	p.prompt()
	p.send("print answer = 42\r")
	p.expect("42")
	p.expect("(1 row")
	p.prompt()
	p.exit()
}

func TestREPLHistoryKeepsMultiLineEntries(t *testing.T) {
	skipWithoutPTY(t)
	hist := filepath.Join(t.TempDir(), "kql_history")
	p := startREPL(t, hist, "repl")
	p.prompt()
	p.send("print a = 1,\r")
	p.expect(promptContinue)
	p.send("b = 2\r")
	p.expect("(1 row")
	p.prompt()
	p.exit()

	data, err := os.ReadFile(hist)
	require.NoError(t, err)
	assert.Equal(t, `"print a = 1,\nb = 2"`+"\n", string(data))

	// A new session brings the whole entry back with Up.
	p = startREPL(t, hist, "repl")
	p.prompt()
	p.send("\x1b[A")
	p.expect("print a = 1,↵b = 2")
	p.send("\r")
	out := p.expect("(1 row")
	assert.Regexp(t, `a +b\n-+ +-+\n1 +2\n`, out)
	p.prompt()
	p.exit()
}

func TestREPLEndOfInputWithoutTerminal(t *testing.T) {
	// Piped input has no terminal: lines are read as typed and the result
	// printed in full. This runs in-process, as `kql repl < file` would.
	path := writeEvents(t)
	var stdout, stderr bytes.Buffer
	a := &app{
		stdin:     strings.NewReader(".load " + path + "\nevents |\n count\n.quit\n"),
		stdout:    &stdout,
		stderr:    &stderr,
		termWidth: func() int { return 0 },
	}
	t.Setenv(historyEnv, "")
	code := execute(context.Background(), []string{"repl"}, a)
	assert.Equal(t, exitOK, code, stderr.String())
	assert.Contains(t, stdout.String(), "loaded events: 4 rows")
	assert.Regexp(t, `Count\n-+\n +4\n`, stdout.String())
	assert.Empty(t, stderr.String())
}

func TestBareKqlPrintsHelpWithoutTerminal(t *testing.T) {
	var stdout bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stdout, termWidth: func() int { return 0 }}
	assert.Equal(t, exitOK, execute(context.Background(), nil, a))
	assert.Contains(t, stdout.String(), "Usage:")
	assert.Contains(t, stdout.String(), "repl")
}

// TestREADMEREPLTranscript replays the README's REPL transcript over the
// same events and checks that kql prints what it shows, times aside: the
// lines after "kql> " and "...> " are typed (with Tab where a note says
// so, Ctrl-C where the query is cancelled, Ctrl-D for ^D), the others are
// expected in order.
func TestREADMEREPLTranscript(t *testing.T) {
	skipWithoutPTY(t)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	const start = "```\n$ kql repl -t Events=events.ndjson\n"
	text := string(readme)
	i := strings.Index(text, start)
	require.GreaterOrEqual(t, i, 0, "README has no REPL transcript")
	text = text[i+len(start):]
	lines := strings.Split(text[:strings.Index(text, "```")], "\n")

	p := startREPL(t, "", "repl", "-t", "Events="+writeEvents(t))
	tabNote := regexp.MustCompile(` +← typed (\S+), then Tab$`)
	for n, line := range lines {
		input, cont := strings.CutPrefix(line, promptContinue)
		first := false
		if !cont {
			input, first = strings.CutPrefix(line, promptFirst)
		}
		switch {
		case line == "":
			continue
		case !first && !cont:
			if strings.HasPrefix(line, "(") && strings.Contains(line, " row") {
				line = line[:strings.Index(line, ", ")+2] // the time varies
			}
			if strings.HasPrefix(line, "query cancelled after ") {
				line = "query cancelled after "
			}
			p.expect(line)
			continue
		}
		if first {
			p.prompt()
		} else {
			p.expect(promptContinue)
		}
		if input == "^D" {
			p.exit()
			return
		}
		if m := tabNote.FindStringSubmatch(input); m != nil {
			input = input[:len(input)-len(m[0])]
			word := input[strings.LastIndex(input, " ")+1:]
			require.True(t, strings.HasPrefix(word, m[1]), line)
			typed := input[:len(input)-len(word)] + m[1]
			p.send(typed)
			p.expect(typed)
			p.send("\t")
			p.expect(input)
		} else {
			p.send(input)
			p.expect(input)
		}
		p.send("\r")
		if n+1 < len(lines) && strings.HasPrefix(lines[n+1], "query cancelled after ") {
			p.expect("Ctrl-C to cancel")
			p.send("\x03")
		}
	}
	t.Fatal("the transcript does not end with ^D")
}
