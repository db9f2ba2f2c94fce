package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/chzyer/readline"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
)

// The REPL lives in the repl*.go files: this one starts a session and reads
// input; repl_run.go runs queries and prints results; repl_dot.go holds the
// dot-commands; repl_complete.go, repl_scan.go and repl_paint.go complete
// and decorate the line being typed; repl_history.go keeps the history file.

// The prompts. They have the same width so that continuation lines line up
// with the first one.
const (
	promptFirst    = "kql> "
	promptContinue = "...> "
)

// replFlags are the flags of `kql repl`.
type replFlags struct {
	data      []string
	tables    []string
	schemaDir string
	now       string
	history   string
	limits    limitFlags
	ws        workspaceFlags
	geoip     geoipFlag
}

func newReplCmd(a *app) *cobra.Command {
	var f replFlags
	cmd := &cobra.Command{
		Use:   "repl [flags]",
		Short: "Explore tables in an interactive KQL shell",
		Long: `Start an interactive KQL shell.

Enter runs a query once it is complete; an unclosed bracket or ` + "```" + ` block,
a trailing '|' or a let waiting for its value continues on the next line.
A pasted query waits on one line (its line breaks shown as ↵) and runs as
one at Enter. let statements typed on their own stay defined for later
queries. Tab completes table, operator, column and function names; Ctrl-R
searches the history; Ctrl-C cancels a running query; Ctrl-D exits. Type
.help for the dot-commands. Without --data or --table the built-in sample
tables are loaded.

The history is kept in $KQL_HISTORY, or else in kql/history under
$XDG_STATE_HOME (~/.local/state); --history none keeps none.`,
		Example: `  kql repl
  kql repl -d ./exports
  kql repl -t Events=events.ndjson --now 2025-11-03T10:00:00Z`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.replCommand(cmd.Context(), f)
		},
	}
	f.register(cmd.Flags())
	return cmd
}

// register adds the flags of `kql repl` to fl, each set to its default.
func (f *replFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVarP(&f.data, "data", "d", nil, "load every table file in `DIR` (repeatable)")
	fl.StringArrayVarP(&f.tables, "table", "t", nil, "load table NAME from a file: `NAME=PATH` (repeatable)")
	fl.StringVar(&f.schemaDir, "schema", "", "read table schemas from `DIR`; they apply to tables of that name")
	fl.StringVar(&f.now, "now", "", "the `TIME` now() returns (default: the sample's time, or the clock)")
	fl.StringVar(&f.history, "history", "", "keep the history in `FILE` (none: keep no history)")
	f.limits.register(fl, false) // --timeout, --max-memory, --max-operator-rows (limits.go)
	f.ws.register(fl)            // --externaldata, --watchlists, --functions (workspace.go)
	f.geoip.register(fl)
}

// defaultReplFlags are the flags of a `kql repl` typed without any: what a
// bare `kql` uses. Registering them is what sets their defaults.
func defaultReplFlags() replFlags {
	var f replFlags
	f.register(pflag.NewFlagSet("repl", pflag.ContinueOnError))
	return f
}

// replOrHelp is what a bare `kql` does: start the REPL when a person is at
// a terminal, print the help otherwise (a pipe has no one to talk to).
func (a *app) replOrHelp(cmd *cobra.Command) error {
	if isTerminal(a.stdin) && isTerminal(a.stdout) {
		return a.replCommand(cmd.Context(), defaultReplFlags())
	}
	return cmd.Help()
}

