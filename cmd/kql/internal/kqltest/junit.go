package kqltest

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// The JUnit XML shape that CI systems (Jenkins, GitLab, GitHub actions that
// publish test reports, Azure Pipelines) read: one testsuite per case file,
// one testcase per case, a failure element for FAIL and an error element for
// ERROR, each with a one-line message attribute and the diff as its text.

// JUnitSuites is the root element of a report.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is the cases of one file.
type JUnitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []JUnitCase `xml:"testcase"`
}

// JUnitCase is one case.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *JUnitProblem `xml:"failure"`
	Error     *JUnitProblem `xml:"error"`
}

// JUnitProblem is a failure or an error: its message and its details.
type JUnitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes results as a JUnit XML report, grouped by case file in
// the order the files were run.
func WriteJUnit(w io.Writer, results []Result, started time.Time) error {
	root := JUnitSuites{Name: "kql test"}
	index := map[string]int{}
	var total time.Duration
	var perSuite []time.Duration
	for _, res := range results {
		file := res.Case.File.Path
		i, ok := index[file]
		if !ok {
			i = len(root.Suites)
			index[file] = i
			root.Suites = append(root.Suites, JUnitSuite{Name: file,
				Timestamp: started.UTC().Format("2006-01-02T15:04:05")})
			perSuite = append(perSuite, 0)
		}
		s := &root.Suites[i]
		s.Cases = append(s.Cases, junitCase(res))
		s.Tests++
		root.Tests++
		switch res.Status {
		case Fail:
			s.Failures++
			root.Failures++
		case Error:
			s.Errors++
			root.Errors++
		}
		total += res.Duration
		perSuite[i] += res.Duration
	}
	for i, d := range perSuite {
		root.Suites[i].Time = seconds(d)
	}
	root.Time = seconds(total)

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCase(res Result) JUnitCase {
	c := JUnitCase{
		Name:      res.Case.Name,
		Classname: strings.TrimSuffix(res.Case.File.Path, Suffix),
		Time:      seconds(res.Duration),
		File:      res.Case.File.Path,
		Line:      res.Case.Line,
	}
	p := &JUnitProblem{Message: res.Message, Type: res.Status.String(), Text: unindent(res.Detail)}
	switch res.Status {
	case Fail:
		c.Failure = p
	case Error:
		c.Error = p
	}
	return c
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// unindent drops the four spaces the terminal report puts before detail
// lines.
func unindent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "    ")
	}
	return strings.Join(lines, "\n")
}
