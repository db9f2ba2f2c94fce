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
	_, schema, err := tables.ReadSchemaFile(filepath.Join(schemaDir, "Events.json"))
	require.NoError(t, err)
	for _, file := range []string{"la-v1.json", "adx-v1.json", "adx-v2.json", "defender.json",
		"graph.json", "az.json", "portal.csv"} {
		t.Run(file, func(t *testing.T) {
			src := filepath.Join(formatsDir, file)
			want, err := tables.LoadFile(src, tables.LoadOptions{Name: "Events", Schema: schema})
			require.NoError(t, err)

			r := runCLI(t, "", "run", "--schema", schemaDir, "-t", "Events="+src, "-q", "Events", "--format", "json")
			require.Equal(t, 0, r.code, r.stderr)
			out := filepath.Join(t.TempDir(), "Events.json")
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
