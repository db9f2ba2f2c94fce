package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/chzyer/readline"

	"github.com/kql-offline/kql/functions"
	"github.com/kql-offline/kql/tables"
)

// dotCmd is one of the REPL's dot-commands.
type dotCmd struct {
	name string
	args string // how the arguments are written, for .help
	help string
	run  func(s *session, arg string) (quit bool)
	// argWords, when set, lists the words the argument completes to.
	argWords func(s *session) []string
}

// dotCommands is filled in init: .help reads it, and a package-level
// initializer that refers to itself would not compile.
var dotCommands []dotCmd

func init() {
	dotCommands = []dotCmd{
		{name: ".help", args: "[NAME]", help: "list the commands, or describe a function or command",
			run: (*session).dotHelp, argWords: helpWords},
		{name: ".tables", help: "list the tables with their row counts and source files",
			run: (*session).dotTables},
		{name: ".schema", args: "[NAME]", help: "show a table's columns and types (all tables without NAME)",
			run: (*session).dotSchema, argWords: tableWords},
		{name: ".load", args: "PATH [as NAME]", help: "load a table file, or every table file in a directory",
			run: (*session).dotLoad},
		{name: ".drop", args: "NAME", help: "forget a table",
			run: (*session).dotDrop, argWords: tableWords},
		{name: ".lets", args: "[clear]", help: "list the let statements kept for later queries, or forget them",
			run: (*session).dotLets, argWords: words("clear")},
		{name: ".format", args: "table|json|jsonl|csv", help: "set how results are printed",
			run: (*session).dotFormat, argWords: words("table", "json", "jsonl", "csv")},
		{name: ".now", args: "[TIME|clock]", help: "show or set the time now() and ago() use",
			run: (*session).dotNow, argWords: words("clock")},
		{name: ".timing", args: "on|off", help: "show the elapsed time after each result",
			run: (*session).dotTiming, argWords: words("on", "off")},
		{name: ".maxrows", args: "N", help: "show at most N rows of a result (0: all)",
			run: (*session).dotMaxRows},
		{name: ".save", args: "FILE", help: "save the last result; .json, .jsonl, .csv or else the table format",
			run: (*session).dotSave},
		{name: ".clear", help: "clear the screen",
			run: (*session).dotClear},
		{name: ".quit", help: "leave (so does Ctrl-D)",
			run: func(*session, string) bool { return true }},
	}
}

func words(ws ...string) func(*session) []string {
	return func(*session) []string { return ws }
}

func tableWords(s *session) []string { return s.cat.Names() }

func helpWords(*session) []string {
	out := functions.Names()
	for _, c := range dotCommands {
		out = append(out, c.name)
	}
	return out
}

// lookupDot finds a command by its name; .exit is .quit, as in sqlite3.
func lookupDot(name string) (dotCmd, bool) {
	if name == ".exit" {
		name = ".quit"
	}
	for _, c := range dotCommands {
		if c.name == name {
			return c, true
		}
	}
	return dotCmd{}, false
}

// dotCommand runs a line starting with '.' and reports whether to quit.
func (s *session) dotCommand(line string) bool {
	name, arg, _ := strings.Cut(line, " ")
	c, ok := lookupDot(name)
	if !ok {
		s.failf("unknown command %s (.help lists the commands)", name)
		return false
	}
	return c.run(s, strings.TrimSpace(arg))
}

func (s *session) failf(format string, args ...any) {
	fmt.Fprintf(s.a.stderr, "kql: "+format+"\n", args...)
}

func (s *session) dotHelp(arg string) bool {
	w := s.a.stdout
	if arg != "" {
		s.describe(arg)
		return false
	}
	fmt.Fprintln(w, "Type a KQL query and press Enter; it runs when it is complete.")
	fmt.Fprintln(w, "let statements typed on their own stay defined for later queries.")
	fmt.Fprintln(w)
	width := 0
	for _, c := range dotCommands {
		width = max(width, len(c.name)+len(c.args)+1)
	}
	for _, c := range dotCommands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, strings.TrimSpace(c.name+" "+c.args), c.help)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Keys: Tab completes, Up/Down and Ctrl-R search the history, Ctrl-C cancels")
	fmt.Fprintln(w, "a running query or clears the line, Ctrl-D exits.")
	return false
}