// isTerminal reports whether the stream is a terminal.
func isTerminal(s any) bool {
	f, ok := s.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// replCommand checks the flags, loads the tables and runs the session.
func (a *app) replCommand(ctx context.Context, f replFlags) error {
	files, err := parseTableArgs(f.tables)
	if err != nil {
		return err
	}
	data := dataSpec{dirs: f.data, files: files, schemaDir: f.schemaDir, ws: f.ws}
	opts, err := engineOptions(f.now, data.useSample())
	if err != nil {
		return err
	}
	if a.limits, err = f.limits.resolve(&opts); err != nil {
		return err
	}
	if err := f.ws.apply(&opts); err != nil {
		return err
	}
	a.limits.apply()
	if err := f.geoip.apply(&opts); err != nil {
		a.printError(nil, err)
		return errReported
	}
	cat, err := loadCatalog(data)
	if err != nil {
		a.printError(nil, err)
		return errReported
	}
	s := newSession(ctx, a, cat, opts)
	s.noteSources(data)
	if err := s.openEditor(historyPath(f.history)); err != nil {
		a.printError(nil, err)
		return errReported
	}
	defer s.close()
	s.banner(data.useSample())
	return s.loop()
}

// session is one REPL run: the tables, the lets and settings the user has
// built up, and the line editor.
type session struct {
	a *app
	// ctx is the command's context without its cancellation: main cancels
	// it on the first interrupt, and here an interrupt only stops a query.
	ctx  context.Context
	cat  *engine.Catalog
	opts engine.Options
	// schemaDir is --schema, applied to the tables .load reads.
	schemaDir string
	// sources maps a table name to where it was loaded from, for .tables.
	sources map[string]string

	lets    []letDef      // let statements kept for later queries, in order
	format  format        // .format
	maxRows int           // .maxrows; 0 shows every row
	timing  bool          // .timing
	last    *tables.Table // the last result, for .save

	rl      *readline.Instance
	stdin   io.ReadCloser // what the line editor reads, closed to end its reads
	hist    *history
	pending []string // the lines of a query that is not complete yet

	// interrupts receives SIGINT while the session runs. At the prompt the
	// terminal is in raw mode and Ctrl-C is a key, not a signal; while a
	// query runs it is a signal, which cancels the query.
	interrupts chan os.Signal
	stopSignal func()

	// pasteBrackets says to ask the terminal for bracketed paste while the
	// line editor reads a line (repl_paste.go).
	pasteBrackets bool
}

// letDef is one let statement the session keeps.
type letDef struct {
	name string
	text string // the statement as typed, without a trailing ';'
}

// defaultMaxRows is how many rows a result shows before "N more rows".
const defaultMaxRows = 50

func newSession(ctx context.Context, a *app, cat *engine.Catalog, opts engine.Options) *session {
	s := &session{
		a:       a,
		ctx:     context.WithoutCancel(ctx),
		cat:     cat,
		opts:    opts,
		sources: map[string]string{},
		format:  formatTable,
		maxRows: defaultMaxRows,
		timing:  true,
	}
	s.interrupts = make(chan os.Signal, 1)
	signal.Notify(s.interrupts, os.Interrupt)
	s.stopSignal = func() { signal.Stop(s.interrupts) }
	return s
}

// noteSources records where each table of the initial catalog came from.
func (s *session) noteSources(d dataSpec) {
	s.schemaDir = d.schemaDir
	if d.useSample() {
		for _, n := range s.cat.Names() {
			s.sources[n] = "(built-in sample)"
		}
		return
	}
	for _, dir := range d.dirs {
		s.noteDir(dir)
	}
	for _, f := range d.files {
		s.sources[f.name] = f.path
	}
}

// noteDir records the files of dir that gave tables, as LoadDirWith names
// them.
func (s *session) noteDir(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		path := dir + string(os.PathSeparator) + e.Name()
		if _, ok := s.cat.Table(tables.TableName(path)); ok {
			s.sources[tables.TableName(path)] = path
		}
	}
}

// openEditor starts the line editor over the app's streams with the history
// at histPath ("" keeps none).
func (s *session) openEditor(histPath string) error {
	hist, err := openHistory(histPath)
	if err != nil {
		fmt.Fprintf(s.a.stderr, "kql: history not kept: %v\n", err)
	}
	s.hist = hist
	cfg := &readline.Config{
		Prompt:                 promptFirst,
		HistoryLimit:           historyLimit,
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		AutoComplete:           &completer{s: s},
		Painter:                &painter{s: s},
		Stdout:                 s.a.stdout,
		Stderr:                 s.a.stderr,
		FuncGetWidth:           s.width,
		FuncFilterInputRune:    s.filterKey,
	}
	if f, ok := s.a.stdin.(*os.File); ok {
		// Cancelable, so that Close does not wait for a read that no key
		// will end.
		s.stdin = readline.NewCancelableStdin(newPasteReader(f))
		cfg.Stdin = s.stdin
		cfg.FuncIsTerminal = func() bool { return isTerminal(f) && isTerminal(s.a.stdout) }
		s.pasteBrackets = cfg.FuncIsTerminal()
	} else {
		cfg.Stdin = io.NopCloser(s.a.stdin)
		cfg.FuncIsTerminal = func() bool { return false }
	}
	rl, err := readline.NewEx(cfg)
	if err != nil {
		return fmt.Errorf("starting the line editor: %w", err)
	}
	s.rl = rl
	s.reloadHistory()
	return nil
}

