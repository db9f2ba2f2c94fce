// Package bench holds kql's benchmark suite: go test -bench benchmarks for
// loading, the flagship query and a few generic query shapes, over data
// made by the shared generator. bench/run.sh times the whole program
// against the hand-written baseline; see BENCHMARKS.md.
//
// The data set is chosen with KQL_BENCH_SET (small, medium or large;
// default small): bench/out/data-SET when run.sh has generated it, else,
// for small only, a copy generated into a temporary directory from
// ../../shared/gen. Without either the benchmarks are skipped.
package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

const flagshipRule = "../queries/ai-agents/Copilot_Studio_Connector/AIAgentsEmailExternalMailbox.yaml"

// flagshipRows is the reference row count of the flagship per set
// (../shared/gen/README.md, seed 1).
var flagshipRows = map[string]int{"small": 20, "medium": 2747, "large": 8469}

var data struct {
	once sync.Once
	set  string
	dir  string
	tmp  string
	err  error
	skip string
}

// dataDir returns the directory of the chosen set, generating the small set
// when needed.
func dataDir(tb testing.TB) (set, dir string) {
	tb.Helper()
	data.once.Do(func() {
		data.set = os.Getenv("KQL_BENCH_SET")
		if data.set == "" {
			data.set = "small"
		}
		out := filepath.Join("out", "data-"+data.set)
		if _, err := os.Stat(filepath.Join(out, ".complete")); err == nil {
			data.dir = out
			return
		}
		if data.set != "small" {
			data.skip = "skipping: " + out + " is absent; bench/run.sh --sets " + data.set + " generates it"
			return
		}
		gen := filepath.Join("..", "..", "shared", "gen")
		if _, err := os.Stat(filepath.Join(gen, "main.go")); err != nil {
			data.skip = "skipping: ../../shared/gen is absent"
			return
		}
		data.tmp, data.err = os.MkdirTemp("", "kql-bench")
		if data.err == nil {
			data.dir = data.tmp
			data.err = generate(gen, data.tmp)
		}
	})
	if data.skip != "" {
		tb.Skip(data.skip)
	}
	require.NoError(tb, data.err)
	return data.set, data.dir
}

func generate(gen, dir string) error {
	bin := filepath.Join(dir, "kqlgen")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = gen
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the generator: %v\n%s", err, out)
	}
	run := exec.Command(bin, "-agents", "1000", "-snapshots", "3", "-identities", "1000", "-seed", "1",
		"-format", "ndjson", "-out", dir)
	if out, err := run.CombinedOutput(); err != nil {
		return fmt.Errorf("generating: %v\n%s", err, out)
	}
	return nil
}

// TestMain removes generated data after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if data.tmp != "" {
		os.RemoveAll(data.tmp)
	}
	os.Exit(code)
}

// loadOptions are the options kql run -d gives a table: the known schema
// as hints.
func loadOptions(tb testing.TB, name string) tables.LoadOptions {
	hints, err := sample.Schemas()
	require.NoError(tb, err)
	return tables.LoadOptions{Hints: hints[name]}
}

func loadTable(tb testing.TB, dir, name string) *tables.Table {
	t, err := tables.LoadFile(filepath.Join(dir, name+".ndjson"), loadOptions(tb, name))
	require.NoError(tb, err)
	return t
}

var loaded struct {
	once sync.Once
	cat  *engine.Catalog
}

// catalog returns the chosen set's tables, loaded once per process: the
// query benchmarks measure a query over tables already in memory, as the
// REPL runs it.
func catalog(tb testing.TB) *engine.Catalog {
	_, dir := dataDir(tb)
	loaded.once.Do(func() {
		loaded.cat = engine.NewCatalog(loadTable(tb, dir, "IdentityInfo"), loadTable(tb, dir, "AIAgentsInfo"))
	})
	return loaded.cat
}

func flagshipText(tb testing.TB) string {
	b, err := os.ReadFile(flagshipRule)
	require.NoError(tb, err)
	var rule struct{ Query string }
	require.NoError(tb, yaml.Unmarshal(b, &rule))
	return rule.Query
}

