package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWorkspaceFlagsInREPLAndDiff checks that kql repl and kql diff take
// the watchlists and stored functions as kql run does.
func TestWorkspaceFlagsInREPLAndDiff(t *testing.T) {
	ws := []string{"-t", eventsArg, "--watchlists", filepath.Join(wsDir, "watchlists"),
		"--functions", filepath.Join(wsDir, "functions")}
	t.Setenv(historyEnv, "none")
	r := runCLI(t, ".format csv\nAdminEvents() | count\n",
		append([]string{"repl"}, ws...)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Count\n2\n")
	assert.Empty(t, r.stderr)

	dir := t.TempDir()
	old := writeFile(t, dir, "old.kql", "AdminEvents() | project Account\n")
	new := writeFile(t, dir, "new.kql", "AdminEvents() | project Account | where Account startswith 'bob'\n")
	r = runCLI(t, "", append([]string{"diff", old, new}, ws...)...)
	assert.Equal(t, 1, r.code, r.stderr)
	assert.Contains(t, r.stdout, "OLD: 2 rows, NEW: 1 row; 1 only in OLD")
}
