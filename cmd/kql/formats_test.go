package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

var formatsDir = filepath.Join("..", "..", "tables", "testdata", "formats")

// TestFormatsRoundTrip loads each export fixture through the CLI, writes it
// with --format json, and loads that output back: the table must be the
// one the fixture loads to, types and values.
func TestFormatsRoundTrip(t *testing.T) {
	schemaDir := filepath.Join(formatsDir, "schema")
	for _, file := range []string{"la-v1.json", "adx-v1.json", "adx-v2.json", "defender.json",
		"graph.json", "az.json", "portal.csv", "signins/la-v1.json", "signins/defender.json",
		"signins/az.json", "signins/portal.csv"} {
		t.Run(file, func(t *testing.T) {
			name := "Events"
			if filepath.Dir(file) == "signins" {
				name = "Signins"
			}
			_, schema, err := tables.ReadSchemaFile(filepath.Join(schemaDir, name+".json"))
			require.NoError(t, err)
			src := filepath.Join(formatsDir, file)
			want, err := tables.LoadFile(src, tables.LoadOptions{Name: name, Schema: schema})
			require.NoError(t, err)

			r := runCLI(t, "", "run", "--schema", schemaDir, "-t", name+"="+src, "-q", name, "--format", "json")
			require.Equal(t, 0, r.code, r.stderr)
			out := filepath.Join(t.TempDir(), name+".json")
			require.NoError(t, os.WriteFile(out, []byte(r.stdout), 0o644))
			got, err := tables.LoadFile(out, tables.LoadOptions{Schema: schema})
			require.NoError(t, err)
			assert.Equal(t, want.Schema, got.Schema)
			require.Equal(t, want.Rows(), got.Rows())
			for i := 0; i < want.Rows(); i++ {
				assert.Equal(t, want.Row(i), got.Row(i), "row %d", i)
			}
		})
	}
}

func TestTableFlagForcesFormat(t *testing.T) {
	args, err := parseTableArgs([]string{"E=v1:a.json", "defender:b.json.gz", `W=C:\x.json`, "c.csv"})
	require.NoError(t, err)
	assert.Equal(t, []tableArg{
		{name: "E", path: "a.json", format: tables.FormatKustoV1},
		{name: "b", path: "b.json.gz", format: tables.FormatDefender},
		{name: "W", path: `C:\x.json`},
		{name: "c", path: "c.csv"},
	}, args)

	// Forcing plain csv on a portal export keeps its header as written.
	r := runCLI(t, "", "run", "-t", "E=csv:"+filepath.Join(formatsDir, "portal.csv"),
		"-q", "E | getschema | take 1 | project ColumnName")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "TimeGenerated [UTC]")
}

func TestVerboseSaysWhichTypesWereInferred(t *testing.T) {
	schemaDir := filepath.Join(formatsDir, "schema")
	la := filepath.Join(formatsDir, "la-v1.json")
	portal := filepath.Join(formatsDir, "signins", "portal.csv")
	r := runCLI(t, "", "run", "-v", "--schema", schemaDir, "-t", "Events="+la, "-t", "P="+portal,
		"-t", "S="+filepath.Join(formatsDir, "signins", "az.json"), "-q", "print 1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "kql: table Events: 3 rows, 8 columns from "+la+" (kusto-v1); 8 typed by the file\n"+
		"kql: table P: 2 rows, 8 columns from "+portal+" (portal-csv); 1 typed by its [UTC] header; "+
		"7 inferred: UserPrincipalName:string, ResultType:long, IPAddress:string, RiskScore:long, "+
		"TrustLevel:real, DeviceDetail:string, IsInteractive:bool\n"+
		"kql: table S: 2 rows, 8 columns from "+filepath.Join(formatsDir, "signins", "az.json")+" (az); "+
		"8 inferred: DeviceDetail:dynamic, IPAddress:string, IsInteractive:bool, ResultType:long, "+
		"RiskScore:long, TimeGenerated:datetime, TrustLevel:real, UserPrincipalName:string\n", r.stderr)

	// The same files typed by a schema infer nothing.
	r = runCLI(t, "", "run", "-v", "--schema", schemaDir, "-t", "Signins="+portal, "-q", "print 1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "(portal-csv); 8 typed by --schema\n")
}
