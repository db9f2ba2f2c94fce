package queries

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
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
// --schemas ../shared/schemas) gives it. TestRegenerateOracleColumns
// rewrites it.
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
// wherever the analyser gives a concrete type. The schema comes from Bind
// (and the run's result must have the same), so the check is about the
// query, not about the sample's rows.
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
			res, err := q.Run(context.Background())
			require.NoError(t, err)
			require.Equal(t, sch.String(), res.Schema.String(), "the result's schema is the bound one")

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

var oracleDir = flag.String("oracle", "", "`DIR` of an installed ../shared/oracle copy: rewrite oracle-columns.json from Microsoft's analyser")

// TestRegenerateOracleColumns rewrites oracle-columns.json by asking the
// oracle (see ../../shared/oracle/README.md) for every query's result
// columns, with the reference table schemas. It runs only with -oracle DIR:
//
//	d=$(mktemp -d) && cp -r ../shared/oracle/. "$d" && (cd "$d" && npm ci)
//	go test ./queries -run TestRegenerateOracleColumns -oracle "$d"
func TestRegenerateOracleColumns(t *testing.T) {
	if *oracleDir == "" {
		t.Skip("needs -oracle DIR (an installed copy of ../shared/oracle)")
	}
	schemas := filepath.Join("..", "..", "shared", "schemas")
	var req bytes.Buffer
	files := queryFiles(t)
	for _, f := range files {
		line, err := json.Marshal(map[string]string{"id": filepath.ToSlash(f), "query": readQuery(t, f)})
		require.NoError(t, err)
		req.Write(append(line, '\n'))
	}
	cmd := exec.Command("node", filepath.Join(*oracleDir, "kqlcheck.js"), "--schemas", schemas)
	cmd.Stdin = &req
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "oracle: %s", stderr.String())

	cols := map[string][]oracleColumn{}
	d := json.NewDecoder(bytes.NewReader(out))
	for d.More() {
		var r struct {
			ID             string            `json:"id"`
			Error          string            `json:"error"`
			SyntaxErrors   []json.RawMessage `json:"syntax_errors"`
			SemanticErrors []json.RawMessage `json:"semantic_errors"`
			ResultColumns  []oracleColumn    `json:"result_columns"`
		}
		require.NoError(t, d.Decode(&r))
		require.Empty(t, r.Error, r.ID)
		require.Empty(t, r.SyntaxErrors, r.ID)
		require.Empty(t, r.SemanticErrors, r.ID)
		require.NotEmpty(t, r.ResultColumns, r.ID)
		cols[r.ID] = r.ResultColumns
	}
	require.Len(t, cols, len(files))
	require.NoError(t, os.WriteFile(filepath.Join(goldenDir, "oracle-columns.json"), oracleJSON(cols), 0o644))
}

// oracleJSON writes the columns one per line, queries sorted, so that a
// change of the analyser's answer shows as a readable diff.
func oracleJSON(cols map[string][]oracleColumn) []byte {
	keys := make([]string, 0, len(cols))
	for k := range cols {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, k := range keys {
		fmt.Fprintf(&b, "  %s: [\n", jsonString(k))
		for j, c := range cols[k] {
			fmt.Fprintf(&b, "    {\"name\": %s, \"type\": %s}", jsonString(c.Name), jsonString(c.Type))
			if j < len(cols[k])-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("  ]")
		if i < len(keys)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func jsonString(s string) string {
	out, _ := json.Marshal(s)
	return string(out)
}