// describe prints what .help NAME says about a function or a command.
func (s *session) describe(name string) {
	if c, ok := lookupDot(name); ok {
		fmt.Fprintf(s.a.stdout, "%s %s\n  %s\n", c.name, c.args, c.help)
		return
	}
	if f, ok := functions.Lookup(name); ok {
		kind := "function"
		if f.Kind == functions.Aggregate {
			kind = "aggregate function"
		}
		fmt.Fprintf(s.a.stdout, "%s  (%s)\n", f.Signature(), kind)
		if f.Doc != "" {
			fmt.Fprintf(s.a.stdout, "  %s\n", f.Doc)
		}
		return
	}
	s.failf("no function or command called %s", name)
}

func (s *session) dotTables(string) bool {
	names := s.cat.Names()
	if len(names) == 0 {
		fmt.Fprintln(s.a.stdout, "no tables (.load PATH loads some)")
		return false
	}
	name := tables.NewColumn(tables.String, len(names))
	rows := tables.NewColumn(tables.Long, len(names))
	cols := tables.NewColumn(tables.Long, len(names))
	source := tables.NewColumn(tables.String, len(names))
	for _, n := range names {
		t, _ := s.cat.Table(n)
		name.Append(tables.NewString(n))
		rows.Append(tables.NewLong(int64(t.Rows())))
		cols.Append(tables.NewLong(int64(len(t.Schema))))
		source.Append(tables.NewString(s.sources[n]))
	}
	s.printTable(tables.NewTable("", tables.Schema{
		{Name: "Table", Type: tables.String}, {Name: "Rows", Type: tables.Long},
		{Name: "Columns", Type: tables.Long}, {Name: "Source", Type: tables.String},
	}, []*tables.Column{name, rows, cols, source}))
	return false
}

// printTable prints a listing in the table format, fitted to the terminal.
func (s *session) printTable(t *tables.Table) {
	var b bytes.Buffer
	writeFitted(&b, t, s.width())
	s.a.stdout.Write(b.Bytes())
}

func (s *session) dotSchema(arg string) bool {
	if arg == "" {
		for _, n := range s.cat.Names() {
			t, _ := s.cat.Table(n)
			line := n + t.Schema.String()
			if w := s.width(); w > 0 {
				line = truncate(line, w)
			}
			fmt.Fprintln(s.a.stdout, line)
		}
		return false
	}
	t, ok := s.cat.Table(arg)
	if !ok {
		s.failf("no table called %s (.tables lists them)", arg)
		return false
	}
	name := tables.NewColumn(tables.String, len(t.Schema))
	typ := tables.NewColumn(tables.String, len(t.Schema))
	for _, f := range t.Schema {
		name.Append(tables.NewString(f.Name))
		typ.Append(tables.NewString(f.Type.String()))
	}
	s.printTable(tables.NewTable("", tables.Schema{
		{Name: "Column", Type: tables.String}, {Name: "Type", Type: tables.String},
	}, []*tables.Column{name, typ}))
	return false
}

// dotLoad loads PATH [as NAME] into the catalog with the loaders `kql run`
// uses, so that the same schemas and type hints apply.
func (s *session) dotLoad(arg string) bool {
	path, name := arg, ""
	if i := strings.LastIndex(arg, " as "); i >= 0 {
		path, name = strings.TrimSpace(arg[:i]), strings.TrimSpace(arg[i+4:])
	}
	path = expandHome(unquote(path))
	if path == "" {
		s.failf("usage: .load PATH [as NAME]")
		return false
	}
	data := dataSpec{schemaDir: s.schemaDir}
	if isDir(path) {
		if name != "" {
			s.failf(".load %s: a directory loads a table per file; 'as NAME' names a single file's table", path)
			return false
		}
		data.dirs = []string{path}
	} else {
		if name == "" {
			name = tables.TableName(path)
		}
		data.files = []tableArg{{name: name, path: path}}
	}
	start := time.Now()
	loaded, err := loadCatalog(data)
	if err != nil {
		s.a.printError(nil, err)
		return false
	}
	names := loaded.Names()
	if len(names) == 0 {
		s.failf("%s holds no .json, .jsonl, .ndjson or .csv file", path)
		return false
	}
	for _, n := range names {
		t, _ := loaded.Table(n)
		_, existed := s.cat.Table(n)
		s.cat.Add(t)
		note := ""
		if existed {
			note = ", replacing the table of that name"
		}
		fmt.Fprintf(s.a.stdout, "loaded %s: %s, %s%s\n", n, plural(t.Rows(), "row"), plural(len(t.Schema), "column"), note)
		s.sources[n] = path
	}
	if isDir(path) {
		s.noteDir(path)
	}
	if s.timing {
		fmt.Fprintf(s.a.stdout, "(%s)\n", formatElapsed(time.Since(start)))
	}
	return false
}

