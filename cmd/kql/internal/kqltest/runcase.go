package kqltest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// Status is the outcome of a case.
type Status int

// The outcomes. Fail means the query ran and did not meet the expectation;
// Error means the case could not be checked: the case is malformed, a file
// it names is missing, or the query failed when no error was expected.
const (
	Pass Status = iota
	Fail
	Error
)

// String returns the word the report prints for the status.
func (s Status) String() string {
	switch s {
	case Pass:
		return "PASS"
	case Fail:
		return "FAIL"
	}
	return "ERROR"
}

// Result is what became of one case.
type Result struct {
	Case     *Case
	Status   Status
	Duration time.Duration
	// Message says in one line why the case did not pass.
	Message string
	// Detail is the readable diff or error, lines indented by four spaces.
	Detail string
	// Table is the query's result when it ran; Err its error when it failed.
	Table *tables.Table
	Err   error

	query *Query
}

// Runner runs cases. It keeps the tables it loads for the cases after.
type Runner struct {
	// LoadQuery reads query_file; nil means LoadQueryFile.
	LoadQuery QueryLoader
	// Inline makes the Query of a case's inline query text; nil means
	// TextQuery.
	Inline func(name, text string) *Query
	// Limit caps the rows a diff shows per section; 0 shows all.
	Limit int
	// GeoIP is the --geoip table geo_info_from_ip_address reads; nil when
	// none was given.
	GeoIP *tables.GeoIP

	data *dataCache
}

// NewRunner returns a runner that reads query files with load (nil for
// LoadQueryFile).
func NewRunner(load QueryLoader) *Runner {
	return &Runner{LoadQuery: load, Limit: 20, data: newDataCache()}
}

// Run runs one case and checks its expectation.
func (r *Runner) Run(ctx context.Context, c *Case) Result {
	start := time.Now()
	res := r.run(ctx, c)
	res.Case = c
	res.Duration = time.Since(start)
	return res
}

func (r *Runner) run(ctx context.Context, c *Case) Result {
	if c.Err != nil {
		return errorResult(c.Err)
	}
	q, err := r.query(c)
	if err != nil {
		return errorResult(err)
	}
	now, err := c.now()
	if err != nil {
		return errorResult(err)
	}
	cat, err := r.data.catalog(c)
	if err != nil {
		return errorResult(err)
	}

	t, err := runGuarded(ctx, q.Text, cat, engine.Options{Now: now, GeoIP: r.GeoIP})
	res := Result{Table: t, Err: err, query: q}
	if err != nil {
		return r.judgeError(c, q, res)
	}
	if !c.Expect.any() {
		res.Status = Error
		res.Message = "nothing to check: the case has no expect rows, count, columns or error " +
			"(kql test --update writes them)"
		return res
	}
	return judge(res, checkResult(&c.Expect, t, r.Limit))
}

// judgeError decides a case whose query failed: it passes when that failure
// was expected, and is an error otherwise.
func (r *Runner) judgeError(c *Case, q *Query, res Result) Result {
	if want := c.Expect.Error; want != nil {
		return judge(res, checkError(want, q, res.Err))
	}
	res.Status = Error
	res.Message = "the query failed: " + firstLine(q.describe(res.Err))
	res.Detail = indent(q.describe(res.Err))
	return res
}

func judge(res Result, p *problems) Result {
	if p.ok() {
		res.Status = Pass
		return res
	}
	res.Status = Fail
	res.Message = p.summary()
	res.Detail = strings.TrimRight(p.detail.String(), "\n")
	return res
}

// any reports whether the expectation checks anything.
func (e *Expect) any() bool {
	return e.HasRows || e.Count != nil || e.HasColumns || e.Error != nil
}

func errorResult(err error) Result {
	return Result{Status: Error, Message: err.Error(), Err: err}
}

func (r *Runner) query(c *Case) (*Query, error) {
	if c.QueryFile == "" {
		if r.Inline != nil {
			return r.Inline("query", c.Query), nil
		}
		return TextQuery("query", c.Query), nil
	}
	load := r.LoadQuery
	if load == nil {
		load = LoadQueryFile
	}
	return load(c.path(c.QueryFile))
}

// runGuarded parses, binds and runs a query. A panic is a bug in kql; it
// fails this case rather than the whole run.
func runGuarded(ctx context.Context, text string, cat *engine.Catalog, opts engine.Options) (t *tables.Table, err error) {
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, fmt.Errorf("internal error: %v (please report this)", p)
		}
	}()
	script, err := parser.Parse(text)
	if err != nil {
		return nil, err
	}
	q, err := engine.Bind(script, cat, opts)
	if err != nil {
		return nil, err
	}
	return q.Run(ctx)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
