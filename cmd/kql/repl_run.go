package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// isIncomplete reports whether text stops in the middle of a query, so
// that the REPL should read another line. Another line helps only when the
// text followed by a line break is still unfinished: a quoted string left
// open cannot go on past the end of its line (only a ``` block can), so it
// is reported at once rather than after a line that cannot mend it.
func isIncomplete(text string) bool {
	if endsInBareLet(text) {
		return true // "let" alone parses as a name; its statement is to come
	}
	for _, t := range []string{text, text + "\n"} {
		_, err := parser.Parse(t)
		if err == nil || !parser.IsIncomplete(err) {
			return false
		}
	}
	return true
}

// endsInBareLet reports whether the last word of text is a let that starts
// a statement, with nothing after it yet.
func endsInBareLet(text string) bool {
	toks, open := scanTokens(text)
	n := len(toks)
	if open || n == 0 || toks[n-1].kind != tokIdent || toks[n-1].text != "let" {
		return false
	}
	return n == 1 || toks[n-2].is(";")
}

// submit handles one complete input: lets typed on their own are kept;
// anything else runs as a query after the kept lets.
func (s *session) submit(text string) {
	script, err := parser.Parse(text)
	if err != nil {
		s.a.printError(replSource(text), err)
		return
	}
	if onlyLets(script) {
		s.defineLets(text, script)
		return
	}
	s.runQuery(text)
}

// replSource is the typed text as errors point into it.
func replSource(text string) *querySource { return plainSource("query", text) }

func onlyLets(script *parser.Script) bool {
	if len(script.Stmts) == 0 {
		return false
	}
	for _, st := range script.Stmts {
		if _, ok := st.(*parser.LetStmt); !ok {
			return false
		}
	}
	return true
}

// letsPrefix is the kept lets as query text, each ending in ";\n".
func (s *session) letsPrefix() string {
	var b strings.Builder
	for _, l := range s.lets {
		b.WriteString(l.text)
		b.WriteString(";\n")
	}
	return b.String()
}

// defineLets keeps the let statements of text, after checking that they
// bind: a let that names a missing table or column is reported now rather
// than by every later query. A let whose name is kept already replaces it
// in place, so that lets defined after it and using it still follow it.
func (s *session) defineLets(text string, script *parser.Script) {
	next := append([]letDef(nil), s.lets...)
	var names []string
	for _, st := range script.Stmts {
		l := st.(*parser.LetStmt)
		d := letDef{name: l.Name.Name, text: strings.TrimSpace(text[l.Start:l.End])}
		names = append(names, d.name)
		replaced := false
		for i := range next {
			if next[i].name == d.name {
				next[i], replaced = d, true
			}
		}
		if !replaced {
			next = append(next, d)
		}
	}
	if err := s.checkLets(next, text, script); err != nil {
		return
	}
	s.lets = next
	fmt.Fprintf(s.a.stdout, "defined %s (.lets lists the lets kept)\n", strings.Join(names, ", "))
}

// checkLets binds the lets with a trivial query after them and prints the
// errors that point into the new text.
func (s *session) checkLets(lets []letDef, text string, script *parser.Script) error {
	var b strings.Builder
	for _, l := range lets {
		b.WriteString(l.text)
		b.WriteString(";\n")
	}
	b.WriteString("print 0")
	full := b.String()
	parsed, err := parser.Parse(full)
	if err == nil {
		_, err = engine.Bind(parsed, s.cat, s.opts)
	}
	if err == nil {
		return nil
	}
	// Point the errors at the typed text: find each new let in the full
	// text and shift the spans by its offset.
	s.printShifted(err, func(off int) (int, bool) {
		for _, st := range script.Stmts {
			l := st.(*parser.LetStmt)
			stmt := strings.TrimSpace(text[l.Start:l.End])
			at := strings.Index(full, stmt)
			if at >= 0 && off >= at && off <= at+len(stmt) {
				return l.Start + (off - at), true
			}
		}
		return 0, false
	}, text, full)
	return err
}