func run(tb testing.TB, cat *engine.Catalog, text string) *tables.Table {
	script, err := parser.Parse(text)
	require.NoError(tb, err)
	q, err := engine.Bind(script, cat, engine.Options{})
	require.NoError(tb, err)
	t, err := q.Run(context.Background())
	require.NoError(tb, err)
	return t
}

// The flagship gives the reference number of rows on the chosen set.
func TestFlagshipRows(t *testing.T) {
	set, _ := dataDir(t)
	res := run(t, catalog(t), flagshipText(t))
	require.Equal(t, flagshipRows[set], res.Rows())
}

func benchLoad(b *testing.B, name string) {
	_, dir := dataDir(b)
	path := filepath.Join(dir, name+".ndjson")
	st, err := os.Stat(path)
	require.NoError(b, err)
	b.SetBytes(st.Size())
	opts := loadOptions(b, name)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := tables.LoadFile(path, opts)
		require.NoError(b, err)
		b.ReportMetric(float64(t.Rows()), "rows")
	}
}

// BenchmarkLoadAIAgentsInfo loads the wide table with its large JSON
// columns (left in the file until a query reads them).
func BenchmarkLoadAIAgentsInfo(b *testing.B) { benchLoad(b, "AIAgentsInfo") }

// BenchmarkLoadIdentityInfo loads a narrow table of short values.
func BenchmarkLoadIdentityInfo(b *testing.B) { benchLoad(b, "IdentityInfo") }

// BenchmarkFlagshipParseBind parses and binds the flagship (the issue's
// target: under 1 ms).
func BenchmarkFlagshipParseBind(b *testing.B) {
	cat := catalog(b)
	text := flagshipText(b)
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		script, err := parser.Parse(text)
		require.NoError(b, err)
		_, err = engine.Bind(script, cat, engine.Options{})
		require.NoError(b, err)
	}
	// CPU time per parse and bind: steadier than the time per op on a
	// shared machine, where the wall clock counts time spent waiting.
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
}

// cpuTime returns the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchQuery(b *testing.B, text string) {
	cat := catalog(b)
	run(b, cat, text) // warm up and check it runs
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run(b, cat, text)
	}
}

// BenchmarkFlagship runs the flagship over tables already loaded.
func BenchmarkFlagship(b *testing.B) { benchQuery(b, flagshipText(b)) }

// BenchmarkFlagshipWithLoad loads both tables and runs the flagship, as
// kql run does (less process start-up and output).
func BenchmarkFlagshipWithLoad(b *testing.B) {
	_, dir := dataDir(b)
	text := flagshipText(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cat := engine.NewCatalog(loadTable(b, dir, "IdentityInfo"), loadTable(b, dir, "AIAgentsInfo"))
		run(b, cat, text)
	}
}

// BenchmarkREPLSummarize is the REPL target: a summarize over a table
// already loaded must be an order of magnitude faster than loading it.
func BenchmarkREPLSummarize(b *testing.B) {
	benchQuery(b, `AIAgentsInfo | summarize count() by AgentStatus`)
}

// BenchmarkFilter filters on two string columns.
func BenchmarkFilter(b *testing.B) {
	benchQuery(b, `AIAgentsInfo | where RegistrySource != "A365" and AgentStatus != "Deleted" | count`)
}

// BenchmarkSummarizeStringKey groups by a high-cardinality string.
func BenchmarkSummarizeStringKey(b *testing.B) {
	benchQuery(b, `AIAgentsInfo | summarize n = count(), last = max(Timestamp) by CreatorAccountUpn | count`)
}

// BenchmarkJoin joins the latest snapshot of each agent with its creator's
// identity.
func BenchmarkJoin(b *testing.B) {
	benchQuery(b, `AIAgentsInfo
		| summarize arg_max(Timestamp, CreatorAccountUpn) by AIAgentId
		| join kind=inner (IdentityInfo | project CreatorAccountUpn = AccountUpn, Department) on CreatorAccountUpn
		| count`)
}

// BenchmarkMvExpand expands a dynamic column (read back from the file) and
// groups by a member of its elements.
func BenchmarkMvExpand(b *testing.B) {
	benchQuery(b, `AIAgentsInfo
		| mv-expand Tool = AgentToolsDetails
		| summarize count() by Op = tostring(Tool.action.operationId)`)
}
