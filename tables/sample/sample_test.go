package sample

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

func loadAll(t *testing.T) map[string]*tables.Table {
	t.Helper()
	ts, err := Tables()
	require.NoError(t, err)
	out := map[string]*tables.Table{}
	for _, tb := range ts {
		out[tb.Name] = tb
	}
	return out
}

func TestTablesRowsAndOrder(t *testing.T) {
	ts, err := Tables()
	require.NoError(t, err)
	var names []string
	rows := map[string]int{}
	for _, tb := range ts {
		names = append(names, tb.Name)
		rows[tb.Name] = tb.Rows()
	}
	assert.Equal(t, []string{"AIAgentsInfo", "AgentsInfo", "CloudAppEvents", "IdentityInfo"}, names)
	assert.Equal(t, map[string]int{
		"AIAgentsInfo": 32, "AgentsInfo": 10, "CloudAppEvents": 7, "IdentityInfo": 12,
	}, rows)
}

// The loader must not add columns: every key in the data is a schema column.
func TestTablesKeepDeclaredSchema(t *testing.T) {
	for _, f := range files {
		want, err := parseSchema(f.schema)
		require.NoError(t, err)
		tb := loadAll(t)[f.name]
		assert.Equal(t, want, tb.Schema, f.name)
	}
}

// The schemas are copies of the project's reference schemas (names and
// types only).
func TestSchemasMatchShared(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "schemas")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("reference schemas not available: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.name+".json"))
		require.NoError(t, err)
		want, err := parseSchema(b)
		require.NoError(t, err)
		got, err := parseSchema(f.schema)
		require.NoError(t, err)
		assert.Equal(t, want, got, f.name)
	}
}

func TestNow(t *testing.T) {
	assert.Equal(t, time.Date(2025, 11, 10, 0, 0, 0, 0, time.UTC), Now())
}

// Every Timestamp lies in the 30 days before Now, so ago(30d) selects the
// same rows on any day; one CloudAppEvents row is deliberately older.
func TestTimestampsWithinThirtyDays(t *testing.T) {
	now := tables.TicksFromTime(Now())
	from := tables.TicksFromTime(Now().Add(-30 * 24 * time.Hour))
	outside := map[string]int{}
	for name, tb := range loadAll(t) {
		col := tb.Columns[tb.Schema.Index("Timestamp")]
		for i := 0; i < tb.Rows(); i++ {
			v := col.Value(i)
			require.False(t, v.IsNull(), "%s row %d", name, i)
			assert.Less(t, v.Int64(), now, "%s row %d", name, i)
			if v.Int64() <= from {
				outside[name]++
			}
		}
	}
	assert.Equal(t, map[string]int{"CloudAppEvents": 1}, outside)
}

// Dynamic columns are stored as JSON text inside strings; loading them with
// the dynamic type must give navigable values, or todynamic() in the
// hunting queries would see a plain string.
func TestDynamicTextIsParsed(t *testing.T) {
	tb := loadAll(t)["AIAgentsInfo"]
	name := tb.Columns[tb.Schema.Index("AIAgentName")]
	ts := tb.Columns[tb.Schema.Index("Timestamp")]
	tools := tb.Columns[tb.Schema.Index("AgentToolsDetails")]
	want := tables.TicksFromTime(time.Date(2025, 11, 8, 7, 0, 0, 0, time.UTC))
	found := false
	for i := 0; i < tb.Rows(); i++ {
		if name.Value(i).Str() != "Travel Desk" || ts.Value(i).Int64() != want {
			continue
		}
		found = true
		v := tools.Value(i)
		require.Equal(t, tables.DynArray, v.DynKind())
		op := v.Index(0).Member("action").Member("operationId")
		assert.Equal(t, "SendEmailV2", op.String())
	}
	assert.True(t, found, "Travel Desk snapshot of 2025-11-08 missing")
}

// flagship-want.json is computed from this data by a reference
// implementation; each of its rows must name a snapshot that exists.
func TestFlagshipWantNamesSampleRows(t *testing.T) {
	b, err := os.ReadFile("flagship-want.json")
	require.NoError(t, err)
	var want []map[string]any
	require.NoError(t, json.Unmarshal(b, &want))
	require.Len(t, want, 10)

	tb := loadAll(t)["AIAgentsInfo"]
	ids := tb.Columns[tb.Schema.Index("AIAgentId")]
	ts := tb.Columns[tb.Schema.Index("Timestamp")]
	have := map[string]bool{}
	for i := 0; i < tb.Rows(); i++ {
		have[ids.Value(i).String()+" "+ts.Value(i).String()] = true
	}
	for _, row := range want {
		when, err := time.Parse(time.RFC3339Nano, row["Timestamp"].(string))
		require.NoError(t, err)
		key := row["AIAgentId"].(string) + " " +
			tables.NewDateTime(tables.TicksFromTime(when)).String()
		assert.True(t, have[key], "no snapshot %s", key)
	}
}
