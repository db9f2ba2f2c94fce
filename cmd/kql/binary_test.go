package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBinaryExitStatus builds the real binary and checks what the in-process
// tests cannot: the status the process exits with, and that a real stdout
// that is not a terminal gets untruncated output.
func TestBinaryExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "kql")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	cases := []struct {
		args       []string
		code       int
		stdout     string
		stderrHead string
	}{
		{[]string{"version"}, 0, "kql dev", ""},
		{[]string{}, 0, "kql runs Kusto Query Language queries", ""},
		{[]string{"run", "--bogus"}, 2, "", "kql: unknown flag: --bogus"},
		{[]string{"run", "-f", "xml", "-q", "print 1"}, 2, "", "kql: unknown format"},
		{[]string{"nope"}, 2, "", "kql: unknown command"},
		{[]string{"run", "testdata/nope.kql"}, 1, "", "kql: testdata/nope.kql: no such file"},
		{[]string{"run", "-q", "print x = nosuchcolumn"}, 1, "", "<query>:1:11: "},
		{[]string{"run", "-f", "csv", "-q", "print a = 1"}, 0, "a\n1\n", ""},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			cmd := exec.Command(bin, c.args...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, c.code, code, "stderr: %s", stderr.String())
			assert.Contains(t, stdout.String(), c.stdout)
			assert.True(t, strings.HasPrefix(stderr.String(), c.stderrHead), "stderr: %q", stderr.String())
			assert.NotContains(t, stderr.String(), "goroutine ", "no Go stack without --debug")
		})
	}
}
