package kqltest

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of this package")

// times matches the per-case times of a report, which vary between runs.
var times = regexp.MustCompile(`\(\d+\.\d\ds\)`)

// golden compares got with a file under testdata, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

// TestReportGolden runs one case of each outcome and compares the whole
// report, diff text included, with testdata/report.golden.
func TestReportGolden(t *testing.T) {
	var out bytes.Buffer
	sum, err := RunPaths(context.Background(), &out, []string{"testdata/report.cases.yaml"}, Options{})
	require.NoError(t, err)
	assert.Equal(t, 1, sum.Passed)
	assert.Equal(t, 16, sum.Failed)
	assert.False(t, sum.OK(false))

	report := times.ReplaceAll(out.Bytes(), []byte("(TIME)"))
	golden(t, "report.golden", report)
	assert.True(t, strings.HasSuffix(string(report), "\n1 passed, 16 failed\n"),
		"the last line is the summary")

	statuses := map[string]Status{}
	for _, r := range sum.Results {
		statuses[r.Case.Name] = r.Status
	}
	assert.Equal(t, Pass, statuses["passes, with the comparison rules"])
	assert.Equal(t, Fail, statuses["a changed cell"])
	assert.Equal(t, Fail, statuses["an error that does not happen"])
	assert.Equal(t, Error, statuses["a query that fails"])
	assert.Equal(t, Error, statuses["a misspelt field"])
}

// TestRunSelects checks --run: only matching cases run, and a pattern that
// matches none warns.
func TestRunSelects(t *testing.T) {
	var out bytes.Buffer
	sum, err := RunPaths(context.Background(), &out, []string{"testdata/report.cases.yaml"},
		Options{Run: regexp.MustCompile(`^(passes|a changed cell)`)})
	require.NoError(t, err)
	assert.Equal(t, 1, sum.Passed)
	assert.Equal(t, 1, sum.Failed)

	out.Reset()
	sum, err = RunPaths(context.Background(), &out, []string{"testdata/report.cases.yaml"},
		Options{Run: regexp.MustCompile(`no such case`)})
	require.NoError(t, err)
	assert.Empty(t, sum.Results)
	assert.Equal(t, "warning: no case matches --run \"no such case\"\n0 passed, 0 failed\n", out.String())
}

func TestNoCaseFiles(t *testing.T) {
	_, err := RunPaths(context.Background(), &bytes.Buffer{}, []string{t.TempDir()}, Options{})
	require.ErrorIs(t, err, ErrNoCases)
	_, err = RunPaths(context.Background(), &bytes.Buffer{}, []string{"testdata/nope"}, Options{})
	require.EqualError(t, err, "testdata/nope: no such file or directory")
}

// TestUpdateRoundTrip runs --update over copies of two case files, compares
// the rewritten files with their goldens (only the failing cases'
// expectations change), and runs them again: every case passes.
func TestUpdateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	names := []string{"update", "update-docs"}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", n+".cases.yaml"))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, n+Suffix), data, 0o644))
	}

	var out bytes.Buffer
	sum, err := RunPaths(context.Background(), &out, []string{dir}, Options{Update: true})
	require.NoError(t, err)
	assert.Equal(t, 1, sum.Passed)
	assert.Equal(t, 7, sum.Failed)
	assert.True(t, sum.OK(true), "every failing case was updatable")
	assert.Len(t, sum.Updated, 2)

	for _, n := range names {
		got, err := os.ReadFile(filepath.Join(dir, n+Suffix))
		require.NoError(t, err)
		golden(t, n+".golden.yaml", got)
	}

	out.Reset()
	sum, err = RunPaths(context.Background(), &out, []string{dir}, Options{})
	require.NoError(t, err)
	assert.Equal(t, 8, sum.Passed, out.String())
	assert.Equal(t, 0, sum.Failed)
}

// TestUpdateLeavesErrorsAlone checks that a case that cannot run is not
// rewritten and makes --update fail.
func TestUpdateLeavesErrorsAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x"+Suffix)
	text := "name: broken\ntables: {T: missing.json}\nquery: T\nexpect: {count: 1}\n"
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	sum, err := RunPaths(context.Background(), &bytes.Buffer{}, []string{dir}, Options{Update: true})
	require.NoError(t, err)
	assert.False(t, sum.OK(true))
	assert.Empty(t, sum.Updated)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, text, string(got))
}

// The JUnit shape CI systems read, declared here independently of the
// writer's types so that the test checks the XML, not the structs.
type xmlSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Suites   []xmlSuite `xml:"testsuite"`
}

type xmlSuite struct {
	Name     string    `xml:"name,attr"`
	Tests    int       `xml:"tests,attr"`
	Failures int       `xml:"failures,attr"`
	Errors   int       `xml:"errors,attr"`
	Time     string    `xml:"time,attr"`
	Cases    []xmlCase `xml:"testcase"`
}

type xmlCase struct {
	Name      string      `xml:"name,attr"`
	Classname string      `xml:"classname,attr"`
	Time      string      `xml:"time,attr"`
	Failure   *xmlProblem `xml:"failure"`
	Error     *xmlProblem `xml:"error"`
}

type xmlProblem struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// TestJUnitReport writes the report of every outcome as JUnit XML, reads it
// back and checks the counts, the names and the failure messages.
func TestJUnitReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.xml")
	sum, err := RunPaths(context.Background(), &bytes.Buffer{},
		[]string{"testdata/report.cases.yaml", "testdata/update.cases.yaml"}, Options{JUnit: path})
	require.NoError(t, err)

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)))
	var doc xmlSuites
	require.NoError(t, xml.Unmarshal(data, &doc))

	require.Len(t, doc.Suites, 2)
	assert.Equal(t, len(sum.Results), doc.Tests)
	assert.Equal(t, sum.Failed, doc.Failures+doc.Errors)
	report := doc.Suites[0]
	assert.Equal(t, "testdata/report.cases.yaml", report.Name)
	assert.Equal(t, 17, report.Tests)
	assert.Equal(t, 12, report.Failures)
	assert.Equal(t, 4, report.Errors)
	assert.Equal(t, doc.Failures, report.Failures+doc.Suites[1].Failures)

	byName := map[string]xmlCase{}
	for _, c := range report.Cases {
		byName[c.Name] = c
		assert.Equal(t, "testdata/report.cases.yaml", c.Classname)
		_, err := strconv.ParseFloat(c.Time, 64)
		assert.NoError(t, err, "time of %s", c.Name)
	}
	pass := byName["passes, with the comparison rules"]
	assert.Nil(t, pass.Failure)
	assert.Nil(t, pass.Error)

	changed := byName["a changed cell"]
	require.NotNil(t, changed.Failure)
	assert.Equal(t, "rows differ: 1 changed", changed.Failure.Message)
	assert.Contains(t, changed.Failure.Text, `Dept: "Ops" → "ops"`)

	failed := byName["a query that fails"]
	require.NotNil(t, failed.Error)
	assert.Contains(t, failed.Error.Message, "the query failed: query:1:22: expected an expression after 'by'")
}