// printShifted prints err, whose spans are offsets into full, against text
// where toText maps an offset there; errors it cannot map are printed
// against full, named "lets".
func (s *session) printShifted(err error, toText func(int) (int, bool), text, full string) {
	var list parser.ErrorList
	if !errors.As(err, &list) {
		var one *parser.Error
		if !errors.As(err, &one) {
			s.a.printError(replSource(text), err)
			return
		}
		list = parser.ErrorList{one}
	}
	for _, e := range list {
		start, ok1 := toText(e.Span.Start)
		end, ok2 := toText(e.Span.End)
		if ok1 && ok2 {
			c := *e
			c.Span = parser.Span{Start: start, End: end}
			s.a.printError(replSource(text), &c)
			continue
		}
		s.a.printError(plainSource("lets", full), e)
	}
}

// runQuery runs text after the kept lets and prints its result.
func (s *session) runQuery(text string) {
	prefix := s.letsPrefix()
	full := prefix + text
	src := &querySource{name: "query", text: full, file: text, fileOffset: func(o int) int {
		return max(o-len(prefix), 0)
	}}
	t, elapsed, err := s.runCancellable(src)
	switch {
	case errors.Is(err, errCancelled):
		fmt.Fprintf(s.a.stderr, "query cancelled after %s\n", formatElapsed(elapsed))
		return
	case err != nil:
		if prefix == "" {
			s.a.printError(src, err)
			return
		}
		s.printShifted(err, func(off int) (int, bool) {
			return off - len(prefix), off >= len(prefix)
		}, text, full)
		return
	}
	s.last = t
	s.show(t, elapsed, renderKind(full))
}

// errCancelled says the user pressed Ctrl-C while the query ran.
var errCancelled = errors.New("query cancelled")

// graceAfterCancel is how long a cancelled query gets to stop before the
// prompt comes back without it.
const graceAfterCancel = 2 * time.Second

// progressDelay is how long a query runs before the REPL says it is
// running and how to stop it.
const progressDelay = 500 * time.Millisecond

// runCancellable runs the query in a goroutine, so that Ctrl-C (SIGINT,
// since the terminal is out of raw mode while a query runs) gets back to the
// prompt: it cancels the query's context, waits up to graceAfterCancel for
// the engine to notice, and then, or at a second Ctrl-C, leaves the query to
// finish in the background.
func (s *session) runCancellable(src *querySource) (*tables.Table, time.Duration, error) {
	ctx, cancelRun := context.WithCancel(s.ctx)
	ctx, cancelLimits := s.a.limits.queryContext(ctx) // --timeout, --max-memory (limits.go)
	cancel := func() { cancelRun(); cancelLimits() }
	defer cancel()
	drainSignals(s.interrupts)

	type result struct {
		t   *tables.Table
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		t, err := runGuarded(ctx, src, s.cat, s.opts)
		done <- result{t, err}
	}()

	progress := s.startProgress(start)
	defer progress.stop()
	select {
	case r := <-done:
		if r.err != nil && errors.Is(context.Cause(ctx), context.Canceled) {
			return nil, time.Since(start), errCancelled
		}
		return r.t, time.Since(start), r.err
	case <-s.interrupts:
	case <-ctx.Done(): // --timeout or --max-memory: the engine reports it, or else we do
		select {
		case r := <-done:
			return r.t, time.Since(start), r.err
		case <-time.After(stopGrace):
			return nil, time.Since(start), context.Cause(ctx)
		}
	}
	elapsed := time.Since(start)
	cancel()
	progress.stop()
	grace := time.NewTimer(graceAfterCancel)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		fmt.Fprintln(s.a.stderr, "the query is still stopping; it will finish in the background")
	case <-s.interrupts:
	}
	return nil, elapsed, errCancelled
}

func drainSignals[T any](ch chan T) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// progress is the "running..." line shown under a slow query.
type progress struct {
	quit chan struct{}
	done chan struct{}
}

