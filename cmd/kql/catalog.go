package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

// tableArg is one --table [NAME=][FORMAT:]PATH.
type tableArg struct {
	name, path string
	format     string // "" detects the format (see tables.LoadOptions.Format)
}

// parseTableArgs reads the --table values. A bare PATH is allowed and names
// the table after the file as the loader does (events.json.gz is events).
func parseTableArgs(vals []string) ([]tableArg, error) {
	out := make([]tableArg, 0, len(vals))
	for _, v := range vals {
		name, path, ok := strings.Cut(v, "=")
		if !ok {
			path = v
		}
		format, path := formatPrefix(path) // FORMAT:PATH (formats.go)
		if !ok {
			name = tables.TableName(path)
		}
		if name == "" || path == "" {
			return nil, usagef("--table %q: want NAME=PATH or NAME=FORMAT:PATH", v)
		}
		out = append(out, tableArg{name: name, path: path, format: format})
	}
	return out, nil
}

// dataSpec is where the tables come from.
type dataSpec struct {
	dirs      []string
	files     []tableArg
	schemaDir string
	ws        workspaceFlags // watchlists and stored functions (workspace.go)
	// report, when set, receives a line about each table, watchlist and
	// function loaded (kql run -v; verbose.go).
	report io.Writer
	// skipBad, when set, receives a notice for each NDJSON file whose
	// malformed lines were skipped (--skip-bad-rows); nil fails the load.
	skipBad io.Writer
}

// skipped collects the lines --skip-bad-rows dropped from one table source.
type skipped struct {
	what  string
	lines []int
}

// hook returns the loader's SkipBadRows callback, or nil when bad rows fail.
func (d dataSpec) hook(s *skipped) func(int, string) {
	if d.skipBad == nil {
		return nil
	}
	return func(line int, _ string) { s.lines = append(s.lines, line) }
}

// reportSkips prints how many lines were skipped and the first few of
// them, so that no row is dropped without a word.
func (d dataSpec) reportSkips(s *skipped) {
	if d.skipBad == nil || len(s.lines) == 0 {
		return
	}
	shown := s.lines[:min(len(s.lines), 5)]
	nums := make([]string, len(shown))
	for i, n := range shown {
		nums[i] = strconv.Itoa(n)
	}
	more := ""
	if len(s.lines) > len(shown) {
		more = ", ..."
	}
	fmt.Fprintf(d.skipBad, "kql: %s: skipped %s (--skip-bad-rows): line %s%s\n",
		s.what, plural(len(s.lines), "malformed line"), strings.Join(nums, ", "), more)
}

// useSample reports whether no data was named, so the sample tables are used.
func (d dataSpec) useSample() bool { return len(d.dirs) == 0 && len(d.files) == 0 }

// loadCatalog loads every table named on the command line, or the sample
// tables when none is. Missing paths are checked here so that the message
// is the same whatever the loader says about them.
func loadCatalog(d dataSpec) (*engine.Catalog, error) {
	if d.useSample() {
		ts, err := sample.Tables()
		if err != nil {
			return nil, fmt.Errorf("loading the sample tables: %w", err)
		}
		reportSample(d.report, ts)
		cat := engine.NewCatalog(ts...)
		return cat, loadWorkspace(cat, d.ws, d.report)
	}

	hints, err := sample.Schemas()
	if err != nil {
		return nil, err
	}
	var schemas map[string]tables.Schema
	if d.schemaDir != "" {
		if err := mustExist("schema directory", d.schemaDir); err != nil {
			return nil, err
		}
		s, err := tables.ReadSchemaDir(d.schemaDir)
		if err != nil {
			return nil, err
		}
		schemas = s
	}

	cat := engine.NewCatalog()
	from := map[string]string{} // table name -> where it was loaded from
	for _, dir := range d.dirs {
		if err := mustExist("data directory", dir); err != nil {
			return nil, err
		}
		var skips []*skipped
		options := func(name string) tables.LoadOptions {
			s := &skipped{what: "table " + name + " in " + dir}
			skips = append(skips, s)
			return tables.LoadOptions{Schema: schemas[name], Hints: hints[name], Progress: loadProgress(),
				SkipBadRows: d.hook(s)}
		}
		ts, paths, err := tables.LoadDirTableFiles(dir, options) // every result of a Kusto response
		for _, s := range skips {
			d.reportSkips(s)
		}
		if err != nil {
			return nil, err
		}
		for i, t := range ts {
			if err := addOnce(cat, from, t, dir); err != nil {
				return nil, err
			}
			opts := options(tables.TableName(paths[i]))
			reportTable(d.report, t, paths[i], opts)
		}
	}
	for _, f := range d.files {
		if err := mustExist("table file", f.path); err != nil {
			return nil, err
		}
		// LoadTables: a Kusto response may hold several result tables.
		s := &skipped{what: f.path}
		opts := tables.LoadOptions{Name: f.name, Schema: schemas[f.name],
			Hints: hints[f.name], Format: f.format, Progress: loadProgress(), SkipBadRows: d.hook(s)}
		ts, err := tables.LoadTables(f.path, opts)
		d.reportSkips(s)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if err := addOnce(cat, from, t, f.path); err != nil {
				return nil, err
			}
			reportTable(d.report, t, f.path, opts)
		}
	}
	return cat, loadWorkspace(cat, d.ws, d.report)
}

// addOnce adds t to the catalog unless a table of that name was loaded
// already: two sources for one name are an error, never a silent choice.
func addOnce(cat *engine.Catalog, from map[string]string, t *tables.Table, src string) error {
	if prev, ok := from[t.Name]; ok {
		return fmt.Errorf("table %s is loaded twice: from %s and from %s; rename one with --table NAME=PATH", t.Name, prev, src)
	}
	from[t.Name] = src
	cat.Add(t)
	return nil
}

func mustExist(what, path string) error {
	_, err := os.Stat(path)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s %s: %w", what, path, pe.Err)
	}
	return err
}

// parseNow reads --now: RFC 3339, or any form datetime() accepts.
func parseNow(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if ticks, ok := tables.ParseDateTime(s); ok {
		return tables.TimeFromTicks(ticks), nil
	}
	return time.Time{}, usagef("--now %q: not a date and time (try 2025-11-03T10:00:00Z)", s)
}
