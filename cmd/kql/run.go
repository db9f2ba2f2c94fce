package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

// runFlags are the flags of `kql run`.
type runFlags struct {
	query     string
	data      []string
	tables    []string
	schemaDir string
	format    string
	now       string
	verbose   bool
	limits    limitFlags
	ws        workspaceFlags
	skipBad   bool
	geoip     geoipFlag
}

func newRunCmd(a *app) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [flags] [FILE...]",
		Short: "Run queries and print their results",
		Long: `Run KQL queries and print their results.

FILE is a .kql file, a Sentinel rule (.yaml or .yml) whose query field is run,
a directory (every .kql, .yaml and .yml file under it), or - for standard input.
Without --data or --table the built-in sample tables are queried.`,
		Example: `  kql run -q 'AIAgentsInfo | take 5'
  kql run -t Events=events.json -q 'Events | count'
  kql run -d ./exports --format json hunting/*.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runCommand(cmd.Context(), cmd, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.query, "query", "q", "", "query `TEXT` to run")
	fl.StringArrayVarP(&f.data, "data", "d", nil, "load every table file in `DIR` (repeatable)")
	fl.StringArrayVarP(&f.tables, "table", "t", nil, "load table NAME from a file: `NAME=PATH`, or NAME=FORMAT:PATH "+
		"to force one of "+formatHelp()+" (repeatable)")
	fl.StringVar(&f.schemaDir, "schema", "", "read table schemas from `DIR`; they apply to tables of that name")
	fl.StringVarP(&f.format, "format", "f", "table", "output `FORMAT`: table, json, jsonl or csv")
	fl.StringVar(&f.now, "now", "", "the `TIME` now() returns (default: the sample's time, or the clock)")
	fl.BoolVar(&f.skipBad, "skip-bad-rows", false,
		"skip the malformed lines of NDJSON files, saying on stderr how many and which (default: fail)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "say on stderr what was loaded from where, and which column types were inferred")
	f.limits.register(fl, true)
	f.ws.register(fl) // --externaldata, --watchlists, --functions (workspace.go)
	f.geoip.register(fl)
	return cmd
}

// runCommand checks the whole command line, loads the tables once, and runs
// each query, reporting failures per query without stopping the others.
func (a *app) runCommand(ctx context.Context, cmd *cobra.Command, f runFlags, args []string) error {
	format, err := parseFormat(f.format)
	if err != nil {
		return err
	}
	files, err := parseTableArgs(f.tables)
	if err != nil {
		return err
	}
	data := dataSpec{dirs: f.data, files: files, schemaDir: f.schemaDir, ws: f.ws}
	if f.skipBad {
		data.skipBad = a.stderr
	}
	if f.verbose {
		data.report = a.stderr
		f.ws.report = a.stderr
	}
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
	if err := f.geoip.apply(&opts); err != nil {
		a.printError(nil, err)
		return errReported
	}
	a.limits.apply()
	refs, multi, err := a.collectSources(f.query, cmd.Flags().Changed("query"), args)
	if err != nil {
		return err
	}

	cat, err := loadCatalog(data)
	if err != nil {
		a.printError(nil, err)
		return errReported
	}

	out := newResultWriter(a.stdout, format, multi, a.termWidth())
	ran, failed := a.runAll(ctx, refs, cat, opts, out)
	if err := out.finish(); err != nil {
		a.printError(nil, err)
		return errReported
	}
	if failed > 0 {
		if multi {
			fmt.Fprintf(a.stderr, "kql: %d of %d queries failed\n", failed, ran)
		}
		return errReported
	}
	return nil
}

// runAll runs the queries in order and counts those run and those failed.
// An interrupt stops the run rather than failing each query left.
func (a *app) runAll(ctx context.Context, refs []sourceRef, cat *engine.Catalog, opts engine.Options, out *resultWriter) (ran, failed int) {
	for _, ref := range refs {
		if ctx.Err() != nil {
			a.printError(nil, ctx.Err())
			return ran, failed + 1
		}
		switch a.runRef(ctx, ref, cat, opts, out) {
		case outcomeFailed:
			failed++
			ran++
		case outcomeOK:
			ran++
		}
	}
	return ran, failed
}

// engineOptions works out now(): --now when given, else the sample's
// reference time when the sample tables are queried (so that their ago()
// windows keep selecting rows), else the clock, which the engine reads.
func engineOptions(now string, useSample bool) (engine.Options, error) {
	switch {
	case now != "":
		t, err := parseNow(now)
		return engine.Options{Now: t}, err
	case useSample:
		return engine.Options{Now: sample.Now()}, nil
	}
	return engine.Options{}, nil
}

// outcome is what became of one query of a run.
type outcome int

const (
	outcomeOK      outcome = iota
	outcomeFailed          // its error was printed
	outcomeSkipped         // a YAML file found in a directory that is not a rule
)

// runRef loads, runs and prints one query.
func (a *app) runRef(ctx context.Context, ref sourceRef, cat *engine.Catalog, opts engine.Options, out *resultWriter) outcome {
	src, err := ref.load()
	if err != nil {
		if ref.fromDir && errors.Is(err, errNoQuery) {
			fmt.Fprintf(a.stderr, "kql: skipped %s: it has no 'query' field\n", ref.name)
			return outcomeSkipped
		}
		out.failed(ref.name, "")
		a.printError(nil, err)
		return outcomeFailed
	}
	qctx, cancel := a.limits.queryContext(ctx)
	t, err := runBounded(qctx, src, cat, opts)
	cancel()
	if err != nil {
		out.failed(src.name, src.title)
		a.printError(src, err)
		return outcomeFailed
	}
	t = a.limits.truncate(t, src.name, a.stderr)
	if err := out.result(src.name, src.title, t); err != nil {
		a.printError(nil, err)
		return outcomeFailed
	}
	if err := out.chart(renderKind(src.text)); err != nil {
		a.printError(nil, err)
		return outcomeFailed
	}
	return outcomeOK
}

// internalError is a panic caught while running one query.
type internalError struct {
	value any
	stack []byte
}

func (e *internalError) Error() string { return fmt.Sprint(e.value) }

// queryRunner runs one query; tests replace it to check how a panic is
// reported.
var queryRunner = runQuery

// runGuarded runs one query with queryRunner. A panic there is a bug in kql;
// it is turned into an internalError so that the other queries of a
// multi-file run still run.
func runGuarded(ctx context.Context, src *querySource, cat *engine.Catalog, opts engine.Options) (t *tables.Table, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, &internalError{value: r, stack: debug.Stack()}
		}
	}()
	return queryRunner(ctx, src, cat, opts)
}

// runQuery parses, binds and runs one query.
func runQuery(ctx context.Context, src *querySource, cat *engine.Catalog, opts engine.Options) (*tables.Table, error) {
	script, err := parser.Parse(src.text)
	if err != nil {
		return nil, err
	}
	q, err := engine.Bind(script, cat, opts)
	if err != nil {
		return nil, err
	}
	return q.Run(ctx)
}
