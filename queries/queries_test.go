// Package queries holds upstream hunting queries, byte for byte, and the
// tests that run each of them.
package queries

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

const flagship = "ai-agents/Copilot_Studio_Connector/AIAgentsEmailExternalMailbox.yaml"

// flagshipColumns is the flagship's result schema as Microsoft's analyser
// reports it (../shared/oracle on the query with the tables' schemas): the
// project-reorder columns, the other AIAgentsInfo columns in table order,
// then the columns that mv-expand added in each leg.
func flagshipColumns(agents tables.Schema) []string {
	front := []string{"AgentCreationTime", "AIAgentId", "AIAgentName", "AgentStatus",
		"CreatorAccountUpn", "OwnerAccountUpns", "ToAddress", "Domain", "source", "MailConeector"}
	out := append([]string(nil), front...)
	if i := agents.Index("Timestamp"); i >= 0 {
		out = append(out, "Timestamp") // arg_max's column comes right after the by column
	}
	for _, f := range agents {
		if !contains(front, f.Name) && f.Name != "Timestamp" {
			out = append(out, f.Name)
		}
	}
	return append(out, "ActionDetail", "ActionInput", "TopicDetail", "TopicAction")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readQuery returns the KQL of a .kql file or of a Sentinel rule's query field.
func readQuery(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if strings.HasSuffix(path, ".kql") {
		return string(data)
	}
	var rule struct {
		Query string `yaml:"query"`
	}
	require.NoError(t, yaml.Unmarshal(data, &rule), path)
	require.NotEmpty(t, rule.Query, "%s has no query field", path)
	return rule.Query
}

func run(t *testing.T, query string, cat *engine.Catalog, now time.Time) (*tables.Table, error) {
	script, err := parser.Parse(query)
	if err != nil {
		return nil, err
	}
	q, err := engine.Bind(script, cat, engine.Options{Now: now})
	if err != nil {
		return nil, err
	}
	return q.Run(context.Background())
}

func sampleCatalog(t *testing.T) *engine.Catalog {
	ts, err := sample.Tables()
	require.NoError(t, err)
	return engine.NewCatalog(ts...)
}

// TestFlagshipFixtures runs the flagship over the edge fixtures in both
// storage forms of the dynamic columns and compares the whole result with
// testdata/flagship/want.json (see its README for why each row is there).
func TestFlagshipFixtures(t *testing.T) {
	query := readQuery(t, flagship)
	want := readWant(t, "../testdata/flagship/want.json")
	for _, form := range []string{"text", "nested"} {
		t.Run(form, func(t *testing.T) {
			schemas, err := sample.Schemas()
			require.NoError(t, err)
			// As kql run does: the known tables' schemas type the columns
			// the files have.
			ts, err := tables.LoadDirWith(filepath.Join("..", "testdata", "flagship", form),
				func(name string) tables.LoadOptions { return tables.LoadOptions{Hints: schemas[name]} })
			require.NoError(t, err)
			cat := engine.NewCatalog(ts...)
			res, err := run(t, query, cat, sample.Now())
			require.NoError(t, err)
			agents, _ := cat.Table("AIAgentsInfo")
			assertRows(t, res, flagshipColumns(agents.Schema), want)
		})
	}
}

// TestFlagshipSample runs the flagship over the built-in sample tables.
func TestFlagshipSample(t *testing.T) {
	cat := sampleCatalog(t)
	res, err := run(t, readQuery(t, flagship), cat, sample.Now())
	require.NoError(t, err)
	agents, _ := cat.Table("AIAgentsInfo")
	assertRows(t, res, flagshipColumns(agents.Schema), readWant(t, "../tables/sample/flagship-want.json"))
}

func readWant(t *testing.T, path string) []map[string]any {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var rows []map[string]any
	d := json.NewDecoder(strings.NewReader(string(data)))
	d.UseNumber()
	require.NoError(t, d.Decode(&rows))
	return rows
}

// assertRows checks the flagship's columns and compares the rows as a
// multiset, cell by cell.
func assertRows(t *testing.T, res *tables.Table, columns []string, want []map[string]any) {
	t.Helper()
	assert.Equal(t, columns, res.Schema.Names())
	require.Equal(t, len(want), res.Rows(), "row count")
	used := make([]bool, len(want))
	for r := 0; r < res.Rows(); r++ {
		row := res.Row(r)
		match := -1
		for w, wr := range want {
			if !used[w] && rowEquals(res.Schema, row, wr) {
				match = w
				break
			}
		}
		if match < 0 {
			t.Errorf("unexpected row %d: %s", r, rowJSON(res.Schema, row))
			continue
		}
		used[match] = true
	}
}

func rowEquals(sch tables.Schema, row []tables.Value, want map[string]any) bool {
	if len(want) != len(row) {
		return false
	}
	for i, f := range sch {
		w, ok := want[f.Name]
		if !ok || !tables.MatchJSON(row[i], w) {
			return false
		}
	}
	return true
}

func rowJSON(sch tables.Schema, row []tables.Value) string {
	parts := make([]string, len(row))
	for i, f := range sch {
		parts[i] = f.Name + "=" + tables.ToJSON(row[i])
	}
	return strings.Join(parts, ", ")
}

// TestEveryQueryRuns runs every upstream query in this folder over the
// built-in sample. A query listed in ../testdata/queries/known-failures.txt
// must fail (with the reason given there); every other one must run and
// return at least one row.
func TestEveryQueryRuns(t *testing.T) {
	known := readKnown(t)
	files := queryFiles(t)
	require.NotEmpty(t, files)
	cat := sampleCatalog(t)
	ok := 0
	for _, f := range files {
		res, err := run(t, readQuery(t, f), cat, sample.Now())
		_, listed := known[f]
		switch {
		case err != nil && !listed:
			t.Errorf("%s: %v", f, err)
		case err == nil && res.Rows() == 0 && !listed:
			t.Errorf("%s: returned no rows from the sample", f)
		case err == nil && res.Rows() > 0 && listed:
			t.Errorf("%s: now runs; remove it from the known failures", f)
		case err == nil && res.Rows() > 0:
			ok++
		}
	}
	t.Logf("%d of %d upstream queries run and return rows on the sample", ok, len(files))
}

// queryFiles lists the query files: .yaml, .yml and .kql, and the one
// upstream rule file that has no extension.
func queryFiles(t *testing.T) []string {
	var out []string
	err := filepath.WalkDir("ai-agents", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".yaml", ".yml", ".kql", "":
			out = append(out, path)
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(out)
	return out
}

func readKnown(t *testing.T) map[string]string {
	known := map[string]string{}
	data, err := os.ReadFile("../testdata/queries/known-failures.txt")
	if os.IsNotExist(err) {
		return known
	}
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		path, reason, _ := strings.Cut(line, "\t")
		known[path] = reason
	}
	return known
}
