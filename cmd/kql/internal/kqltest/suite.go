package kqltest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/kql-offline/kql/tables"
)

// Options are the settings of a `kql test` run.
type Options struct {
	// Run selects the cases whose name it matches; nil runs all.
	Run *regexp.Regexp
	// Update writes the actual results into the cases that did not pass.
	Update bool
	// Verbose prints every case's location and result table, and diffs in
	// full.
	Verbose bool
	// JUnit, when set, is the path a JUnit XML report is written to.
	JUnit string
	// LoadQuery reads query files; nil means LoadQueryFile.
	LoadQuery QueryLoader
	// InlineQuery makes the Query of an inline query; nil means TextQuery.
	InlineQuery func(name, text string) *Query
	// RenderTable prints a result table for Verbose; nil prints one JSON
	// object per row.
	RenderTable func(w io.Writer, t *tables.Table)
	// GeoIP is the table of networks geo_info_from_ip_address reads (the
	// --geoip file); nil makes such a query fail, naming the flag.
	GeoIP *tables.GeoIP
}

// Summary is the outcome of a run.
type Summary struct {
	Passed, Failed int
	Results        []Result
	// Updated lists the files --update rewrote.
	Updated []string
}

// OK reports whether the run succeeds: every case passed, or with --update
// every case that did not pass was rewritten.
func (s *Summary) OK(update bool) bool {
	if s.Failed == 0 {
		return true
	}
	if !update {
		return false
	}
	for _, r := range s.Results {
		if r.Status != Pass && !r.Updatable() {
			return false
		}
	}
	return true
}

// ErrNoCases is returned when the paths hold no case file.
var ErrNoCases = errors.New("no " + "*" + Suffix + " files found")

// RunPaths runs every case under paths and prints the report to out: one
// line per case, the diff under each that did not pass, and finally
// "N passed, N failed" on a line of its own. The error is for a problem
// with the run itself (a missing path, a report that cannot be written);
// failing cases are in the summary.
func RunPaths(ctx context.Context, out io.Writer, paths []string, opts Options) (*Summary, error) {
	files, err := Find(paths)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w under %s", ErrNoCases, strings.Join(paths, ", "))
	}
	started := time.Now()
	runner := NewRunner(opts.LoadQuery)
	runner.Inline = opts.InlineQuery
	runner.GeoIP = opts.GeoIP
	if opts.Verbose {
		runner.Limit = 0
	}
	p := printer{w: out, opts: opts}
	sum := &Summary{}
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		for _, res := range runFile(ctx, runner, path, opts.Run) {
			p.result(res)
			sum.add(res)
		}
	}
	if opts.Run != nil && len(sum.Results) == 0 {
		fmt.Fprintf(out, "warning: no case matches --run %q\n", opts.Run)
	}
	if opts.Update {
		if err := p.update(sum); err != nil {
			return sum, err
		}
	}
	if opts.JUnit != "" {
		if err := writeJUnitFile(opts.JUnit, sum.Results, started); err != nil {
			return sum, err
		}
	}
	fmt.Fprintf(out, "%d passed, %d failed\n", sum.Passed, sum.Failed)
	return sum, nil
}

func (s *Summary) add(res Result) {
	s.Results = append(s.Results, res)
	if res.Status == Pass {
		s.Passed++
	} else {
		s.Failed++
	}
}

// runFile runs the selected cases of one file. A file that cannot be read
// is one ERROR result named after the file.
func runFile(ctx context.Context, runner *Runner, path string, sel *regexp.Regexp) []Result {
	f, err := ReadFile(path)
	if err != nil {
		c := &Case{File: &File{Path: path}, Name: path}
		return []Result{{Case: c, Status: Error, Message: err.Error(), Err: err}}
	}
	var out []Result
	for _, c := range f.Cases {
		if sel != nil && !sel.MatchString(c.Name) {
			continue
		}
		out = append(out, runner.Run(ctx, c))
	}
	return out
}

func writeJUnitFile(path string, results []Result, started time.Time) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--junit: %w", unwrapPath(err))
	}
	if err := WriteJUnit(f, results, started); err != nil {
		f.Close()
		return fmt.Errorf("--junit %s: %w", path, err)
	}
	return f.Close()
}

// printer writes the terminal report.
type printer struct {
	w    io.Writer
	opts Options
}

// result prints a case's line, "STATUS  name (time)", and under it, when
// the case did not pass (or with -v), where the case is and what went wrong.
func (p printer) result(res Result) {
	fmt.Fprintf(p.w, "%-5s %s (%s)\n", res.Status, res.Case.Name, duration(res.Duration))
	if res.Status == Pass && !p.opts.Verbose {
		return
	}
	if res.Case.Line > 0 {
		fmt.Fprintf(p.w, "    at %s:%d\n", res.Case.File.Path, res.Case.Line)
	}
	if res.Status != Pass {
		detail := res.Detail
		if detail == "" {
			detail = indent(res.Message)
		}
		fmt.Fprintln(p.w, detail)
	}
	if p.opts.Verbose && res.Table != nil {
		p.table(res.Table)
	}
}

func (p printer) table(t *tables.Table) {
	var b strings.Builder
	if p.opts.RenderTable != nil {
		p.opts.RenderTable(&b, t)
	} else {
		writeRowsJSON(&b, t)
	}
	fmt.Fprintf(p.w, "    result: %s\n", plural(t.Rows(), "row"))
	if s := strings.TrimRight(b.String(), "\n"); s != "" {
		fmt.Fprintln(p.w, indent(s))
	}
}

func writeRowsJSON(b *strings.Builder, t *tables.Table) {
	v := newView(t, nil)
	d := &RowDiff{Columns: v.names()}
	src := rowSource{rows: t.Rows(), text: func(r, c int) string {
		return cellJSON(t.Columns[c].Value(r))
	}}
	for r := 0; r < t.Rows(); r++ {
		b.WriteString(d.rowText(src, r, nil))
		b.WriteByte('\n')
	}
}

// update rewrites the cases that did not pass and says which files changed.
func (p printer) update(sum *Summary) error {
	paths, err := Update(sum.Results)
	for _, path := range paths {
		n := 0
		for _, r := range sum.Results {
			if r.Updatable() && r.Case.File.Path == path {
				n++
			}
		}
		fmt.Fprintf(p.w, "updated %s (%s)\n", path, plural(n, "case"))
	}
	sum.Updated = paths
	return err
}

// duration prints a case's time as go test does: seconds, two decimals.
func duration(d time.Duration) string {
	return fmt.Sprintf("%.2fs", d.Seconds())
}
