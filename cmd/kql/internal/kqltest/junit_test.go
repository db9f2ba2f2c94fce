package kqltest

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeReport runs the report cases, which hold every outcome, and returns
// the path of their JUnit report.
func writeReport(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.xml")
	_, err := RunPaths(context.Background(), &bytes.Buffer{},
		[]string{"testdata/report.cases.yaml", "testdata/update.cases.yaml"}, Options{JUnit: path})
	require.NoError(t, err)
	return path
}

// TestJUnitSchema validates the report against testdata/junit.xsd, the
// shape CI systems read, with xmllint (apt install libxml2-utils). Without
// xmllint it is skipped; TestJUnitShape checks the same shape in Go.
func TestJUnitSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed")
	}
	path := writeReport(t)
	out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit.xsd", path).CombinedOutput()
	assert.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "validates")
}

// junitShape is what each element may hold and which attributes it must
// have, as testdata/junit.xsd says.
var junitShape = map[string]struct {
	children []string
	required []string
	counts   []string // attributes that are counts
	seconds  []string // attributes that are durations in seconds
}{
	"testsuites": {children: []string{"testsuite"}, counts: []string{"tests", "failures", "errors"}, seconds: []string{"time"}},
	"testsuite": {children: []string{"properties", "testcase", "system-out", "system-err"},
		required: []string{"name", "tests"}, counts: []string{"tests", "failures", "errors", "skipped"}, seconds: []string{"time"}},
	"testcase": {children: []string{"skipped", "failure", "error", "system-out", "system-err"},
		required: []string{"name", "classname"}, seconds: []string{"time"}},
	"failure": {required: []string{"message"}},
	"error":   {required: []string{"message"}},
	"skipped": {},
}

// TestJUnitShape walks the report element by element: the root is
// testsuites, every element sits where the shape lets it, carries its
// required attributes, and counts and times are numbers.
func TestJUnitShape(t *testing.T) {
	data, err := os.ReadFile(writeReport(t))
	require.NoError(t, err)
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []string
	seen := map[string]int{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		switch el := tok.(type) {
		case xml.StartElement:
			name := el.Name.Local
			seen[name]++
			if len(stack) == 0 {
				assert.Equal(t, "testsuites", name, "the root element")
			} else {
				parent := stack[len(stack)-1]
				assert.Contains(t, junitShape[parent].children, name, "<%s> inside <%s>", name, parent)
			}
			shape, known := junitShape[name]
			attrs := map[string]string{}
			for _, a := range el.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if known {
				for _, r := range shape.required {
					assert.Contains(t, attrs, r, "<%s> needs %s", name, r)
				}
				for _, c := range shape.counts {
					if v, ok := attrs[c]; ok {
						_, err := strconv.ParseUint(v, 10, 32)
						assert.NoError(t, err, "<%s %s=%q>", name, c, v)
					}
				}
				for _, s := range shape.seconds {
					if v, ok := attrs[s]; ok {
						_, err := strconv.ParseFloat(v, 64)
						assert.NoError(t, err, "<%s %s=%q>", name, s, v)
					}
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	assert.Equal(t, 1, seen["testsuites"])
	assert.Equal(t, 2, seen["testsuite"])
	assert.Positive(t, seen["testcase"])
	assert.Positive(t, seen["failure"])
	assert.Positive(t, seen["error"])
}
