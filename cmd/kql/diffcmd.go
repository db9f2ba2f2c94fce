package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kql-offline/kql/cmd/kql/internal/kqltest"
	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
)

// diffFlags are the flags of `kql diff`: where the tables come from, as
// for `kql run`.
type diffFlags struct {
	data      []string
	tables    []string
	schemaDir string
	now       string
	verbose   bool
	ws        workspaceFlags
	geoip     geoipFlag
}

func newDiffCmd(a *app) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:   "diff [flags] OLD NEW",
		Short: "Run two versions of a query over the same tables and compare the results",
		Long: `Run two versions of a query over the same tables and print how the
results differ: the rows only OLD returns, the rows only NEW returns, rows
whose cells changed, and column changes. Rows are compared as multisets.

OLD and NEW are .kql files or Sentinel rules (.yaml), or REV:PATH to read a
file as git holds it at revision REV (git show REV:PATH; PATH is relative to
the repository root, or starts with ./ for the current directory).
Without --data or --table the built-in sample tables are queried.

On a terminal, each line is cut to the terminal's width; -v prints rows
whole, as does output to a file or a pipe.

The exit status is 0 when the results are the same, 1 when they differ or a
query fails.`,
		Example: `  kql diff old.kql new.kql
  kql diff HEAD~1:queries/x.yaml queries/x.yaml -d ./exports`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.diffCommand(cmd.Context(), f, args[0], args[1])
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.data, "data", "d", nil, "load every table file in `DIR` (repeatable)")
	fl.StringArrayVarP(&f.tables, "table", "t", nil, "load table NAME from a file: `NAME=PATH` (repeatable)")
	fl.StringVar(&f.schemaDir, "schema", "", "read table schemas from `DIR`; they apply to tables of that name")
	fl.StringVar(&f.now, "now", "", "the `TIME` now() returns (default: the sample's time, or the clock)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print rows whole, even on a terminal")
	f.ws.register(fl) // --externaldata, --watchlists, --functions (workspace.go)
	f.geoip.register(fl)
	return cmd
}

func (a *app) diffCommand(ctx context.Context, f diffFlags, oldArg, newArg string) error {
	files, err := parseTableArgs(f.tables)
	if err != nil {
		return err
	}
	data := dataSpec{dirs: f.data, files: files, schemaDir: f.schemaDir, ws: f.ws}
	opts, err := engineOptions(f.now, data.useSample())
	if err != nil {
		return err
	}
	if err := f.ws.apply(&opts); err != nil {
		return err
	}
	if err := f.geoip.apply(&opts); err != nil {
		a.printError(nil, err)
		return errReported
	}
	cat, err := loadCatalog(data)
	if err != nil {
		a.printError(nil, err)
		return errReported
	}
	oldT, err := a.diffRun(ctx, oldArg, cat, opts)
	if err != nil {
		return err
	}
	newT, err := a.diffRun(ctx, newArg, cat, opts)
	if err != nil {
		return err
	}

	d := kqltest.DiffTables(oldT, newT)
	if d.Same() {
		fmt.Fprintf(a.stdout, "OLD and NEW return the same %s\n", rowCount(oldT.Rows()))
		return nil
	}
	a.writeFitted(f.verbose, func(w io.Writer) { d.Write(w, 0) })
	return errReported
}

// writeFitted runs write over stdout, with the lines cut to the terminal's
// width when stdout is one and whole lines were not asked for, and then
// says how to see them whole if any was cut.
func (a *app) writeFitted(whole bool, write func(io.Writer)) {
	width := a.termWidth()
	if whole || width <= 0 {
		write(a.stdout)
		return
	}
	fit := newLineFitter(a.stdout, width)
	write(fit)
	fit.Close()
	if fit.cut {
		fmt.Fprintln(a.stdout, truncate("(long lines cut to the terminal's width; -v prints them whole)", width))
	}
}

// diffRun reads and runs one side of a diff, printing its error if it fails.
func (a *app) diffRun(ctx context.Context, arg string, cat *engine.Catalog, opts engine.Options) (*tables.Table, error) {
	src, err := diffSource(arg)
	if err != nil {
		a.printError(nil, err)
		return nil, errReported
	}
	t, err := runGuarded(ctx, src, cat, opts)
	if err != nil {
		a.printError(src, err)
		return nil, errReported
	}
	return t, nil
}

// diffSource reads OLD or NEW: a file, or REV:PATH from git when no file
// has that name.
func diffSource(arg string) (*querySource, error) {
	rev, path, isRev := strings.Cut(arg, ":")
	if _, err := os.Stat(arg); err == nil || !isRev || rev == "" || path == "" {
		return fileRef(arg, false).load()
	}
	data, err := gitShow(rev, path)
	if err != nil {
		return nil, err
	}
	if isYAML(path) {
		return yamlRuleSource(arg, data)
	}
	return plainSource(arg, string(data)), nil
}

// gitShow returns a file as git holds it at a revision.
func gitShow(rev, path string) ([]byte, error) {
	var stderr bytes.Buffer
	cmd := exec.Command("git", "show", rev+":"+path)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.ExitError
		if msg == "" || !errors.As(err, &ee) {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git show %s:%s: %s", rev, path, msg)
	}
	return out, nil
}
