package queries

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
	"github.com/kql-offline/kql/tables/sample"
)

// readsClock matches the functions through which a query sees the time.
var readsClock = regexp.MustCompile(`(?i)\b(ago|now)\s*\(`)

// TestResultsDependOnlyOnOptionsNow shows that the reference time reaches a
// query only through engine.Options.Now: moving it (60 days back, a year on)
// changes the result of exactly the queries that call ago() or now(), and
// of no other.
// With TestGoldens (which pins Now to sample.Now()) and
// TestNoOtherClockReads, this makes the goldens hold on any day.
func TestResultsDependOnlyOnOptionsNow(t *testing.T) {
	cat := sampleCatalog(t)
	moves := []time.Time{sample.Now().AddDate(0, 0, -60), sample.Now().AddDate(1, 0, 0)}
	var changed, wantChanged []string
	for _, f := range queryFiles(t) {
		query := readQuery(t, f)
		pinned, err := run(t, query, cat, sample.Now())
		require.NoError(t, err, f)
		for _, now := range moves {
			moved, err := run(t, query, cat, now)
			require.NoError(t, err, f)
			if resultText(pinned) != resultText(moved) {
				changed = append(changed, f)
				break
			}
		}
		if readsClock.MatchString(query) {
			wantChanged = append(wantChanged, f)
		}
	}
	assert.Equal(t, wantChanged, changed,
		"the queries whose result moves with now() must be those that call ago() or now()")
	assert.Len(t, changed, 10, "the README marks 10 queries as comparing with now()")
}

// TestNoOtherClockReads fails when code that runs a query starts reading
// the wall clock anywhere but in the two defaults that Options.Now
// overrides: Bind's (engine/query.go, when Now is zero) and now()/ago()'s
// when compiled with no environment (functions/datetime.go, never the case
// under Bind). A new read would make results depend on the real date even
// with Now pinned.
func TestNoOtherClockReads(t *testing.T) {
	allowed := map[string]int{
		filepath.Join("..", "engine", "query.go"):       1,
		filepath.Join("..", "functions", "datetime.go"): 1,
	}
	clock := regexp.MustCompile(`\btime\.(Now|Since|Until)\(`)
	found := map[string]int{}
	for _, dir := range []string{"parser", "tables", "functions", "engine"} {
		err := filepath.WalkDir(filepath.Join("..", dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if n := len(clock.FindAll(src, -1)); n > 0 {
				found[path] = n
			}
			return nil
		})
		require.NoError(t, err)
	}
	assert.Equal(t, allowed, found)
}

// TestCLIRunsTheSampleAtSampleNow builds kql and runs the whole family on
// the built-in sample the way a user does, with no --now. The output must
// be the same as with --now set to sample.Now() and differ from a run a
// year later, and every result must equal the in-process one (the goldens').
// The machine's clock is not the sample's, so a CLI that fell back to it
// would fail here.
func TestCLIRunsTheSampleAtSampleNow(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "kql")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/kql").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	kql := func(args ...string) []byte {
		cmd := exec.Command(bin, append([]string{"run", "--format", "json"}, args...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "kql %v: %s", args, stderr.String())
		return stdout.Bytes()
	}
	byDefault := kql("ai-agents/")
	pinned := kql("--now", sample.Now().Format(time.RFC3339), "ai-agents/")
	assert.True(t, bytes.Equal(pinned, byDefault), "kql run without --now must print what --now %s prints", sample.Now().Format(time.RFC3339))
	later := kql("--now", sample.Now().AddDate(1, 0, 0).Format(time.RFC3339), "ai-agents/")
	assert.False(t, bytes.Equal(later, byDefault), "--now a year later must change the ago() queries' results")

	var results []struct {
		Query string           `json:"query"`
		Rows  int              `json:"rows"`
		Data  []map[string]any `json:"data"`
	}
	d := json.NewDecoder(bytes.NewReader(byDefault))
	d.UseNumber()
	require.NoError(t, d.Decode(&results))

	cat := sampleCatalog(t)
	var ran []string
	for _, r := range results {
		rel, err := filepath.Rel(".", r.Query)
		require.NoError(t, err)
		ran = append(ran, rel)
		res, err := run(t, readQuery(t, rel), cat, sample.Now())
		require.NoError(t, err, rel)
		assert.Equal(t, res.Rows(), r.Rows, rel)
		assertSameRows(t, rel, res, r.Data)
	}
	sort.Strings(ran)
	assert.Equal(t, queryFiles(t), ran, "the queries `kql run ai-agents/` runs")
}

// assertSameRows compares a result with rows decoded from kql's JSON
// output, as a multiset.
func assertSameRows(t *testing.T, name string, res *tables.Table, rows []map[string]any) {
	t.Helper()
	used := make([]bool, len(rows))
	for r := 0; r < res.Rows(); r++ {
		row := res.Row(r)
		match := -1
		for w, wr := range rows {
			if !used[w] && rowEquals(res.Schema, row, wr) {
				match = w
				break
			}
		}
		if match < 0 {
			t.Errorf("%s: kql run lacks row %s", name, rowJSON(res.Schema, row))
			continue
		}
		used[match] = true
	}
}