// startProgress shows, once the query has run for progressDelay, how long
// it has been running and that Ctrl-C stops it, on stderr when that is a
// terminal.
func (s *session) startProgress(start time.Time) *progress {
	p := &progress{quit: make(chan struct{}), done: make(chan struct{})}
	if !isTerminal(s.a.stderr) {
		close(p.done)
		return p
	}
	go func() {
		defer close(p.done)
		timer := time.NewTimer(progressDelay)
		defer timer.Stop()
		select {
		case <-p.quit:
			return
		case <-timer.C:
		}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			fmt.Fprintf(s.a.stderr, "\r\033[Krunning %.1f s... (Ctrl-C to cancel)",
				time.Since(start).Seconds())
			select {
			case <-p.quit:
				fmt.Fprint(s.a.stderr, "\r\033[K")
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// stop ends the progress line and waits until it is erased. It may be
// called more than once.
func (p *progress) stop() {
	select {
	case <-p.quit:
	default:
		close(p.quit)
	}
	<-p.done
}

// show prints a result: at most maxRows rows, in the session's format,
// then a status line.
func (s *session) show(t *tables.Table, elapsed time.Duration, chart string) {
	var b bytes.Buffer
	shown := headRows(t, s.maxRows)
	switch s.format {
	case formatJSON:
		writeJSON(&b, shown)
	case formatJSONL:
		writeJSONL(&b, shown, "")
	case formatCSV:
		writeCSV(&b, shown)
	default:
		writeFitted(&b, shown, s.width())
	}
	if more := t.Rows() - shown.Rows(); more > 0 {
		fmt.Fprintf(&b, "... %s (.maxrows %d shows them all)\n", plural(more, "more row"), t.Rows())
	}
	status := rowCount(t.Rows())
	if s.timing {
		status += ", " + formatElapsed(elapsed)
	}
	if chart != "" {
		status += "; render " + chart + ": the rows, no chart"
	}
	fmt.Fprintf(&b, "(%s)\n", status)
	s.a.stdout.Write(b.Bytes())
}

// headRows returns the first n rows of t (all of them when n is 0).
func headRows(t *tables.Table, n int) *tables.Table {
	if n <= 0 || t.Rows() <= n || len(t.Columns) == 0 {
		return t
	}
	cols := make([]*tables.Column, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = c.Slice(0, n)
	}
	return tables.NewTable(t.Name, t.Schema, cols)
}

// maxHeaderWidth bounds the room writeFitted keeps for a column's header.
const maxHeaderWidth = 24

// maxWholeWidth bounds the width of a column that is never cut (see
// cutsBadly).
const maxWholeWidth = 30

// cutsBadly reports whether a column's values lose their meaning when cut:
// a number, a time or a duration cut short is another value, while a cut
// string or dynamic value still shows how it starts.
func cutsBadly(ty tables.Type) bool {
	return ty.IsNumeric() || ty == tables.DateTime || ty == tables.Timespan || ty == tables.Bool
}

// writeFitted writes the table format fitted to width cells: wide string
// and dynamic columns are narrowed, down to minColumnWidth, numbers, times
// and durations are kept whole, and the columns that still do not fit are
// left out and named on a last line, so that no line wraps.
func writeFitted(b *bytes.Buffer, t *tables.Table, width int) {
	if width <= 0 || len(t.Schema) == 0 {
		writeText(b, t, width)
		return
	}
	// Keep the columns whose least widths fit: a column keeps room for its
	// header (up to maxHeaderWidth) or its own width when narrower, so that
	// fewer columns are shown rather than many cut to a few letters.
	cells := textCells(t)
	widths := columnWidths(cells)
	least := make([]int, len(widths))
	keep, used := 0, 0
	for c, f := range t.Schema {
		least[c] = min(widths[c], max(minColumnWidth, min(textWidth(f.Name), maxHeaderWidth)))
		if cutsBadly(f.Type) {
			least[c] = max(least[c], min(widths[c], maxWholeWidth))
		}
		need := least[c]
		if c > 0 {
			need += len(gap)
		}
		if used+need > width {
			break
		}
		used += need
		keep++
	}
	if keep == 0 {
		// Not even the first column fits whole: show it, cut to the width.
		keep, least[0] = 1, min(least[0], width)
	}
	part := t
	if keep < len(t.Schema) {
		part = tables.NewTable(t.Name, t.Schema[:keep], t.Columns[:keep])
		for r := range cells {
			cells[r] = cells[r][:keep]
		}
		widths, least = widths[:keep], least[:keep]
	}
	fitWidthsAbove(widths, least, width)
	writeCells(b, part, cells, widths)
	if keep == len(t.Schema) {
		return
	}
	hidden := t.Schema.Names()[keep:]
	note := fmt.Sprintf("... %s not shown: %s (project picks columns)",
		plural(len(hidden), "more column"), strings.Join(hidden, ", "))
	b.WriteString(truncate(note, width))
	b.WriteByte('\n')
}

// formatElapsed prints a duration with three significant digits or so.
func formatElapsed(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return d.Truncate(time.Second).String()
}
