// Package sample holds the built-in sample tables that kql queries when no
// data files are named: AIAgentsInfo, AgentsInfo, CloudAppEvents and
// IdentityInfo for a fictional Contoso tenant, with the columns and types of
// the Defender XDR advanced-hunting schemas.
//
// The data sits beside this file as JSON exports (dynamic columns are
// strings holding JSON text, as real exports write them) and is embedded
// into the binary. Tables decodes it through the same loader as user files,
// so the sample also exercises that path. README.md describes the agents
// and which branch of each hunting query they reach.
package sample

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	_ "embed" // the sample data is embedded

	"github.com/kql-offline/kql/tables"
)

// The data files and their schemas. flagship-want.json stays out of the
// binary: it is test data, not sample data.
var (
	//go:embed AIAgentsInfo.json
	aiAgentsInfo []byte
	//go:embed AIAgentsInfo.schema.json
	aiAgentsInfoSchema []byte
	//go:embed AgentsInfo.json
	agentsInfo []byte
	//go:embed AgentsInfo.schema.json
	agentsInfoSchema []byte
	//go:embed CloudAppEvents.json
	cloudAppEvents []byte
	//go:embed CloudAppEvents.schema.json
	cloudAppEventsSchema []byte
	//go:embed IdentityInfo.json
	identityInfo []byte
	//go:embed IdentityInfo.schema.json
	identityInfoSchema []byte
)

// file is one embedded table: its name, rows and schema.
type file struct {
	name         string
	data, schema []byte
}

// files lists the tables in the order Tables returns them.
var files = []file{
	{"AIAgentsInfo", aiAgentsInfo, aiAgentsInfoSchema},
	{"AgentsInfo", agentsInfo, agentsInfoSchema},
	{"CloudAppEvents", cloudAppEvents, cloudAppEventsSchema},
	{"IdentityInfo", identityInfo, identityInfoSchema},
}

// reference is the sample's "now": every Timestamp in the sample lies in
// the 30 days before it.
var reference = time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC)

// Now returns the sample's reference time, the default value of now() when
// the sample tables are queried, so that ago() windows select the same rows
// on every run, whatever the wall clock says.
func Now() time.Time { return reference }

// Tables decodes the sample tables. Each call returns fresh tables, so a
// caller may keep or change them without affecting another caller. An error
// means the embedded data and the loader disagree, which is a bug in kql.
func Tables() ([]*tables.Table, error) {
	out := make([]*tables.Table, 0, len(files))
	for _, f := range files {
		t, err := load(f)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// load decodes one embedded table with its declared schema.
func load(f file) (*tables.Table, error) {
	schema, err := parseSchema(f.schema)
	if err != nil {
		return nil, fmt.Errorf("sample %s schema: %w", f.name, err)
	}
	opts := tables.LoadOptions{Name: f.name, Schema: schema, Format: "json"}
	return tables.Load(bytes.NewReader(f.data), "sample/"+f.name+".json", opts)
}

// schemaFile is the layout of the embedded schema files, the same as the
// schema files a user passes to kql.
type schemaFile struct {
	Columns []struct {
		Name string `json:"name"`
		Type string `json:"type"`
	} `json:"columns"`
}

// parseSchema reads a schema file's columns. tables.ReadSchemaFile wants a
// path on disk, and the embedded files have none.
func parseSchema(b []byte) (tables.Schema, error) {
	var sf schemaFile
	if err := json.Unmarshal(b, &sf); err != nil {
		return nil, err
	}
	s := make(tables.Schema, 0, len(sf.Columns))
	for _, c := range sf.Columns {
		t, ok := tables.ParseType(c.Type)
		if !ok {
			return nil, fmt.Errorf("column %s: unknown type %q", c.Name, c.Type)
		}
		s = append(s, tables.Field{Name: c.Name, Type: t})
	}
	return s, nil
}

// Schemas returns the column names and types of the Defender XDR tables the
// sample holds (AIAgentsInfo, AgentsInfo, CloudAppEvents, IdentityInfo).
// kql applies them to user files of those names when no --schema says
// otherwise, so that exported text is typed as Kusto types it (an AIAgentId
// is a guid, a Timestamp a datetime) and queries group and compare as they
// do there.
func Schemas() (map[string]tables.Schema, error) {
	out := make(map[string]tables.Schema, len(files))
	for _, f := range files {
		s, err := parseSchema(f.schema)
		if err != nil {
			return nil, fmt.Errorf("sample %s schema: %w", f.name, err)
		}
		out[f.name] = s
	}
	return out, nil
}
