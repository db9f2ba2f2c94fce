package queries

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables/sample"
)

// oracleColumn is one result column as Microsoft's analyser reports it.
type oracleColumn struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// readOracleColumns reads testdata/queries/oracle-columns.json: for each
// query, the result columns that Kusto.Language (../shared/oracle, run with
// --schemas ../shared/schemas) gives it. The README in that folder says how
// to regenerate the file.
func readOracleColumns(t *testing.T) map[string][]oracleColumn {
	data, err := os.ReadFile(filepath.Join(goldenDir, "oracle-columns.json"))
	require.NoError(t, err)
	var out map[string][]oracleColumn
	require.NoError(t, json.Unmarshal(data, &out))
	return out
}

// knownTypeDifferences lists the columns whose type kql gives differently
// from the analyser, with the reason. The key is "query\tcolumn". Names and
// order have no such list: they must match exactly.
var knownTypeDifferences = map[string]string{}

// TestOracleColumns checks, for every query, that kql's result column names
// and their order equal the analyser's, and that each column's type does too
// wherever the analyser gives a concrete type. The schema comes from Bind,
// so the check is about the query, not about the sample's rows.
func TestOracleColumns(t *testing.T) {
	oracle := readOracleColumns(t)
	files := queryFiles(t)
	cat := sampleCatalog(t)
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			want, ok := oracle[filepath.ToSlash(f)]
			require.True(t, ok, "%s is missing from oracle-columns.json", f)
			script, err := parser.Parse(readQuery(t, f))
			require.NoError(t, err)
			q, err := engine.Bind(script, cat, engine.Options{Now: sample.Now()})
			require.NoError(t, err)
			sch := q.Schema()

			wantNames := make([]string, len(want))
			for i, c := range want {
				wantNames[i] = c.Name
			}
			require.Equal(t, wantNames, sch.Names(), "column names and order")

			for i, c := range want {
				if c.Type == "unknown" {
					continue
				}
				got := sch[i].Type.String()
				if reason, ok := knownTypeDifferences[filepath.ToSlash(f)+"\t"+c.Name]; ok {
					assert.NotEqual(t, c.Type, got, "%s: now agrees with the analyser; drop it from knownTypeDifferences (%s)", c.Name, reason)
					continue
				}
				assert.Equal(t, c.Type, got, "type of %s", c.Name)
			}
		})
	}
	assert.Len(t, oracle, len(files), "oracle-columns.json names a query that is not here")
}

// TestOracleColumnsCoverEveryQuery guards the oracle file itself: every key
// is a query path that exists.
func TestOracleColumnsCoverEveryQuery(t *testing.T) {
	for path := range readOracleColumns(t) {
		_, err := os.Stat(filepath.FromSlash(path))
		assert.NoError(t, err, "oracle-columns.json names %s", path)
		assert.True(t, strings.HasPrefix(path, "ai-agents/"), path)
	}
}