// filterKey sees each key before the line editor does. Ctrl-C with the
// completion list or the Ctrl-R search open would only close them and keep
// the line, so that what the user types next lands after the old text;
// closing them here first lets Ctrl-C clear the line as it does at a plain
// prompt. It runs on the editor's own goroutine, as the editor's key
// handling does.
func (s *session) filterKey(r rune) (rune, bool) {
	if r != readline.CharInterrupt || s.rl == nil {
		return r, true
	}
	op := s.rl.Operation
	if op.IsInCompleteMode() {
		op.ExitCompleteMode(false)
	}
	if op.IsSearchMode() {
		op.ExitSearchMode(false)
	}
	return r, true
}

func (s *session) close() {
	// The line editor's Close waits for its reader, which only a closed
	// input ends.
	if s.stdin != nil {
		s.stdin.Close()
	}
	if s.rl != nil {
		s.rl.Close()
	}
	s.hist.close()
	s.stopSignal()
}

// width is the terminal's width in cells, or 0 when stdout is not one.
func (s *session) width() int { return s.a.termWidth() }

// banner greets the user, saying which tables are loaded.
func (s *session) banner(sample bool) {
	w := s.a.stdout
	fmt.Fprintf(w, "kql %s: interactive KQL. Type .help for commands, Ctrl-D to exit.\n", version)
	names := s.cat.Names()
	switch {
	case sample:
		fmt.Fprintf(w, "Loaded the built-in sample tables: %s.\n", strings.Join(names, ", "))
		fmt.Fprintln(w, "Load your own with .load PATH, or start with kql repl -d DIR / -t NAME=PATH.")
	case len(names) == 0:
		fmt.Fprintln(w, "No tables loaded. Load some with .load PATH.")
	default:
		fmt.Fprintf(w, "Loaded %s: %s.\n", plural(len(names), "table"), strings.Join(names, ", "))
	}
}

// loop reads inputs until Ctrl-D, .quit or the end of the input.
func (s *session) loop() error {
	for {
		prompt := promptFirst
		if len(s.pending) > 0 {
			prompt = promptContinue
		}
		s.rl.SetPrompt(prompt)
		line, err := s.readLine()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			s.pending = nil // Ctrl-C at the prompt drops what was typed
			continue
		case errors.Is(err, io.EOF):
			if len(s.pending) > 0 {
				s.submitPending(false)
			}
			return nil
		case err != nil:
			s.a.printError(nil, err)
			return errReported
		}
		if s.handleLine(line) {
			return nil
		}
	}
}

// readLine reads a line with the line editor, with bracketed paste on
// meanwhile, so that a query pasted over several lines comes in whole. It
// is off while a query runs, when the terminal itself echoes what is typed.
func (s *session) readLine() (string, error) {
	if s.pasteBrackets {
		io.WriteString(s.a.stdout, bracketedPasteOn)
		defer io.WriteString(s.a.stdout, bracketedPasteOff)
	}
	line, err := s.rl.Readline()
	return pastedText(line), err
}

// handleLine takes one line typed at the prompt and reports whether the
// session should end. A dot-command is run at once; query text is kept
// until the parser says it is complete.
func (s *session) handleLine(line string) (quit bool) {
	if len(s.pending) == 0 {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			return false
		}
		if strings.HasPrefix(trimmed, ".") {
			s.remember(trimmed)
			return s.dotCommand(trimmed)
		}
	}
	s.pending = append(s.pending, line)
	s.submitPending(true)
	return false
}

// submitPending runs the pending text if it is complete, or always when
// waitIfIncomplete is false (at the end of the input, where no more lines
// will come and the parser's complaint is the answer).
func (s *session) submitPending(waitIfIncomplete bool) {
	text := strings.Join(s.pending, "\n")
	if waitIfIncomplete && isIncomplete(text) {
		return
	}
	s.pending = nil
	if strings.TrimSpace(text) == "" {
		return
	}
	s.remember(text)
	s.submit(text)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
