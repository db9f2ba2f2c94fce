package tables

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The benchmarks and the row-count test read data made by the generator in
// ../../shared/gen, built and run once per test binary into a temporary
// directory. Without ../shared they are skipped.

var genData struct {
	once sync.Once
	dir  string
	err  error
}

// generated returns the directory holding AIAgentsInfo.ndjson (20000 agents
// x 3 snapshots) and AIAgentsInfo.json (2000 x 3), with their IdentityInfo
// companions.
func generated(tb testing.TB) string {
	tb.Helper()
	src := filepath.Join("..", "..", "shared", "gen")
	if _, err := os.Stat(filepath.Join(src, "main.go")); err != nil {
		tb.Skip("skipping: ../../shared/gen is absent")
	}
	genData.once.Do(func() {
		genData.dir, genData.err = runGenerator(src)
	})
	if genData.err != nil {
		tb.Fatalf("generator: %v", genData.err)
	}
	return genData.dir
}

func runGenerator(src string) (string, error) {
	dir, err := os.MkdirTemp("", "kql-tables-gen")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "kqlgen")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return "", &DataError{Path: src, Msg: string(out)}
	}
	runs := [][]string{
		{"-agents", "20000", "-snapshots", "3", "-format", "ndjson", "-out", dir},
		{"-agents", "2000", "-snapshots", "3", "-format", "json", "-out", dir},
	}
	for _, args := range runs {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			return "", &DataError{Path: bin, Msg: string(out)}
		}
	}
	return dir, nil
}

// TestMain removes the generated data after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if genData.dir != "" {
		os.RemoveAll(genData.dir)
	}
	os.Exit(code)
}

func benchLoad(b *testing.B, file string, opts LoadOptions) {
	path := filepath.Join(generated(b), file)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := LoadFile(path, opts); err != nil {
			b.Fatal(err)
		}
	}
	// The machine may be shared: MB per CPU-second does not depend on what
	// else runs, and times GOMAXPROCS bounds the wall-clock speed.
	cpu := (cpuTime() - cpu0).Seconds()
	b.ReportMetric(float64(st.Size())*float64(b.N)/1e6/cpu, "MB/cpu-s")
}

// cpuTime returns the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func aiAgentsSchema(tb testing.TB) Schema {
	tb.Helper()
	path := filepath.Join("..", "..", "shared", "schemas", "AIAgentsInfo.json")
	_, s, err := ReadSchemaFile(path)
	if err != nil {
		tb.Skipf("skipping: %v", err)
	}
	return s
}

// BenchmarkLoadNDJSON loads 60000 AIAgentsInfo rows (about 320 MB) with
// inferred types.
func BenchmarkLoadNDJSON(b *testing.B) {
	benchLoad(b, "AIAgentsInfo.ndjson", LoadOptions{})
}

// BenchmarkLoadNDJSONSchema loads the same file with the published schema,
// which parses the JSON text of the dynamic columns.
func BenchmarkLoadNDJSONSchema(b *testing.B) {
	benchLoad(b, "AIAgentsInfo.ndjson", LoadOptions{Schema: aiAgentsSchema(b)})
}

// BenchmarkLoadNDJSONProjected decodes only the columns the flagship query
// reads besides the large detail columns.
func BenchmarkLoadNDJSONProjected(b *testing.B) {
	benchLoad(b, "AIAgentsInfo.ndjson", LoadOptions{
		Columns: []string{"Timestamp", "AIAgentId", "AIAgentName", "AgentStatus", "RegistrySource"},
	})
}

// BenchmarkLoadJSONArray loads 6000 rows held as one JSON array.
func BenchmarkLoadJSONArray(b *testing.B) {
	benchLoad(b, "AIAgentsInfo.json", LoadOptions{})
}
