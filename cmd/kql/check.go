package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

// maxFindingsPerFile bounds what one file prints: past it a file is more
// broken than a list can help with, and the rest would bury other files.
const maxFindingsPerFile = 20

// checkFlags are the flags of `kql check`.
type checkFlags struct {
	query     string
	data      []string
	tables    []string
	schemaDir string
	format    string
	ws        workspaceFlags // --watchlists and --functions (workspace.go)
	geoip     geoipFlag
}

func newCheckCmd(a *app) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check [flags] PATH...",
		Short: "Report what stops queries from running, without running them",
		Long: `Check KQL queries without running them and print every finding:
syntax errors, unknown tables, columns and functions, wrong argument counts
and types, and every operator, plugin or function kql cannot run yet.

PATH is a .kql file, a Sentinel rule (.yaml or .yml), a directory (every
query file under it) or - for standard input. Table schemas come from the
built-in sample tables, from --schema files and from the data of --data and
--table. The exit status is 1 when any file has an error.`,
		Example: `  kql check hunting/
  kql check --schema ./schemas --format json rules/*.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.checkCommand(f, cmd.Flags().Changed("query"), args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.query, "query", "q", "", "check query `TEXT`")
	fl.StringArrayVarP(&f.data, "data", "d", nil, "take table schemas from the files in `DIR` (repeatable)")
	fl.StringArrayVarP(&f.tables, "table", "t", nil, "take a table schema from a file: `NAME=PATH` (repeatable)")
	fl.StringVar(&f.schemaDir, "schema", "", "read table schemas from `DIR`")
	fl.StringVarP(&f.format, "format", "f", "text", "output `FORMAT`: text or json (one object per file and line)")
	f.ws.registerCatalog(fl)
	f.geoip.register(fl) // read to report a bad file; the data is needed only to run
	return cmd
}

// finding is one problem at a place in a file, as check prints it.
type finding struct {
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Kind     string `json:"kind"`
	Message  string `json:"message"`
}

// fileReport is the findings of one file, as --format json prints it.
type fileReport struct {
	File     string    `json:"file"`
	Findings []finding `json:"findings"`
	// Omitted counts the findings past maxFindingsPerFile.
	Omitted int `json:"omitted,omitempty"`
}

// checkCommand checks each query and prints its findings.
func (a *app) checkCommand(f checkFlags, hasQuery bool, args []string) error {
	jsonOut, err := checkFormat(f.format)
	if err != nil {
		return err
	}
	files, err := parseTableArgs(f.tables)
	if err != nil {
		return err
	}
	refs, _, err := a.collectSources(f.query, hasQuery, args)
	if err != nil {
		return err
	}
	if _, err := f.geoip.load(); err != nil {
		a.printError(nil, err)
		return errReported
	}
	cat, err := checkCatalog(dataSpec{dirs: f.data, files: files, schemaDir: f.schemaDir, ws: f.ws})
	if err != nil {
		a.printError(nil, err)
		return errReported
	}
	var checked, bad, total int
	for _, ref := range refs {
		rep, ok := a.checkRef(ref, cat)
		if !ok {
			continue
		}
		checked++
		if len(rep.Findings) > 0 {
			bad++
			total += len(rep.Findings) + rep.Omitted
		}
		if err := writeReport(a.stdout, rep, jsonOut); err != nil {
			a.printError(nil, err)
			return errReported
		}
	}
	switch {
	case jsonOut || checked < 2:
	case total == 0:
		fmt.Fprintf(a.stderr, "kql: no findings in %d files\n", checked)
	default:
		fmt.Fprintf(a.stderr, "kql: %d findings in %d of %d files\n", total, bad, checked)
	}
	if bad > 0 {
		return errReported
	}
	return nil
}

func checkFormat(s string) (jsonOut bool, err error) {
	switch strings.ToLower(s) {
	case "text":
		return false, nil
	case "json":
		return true, nil
	}
	return false, usagef("unknown format %q (want text or json)", s)
}

// checkCatalog holds the schemas queries are checked against, later
// sources replacing earlier ones of the same name: the sample tables, then
// the --schema files, then the tables of --data and --table. Only the
// schemas matter; the tables are empty but for those loaded.
func checkCatalog(d dataSpec) (*engine.Catalog, error) {
	cat := engine.NewCatalog()
	hints, err := sample.Schemas()
	if err != nil {
		return nil, err
	}
	addSchemas(cat, hints)
	if d.schemaDir != "" {
		if err := mustExist("schema directory", d.schemaDir); err != nil {
			return nil, err
		}
		s, err := tables.ReadSchemaDir(d.schemaDir)
		if err != nil {
			return nil, err
		}
		addSchemas(cat, s)
	}
	if d.useSample() {
		return cat, loadWorkspace(cat, d.ws, nil)
	}
	ws := d.ws
	d.ws = workspaceFlags{}
	loaded, err := loadCatalog(d)
	if err != nil {
		return nil, err
	}
	for _, name := range loaded.Names() {
		t, _ := loaded.Table(name)
		cat.Add(t)
	}
	return cat, loadWorkspace(cat, ws, nil)
}

func addSchemas(cat *engine.Catalog, schemas map[string]tables.Schema) {
	for name, s := range schemas {
		cat.Add(tables.Empty(name, s))
	}
}

// checkRef loads and checks one query. ok is false for a YAML file found in
// a directory that is not a rule: it is skipped, as `kql run` skips it.
func (a *app) checkRef(ref sourceRef, cat *engine.Catalog) (rep fileReport, ok bool) {
	rep = fileReport{File: ref.name, Findings: []finding{}}
	src, err := ref.load()
	if err != nil {
		if ref.fromDir && errors.Is(err, errNoQuery) {
			fmt.Fprintf(a.stderr, "kql: skipped %s: it has no 'query' field\n", ref.name)
			return rep, false
		}
		msg := strings.TrimPrefix(err.Error(), ref.name+": ")
		rep.Findings = append(rep.Findings, finding{Severity: "error", Kind: "syntax", Message: msg})
		return rep, true
	}
	all := checkSource(src, cat)
	if len(all) > maxFindingsPerFile {
		rep.Omitted = len(all) - maxFindingsPerFile
		all = all[:maxFindingsPerFile]
	}
	rep.Findings = all
	return rep, true
}

// checkSource returns the findings of one query at their places in its
// file, sorted. The statements of a query with syntax errors are checked
// too, without the findings a broken statement causes (see partialCheck).
func checkSource(src *querySource, cat *engine.Catalog) []finding {
	script, err := parser.Parse(src.text)
	var errs parser.ErrorList
	if err != nil {
		errs = syntaxErrors(err)
		errs = append(errs, partialCheck(src.text, script, cat)...)
	} else {
		errs = engine.Check(script, cat)
	}
	// An error at the end of the query points just past its last
	// character, not at the blank lines after it.
	last := len(strings.TrimRight(src.text, " \t\r\n"))
	out := make([]finding, 0, len(errs))
	for _, e := range errs {
		line, col := parser.Position(src.file, src.fileOffset(min(e.Span.Start, last)))
		out = append(out, finding{Line: line, Col: col, Severity: "error", Kind: e.Phase.String(), Message: e.Msg})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Col < out[j].Col
	})
	return out
}

// letPattern finds the names let statements define, in text that may not
// parse.
var letPattern = regexp.MustCompile(`\blet\s+([A-Za-z_][A-Za-z_0-9]*)\s*=`)

// partialCheck checks the statements of a script that parsed, dropping
// what a broken statement explains: a use of a name only a broken let
// defines, and "no tabular statement" when the broken one was it.
func partialCheck(text string, script *parser.Script, cat *engine.Catalog) parser.ErrorList {
	if script == nil {
		return nil
	}
	defined := map[string]bool{}
	parser.Inspect(script, func(n parser.Node) bool {
		if l, ok := n.(*parser.LetStmt); ok && l.Name != nil {
			defined[l.Name.Name] = true
		}
		return true
	})
	broken := map[string]bool{}
	for _, m := range letPattern.FindAllStringSubmatch(text, -1) {
		if !defined[m[1]] {
			broken[m[1]] = true
		}
	}
	var out parser.ErrorList
	for _, e := range engine.Check(script, cat) {
		if e.Span == script.Span && e.Phase != parser.PhaseUnsupported {
			continue
		}
		if e.Span.End <= len(text) && broken[text[e.Span.Start:e.Span.End]] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// syntaxErrors turns Parse's error into a list.
func syntaxErrors(err error) parser.ErrorList {
	var list parser.ErrorList
	if errors.As(err, &list) {
		return list
	}
	var one *parser.Error
	if errors.As(err, &one) {
		return parser.ErrorList{one}
	}
	return parser.ErrorList{parser.Errorf(parser.PhaseSyntax, parser.Span{}, "%v", err)}
}

// writeReport prints one file's findings: a line each in text, one JSON
// object for the file in json.
func writeReport(w io.Writer, rep fileReport, jsonOut bool) error {
	if jsonOut {
		b, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	for _, f := range rep.Findings {
		var err error
		if f.Line == 0 {
			_, err = fmt.Fprintf(w, "%s: %s: %s\n", rep.File, f.Severity, f.Message)
		} else {
			_, err = fmt.Fprintf(w, "%s:%d:%d: %s: %s\n", rep.File, f.Line, f.Col, f.Severity, f.Message)
		}
		if err != nil {
			return err
		}
	}
	if rep.Omitted > 0 {
		_, err := fmt.Fprintf(w, "%s: note: %d more findings not shown\n", rep.File, rep.Omitted)
		return err
	}
	return nil
}
