package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/kql-offline/kql/cmd/kql/internal/kqltest"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// testFlags are the flags of `kql test`.
type testFlags struct {
	run     string
	update  bool
	junit   string
	verbose bool
	geoip   geoipFlag
}

func newTestCmd(a *app) *cobra.Command {
	var f testFlags
	cmd := &cobra.Command{
		Use:   "test [flags] [PATH...]",
		Short: "Run the query test cases (*.kqltest.yaml) under the paths",
		Long: `Run query regression cases and check their results.

PATH is a directory, searched recursively for *.kqltest.yaml files, or a case
file. The default is the current directory. Each case names a query (inline
or a .kql or Sentinel rule file), the tables it runs over and what it expects:
rows, a row count, columns, or an error. One line is printed per case, a diff
under each that fails, and finally "N passed, N failed". The exit status is 0
only when every case passes.`,
		Example: `  kql test
  kql test --run 'flagship' -v queries/
  kql test --update tests/external-mail.kqltest.yaml
  kql test --junit kql-tests.xml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.testCommand(cmd.Context(), f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.run, "run", "", "run only the cases whose name matches `REGEX`")
	fl.BoolVarP(&f.update, "update", "u", false, "write the actual results into the expectations of the cases that fail")
	fl.StringVar(&f.junit, "junit", "", "write a JUnit XML report to `FILE`")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print every case's result table and diffs in full")
	f.geoip.register(fl)
	return cmd
}

// testCommand runs the cases. Case failures are reported on stdout, as part
// of the report; a problem with the run itself goes to stderr.
func (a *app) testCommand(ctx context.Context, f testFlags, args []string) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	// On a terminal the report's lines are cut to its width (writeFitted),
	// so an error's excerpt is windowed around its caret to fit after the
	// report's indent rather than lose the caret to the cut.
	excerptCells := 0
	if w := a.termWidth(); w > 0 && !f.verbose {
		excerptCells = max(w-reportIndent, 1)
	}
	opts := kqltest.Options{
		Update:  f.update,
		Verbose: f.verbose,
		JUnit:   f.junit,
		LoadQuery: func(path string) (*kqltest.Query, error) {
			return caseQueryFile(path, excerptCells)
		},
		InlineQuery: func(name, text string) *kqltest.Query {
			return caseQuery(plainSource(name, text), excerptCells)
		},
		RenderTable: plainTable,
	}
	geo, err := f.geoip.load()
	if err != nil {
		a.printError(nil, err)
		return errReported
	}
	opts.GeoIP = geo
	if f.run != "" {
		re, err := regexp.Compile(f.run)
		if err != nil {
			return usagef("--run: %v", err)
		}
		opts.Run = re
	}
	var sum *kqltest.Summary
	a.writeFitted(f.verbose, func(w io.Writer) {
		sum, err = kqltest.RunPaths(ctx, w, args, opts)
	})
	if err != nil {
		fmt.Fprintf(a.stderr, "kql: %v\n", err)
		return errReported
	}
	if !sum.OK(f.update) {
		return errReported
	}
	return nil
}

// reportIndent is how far, at most, the report of `kql test` indents an
// error excerpt: four spaces for a case's details, two more under
// "expected an error ..., got:".
const reportIndent = 6

// caseQueryFile reads a case's query_file as `kql run` reads a file, so
// that a Sentinel rule's errors are placed at their lines in the rule file.
func caseQueryFile(path string, excerptCells int) (*kqltest.Query, error) {
	src, err := fileRef(path, false).load()
	if err != nil {
		return nil, err
	}
	return caseQuery(src, excerptCells), nil
}

// caseQuery makes a kqltest.Query whose errors print as `kql run` prints
// them: file:line:col, the source line and a caret, the line windowed to
// excerptCells cells (0: the usual window). An inline query's errors are placed in
// the query text.
func caseQuery(src *querySource, excerptCells int) *kqltest.Query {
	return &kqltest.Query{
		Name: src.name,
		Text: src.text,
		Position: func(off int) (int, int) {
			return parser.Position(src.file, src.fileOffset(off))
		},
		Describe: func(err error) string {
			var b bytes.Buffer
			quiet := &app{stdout: io.Discard, stderr: &b, termWidth: func() int { return excerptCells }}
			quiet.printError(src, err)
			return b.String()
		},
	}
}

// plainTable renders a result as the table format of `kql run` for a file.
func plainTable(w io.Writer, t *tables.Table) {
	var b bytes.Buffer
	writeText(&b, t, 0)
	w.Write(b.Bytes())
}