// unquote removes one pair of matching quotes, so that a path with spaces
// can be written "like this".
func unquote(p string) string {
	if len(p) >= 2 && (p[0] == '"' || p[0] == '\'') && p[len(p)-1] == p[0] {
		return p[1 : len(p)-1]
	}
	return p
}

// expandHome turns a leading ~/ into the home directory, as a shell would.
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

func (s *session) dotDrop(arg string) bool {
	if _, ok := s.cat.Table(arg); !ok {
		s.failf("no table called %q (.tables lists them)", arg)
		return false
	}
	s.cat.Drop(arg)
	delete(s.sources, arg)
	fmt.Fprintf(s.a.stdout, "dropped %s\n", arg)
	return false
}

func (s *session) dotLets(arg string) bool {
	switch arg {
	case "":
		if len(s.lets) == 0 {
			fmt.Fprintln(s.a.stdout, "no lets kept (type a let statement on its own to keep one)")
		}
		for _, l := range s.lets {
			fmt.Fprintf(s.a.stdout, "%s;\n", l.text)
		}
	case "clear":
		s.lets = nil
		fmt.Fprintln(s.a.stdout, "forgot the lets")
	default:
		s.failf("usage: .lets [clear]")
	}
	return false
}

func (s *session) dotFormat(arg string) bool {
	if arg == "" {
		fmt.Fprintf(s.a.stdout, "format: %s\n", formatName(s.format))
		return false
	}
	f, err := parseFormat(arg)
	if err != nil {
		s.failf("%v", err)
		return false
	}
	s.format = f
	return false
}

func formatName(f format) string {
	return [...]string{formatTable: "table", formatJSON: "json", formatJSONL: "jsonl", formatCSV: "csv"}[f]
}

func (s *session) dotNow(arg string) bool {
	switch arg {
	case "":
	case "clock":
		s.opts.Now = time.Time{}
	default:
		t, err := parseNow(arg)
		if err != nil {
			s.failf("%v", err)
			return false
		}
		s.opts.Now = t
	}
	if s.opts.Now.IsZero() {
		fmt.Fprintln(s.a.stdout, "now() is the clock's time when each query starts")
	} else {
		fmt.Fprintf(s.a.stdout, "now() is %s\n", tables.FormatDateTime(tables.TicksFromTime(s.opts.Now), false))
	}
	return false
}

func (s *session) dotTiming(arg string) bool {
	switch arg {
	case "on":
		s.timing = true
	case "off":
		s.timing = false
	case "":
		fmt.Fprintf(s.a.stdout, "timing: %s\n", map[bool]string{true: "on", false: "off"}[s.timing])
	default:
		s.failf("usage: .timing on|off")
	}
	return false
}

func (s *session) dotMaxRows(arg string) bool {
	if arg == "" {
		fmt.Fprintf(s.a.stdout, "maxrows: %d\n", s.maxRows)
		return false
	}
	n, err := strconv.Atoi(arg)
	if err != nil || n < 0 {
		s.failf("usage: .maxrows N (a count; 0 shows every row)")
		return false
	}
	s.maxRows = n
	return false
}

// dotSave writes the last result in full, in the format its extension
// names.
func (s *session) dotSave(arg string) bool {
	path := expandHome(unquote(arg))
	if path == "" {
		s.failf("usage: .save FILE")
		return false
	}
	if s.last == nil {
		s.failf("no result to save yet")
		return false
	}
	var b bytes.Buffer
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		writeJSON(&b, s.last)
	case ".jsonl", ".ndjson":
		writeJSONL(&b, s.last, "")
	case ".csv":
		writeCSV(&b, s.last)
	default:
		writeText(&b, s.last, 0)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		s.a.printError(nil, fileError(path, err))
		return false
	}
	fmt.Fprintf(s.a.stdout, "saved %s to %s\n", plural(s.last.Rows(), "row"), path)
	return false
}

func (s *session) dotClear(string) bool {
	readline.ClearScreen(s.a.stdout)
	return false
}

// dotNames lists the command names, sorted, for completion.
func dotNames() []string {
	out := make([]string, 0, len(dotCommands))
	for _, c := range dotCommands {
		out = append(out, c.name)
	}
	sort.Strings(out)
	return out
}
