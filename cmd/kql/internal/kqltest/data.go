package kqltest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

// dataCache keeps the tables one run has loaded, so that twenty cases over
// the same data directory read it once. The engine never changes a table,
// so cases can share them.
type dataCache struct {
	sample []*tables.Table
	hints  map[string]tables.Schema
	dirs   map[string][]*tables.Table // by data dir + schema dir
	files  map[string]*tables.Table   // by table name + file + schema dir
}

func newDataCache() *dataCache {
	return &dataCache{dirs: map[string][]*tables.Table{}, files: map[string]*tables.Table{}}
}

// usesSample reports whether a case names no data, and so runs over the
// built-in sample tables, as `kql run` does.
func (c *Case) usesSample() bool { return len(c.Tables) == 0 && len(c.Data) == 0 }

// catalog loads the tables of a case: the sample when it names none, else
// its data directories and then its tables (a later one replaces an earlier
// one of the same name). Known Sentinel tables are typed by their built-in
// schemas, as with `kql run`.
func (d *dataCache) catalog(c *Case) (*engine.Catalog, error) {
	if c.usesSample() {
		return d.sampleCatalog()
	}
	hints, err := d.sampleHints()
	if err != nil {
		return nil, err
	}
	var schemas map[string]tables.Schema
	if c.Schema != "" {
		if schemas, err = tables.ReadSchemaDir(c.schemaDir()); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
	}
	options := func(name string) tables.LoadOptions {
		return tables.LoadOptions{Name: name, Schema: schemas[name], Hints: hints[name]}
	}

	cat := engine.NewCatalog()
	for _, dir := range c.Data {
		ts, err := d.dir(c.path(dir), c.schemaDir(), options)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			cat.Add(t)
		}
	}
	for _, spec := range c.Tables {
		t, err := d.table(c, spec, options(spec.Name))
		if err != nil {
			return nil, err
		}
		cat.Add(t)
	}
	return cat, nil
}

// schemaDir is the case's schema directory, resolved, or "".
func (c *Case) schemaDir() string {
	if c.Schema == "" {
		return ""
	}
	return c.path(c.Schema)
}

// path resolves a path written in a case against the case file's directory.
func (c *Case) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir(), p)
}

func (d *dataCache) sampleCatalog() (*engine.Catalog, error) {
	if d.sample == nil {
		ts, err := sample.Tables()
		if err != nil {
			return nil, fmt.Errorf("loading the sample tables: %w", err)
		}
		d.sample = ts
	}
	return engine.NewCatalog(d.sample...), nil
}

func (d *dataCache) sampleHints() (map[string]tables.Schema, error) {
	if d.hints == nil {
		h, err := sample.Schemas()
		if err != nil {
			return nil, err
		}
		d.hints = h
	}
	return d.hints, nil
}

func (d *dataCache) dir(dir, schemaDir string, options func(string) tables.LoadOptions) ([]*tables.Table, error) {
	key := dir + "\x00" + schemaDir
	if ts, ok := d.dirs[key]; ok {
		return ts, nil
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, unwrapPath(err))
	}
	ts, err := tables.LoadDirWith(dir, options)
	if err != nil {
		return nil, err
	}
	d.dirs[key] = ts
	return ts, nil
}

// table loads one entry of a case's tables: a file (cached), or the inline
// rows, which are handed to the loader as JSON so that they are typed and
// checked exactly as a file would be.
func (d *dataCache) table(c *Case, spec TableSpec, opts tables.LoadOptions) (*tables.Table, error) {
	for _, col := range spec.Columns {
		t, ok := tables.ParseType(col.Type)
		if !ok {
			return nil, fmt.Errorf("table %s: column %s: unknown type %q", spec.Name, col.Name, col.Type)
		}
		opts.Schema = append(opts.Schema, tables.Field{Name: col.Name, Type: t})
	}
	if spec.Rows == nil {
		path := c.path(spec.Path)
		key := spec.Name + "\x00" + path + "\x00" + c.schemaDir() + "\x00" + fmt.Sprint(spec.Columns)
		if t, ok := d.files[key]; ok {
			return t, nil
		}
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("table %s: %s: %w", spec.Name, path, unwrapPath(err))
		}
		t, err := tables.LoadFile(path, opts)
		if err != nil {
			return nil, err
		}
		d.files[key] = t
		return t, nil
	}
	text, err := appendNodeJSON(nil, spec.Rows)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", spec.Name, err)
	}
	opts.Format = "json"
	where := fmt.Sprintf("%s (table %s)", c.File.Path, spec.Name)
	return tables.Load(bytes.NewReader(text), where, opts)
}

// now is the value of now() for a case: its `now` field, else the sample's
// reference time when it runs over the sample, else the zero time (the
// clock).
func (c *Case) now() (time.Time, error) {
	if c.Now == "" {
		if c.usesSample() {
			return sample.Now(), nil
		}
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, c.Now); err == nil {
		return t.UTC(), nil
	}
	if ticks, ok := tables.ParseDateTime(c.Now); ok {
		return tables.TimeFromTicks(ticks), nil
	}
	return time.Time{}, fmt.Errorf("now: %q is not a date and time (try 2025-11-10T00:00:00Z)", c.Now)
}
