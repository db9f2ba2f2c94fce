package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

// tableArg is one --table NAME=PATH.
type tableArg struct {
	name, path string
}

// parseTableArgs reads the --table values. A bare PATH is allowed and names
// the table after the file as the loader does (events.json.gz is events).
func parseTableArgs(vals []string) ([]tableArg, error) {
	out := make([]tableArg, 0, len(vals))
	for _, v := range vals {
		name, path, ok := strings.Cut(v, "=")
		if !ok {
			path = v
			name = tables.TableName(v)
		}
		if name == "" || path == "" {
			return nil, usagef("--table %q: want NAME=PATH", v)
		}
		out = append(out, tableArg{name: name, path: path})
	}
	return out, nil
}

// dataSpec is where the tables come from.
type dataSpec struct {
	dirs      []string
	files     []tableArg
	schemaDir string
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
		return engine.NewCatalog(ts...), nil
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
	for _, dir := range d.dirs {
		if err := mustExist("data directory", dir); err != nil {
			return nil, err
		}
		ts, err := tables.LoadDirWith(dir, func(name string) tables.LoadOptions {
			return tables.LoadOptions{Schema: schemas[name], Hints: hints[name], Progress: loadProgress()}
		})
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			cat.Add(t)
		}
	}
	for _, f := range d.files {
		if err := mustExist("table file", f.path); err != nil {
			return nil, err
		}
		t, err := tables.LoadFile(f.path, tables.LoadOptions{Name: f.name, Schema: schemas[f.name], Hints: hints[f.name],
			Progress: loadProgress()})
		if err != nil {
			return nil, err
		}
		cat.Add(t)
	}
	return cat, nil
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
