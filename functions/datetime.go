package functions

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/kql-offline/kql/tables"
)

// Datetimes are ticks since the Unix epoch (tables.TimeFromTicks). Where
// Kusto aligns to its own epoch, 0001-01-01 (bin's week-sized bins), the
// .NET offset epochTicks is applied.

func init() {
	Register(&Func{
		Name: "now", Kind: Scalar, Params: params(opt("offset", SpanOnly)),
		Result: Fixed(tables.DateTime), Compile: compileNow(1),
		Doc: "The query's start time (fixed for the whole query), plus an optional offset.",
	})
	Register(&Func{
		Name: "ago", Kind: Scalar, Params: params(req("timespan", SpanOnly)),
		Result: Fixed(tables.DateTime), Compile: compileNow(-1),
		Doc: "now() minus the timespan.",
	})
	Register(&Func{
		Name: "bin", Aliases: []string{"floor"}, Kind: Scalar,
		Params: params(req("value", NumOrTime), req("roundTo", NumOrSpan)),
		Result: binResult, Compile: compileBin(false),
		Doc: "Rounds down to a multiple of roundTo (numbers, timespans, datetimes).",
	})
	Register(&Func{
		Name: "bin_at", Kind: Scalar,
		Params: params(req("value", NumOrTime), req("bin_size", NumOrSpan), req("fixed_point", NumOrTime)),
		Result: binResult, Compile: compileBin(true),
		Doc: "Like bin, with bins aligned so that fixed_point starts one.",
	})
	scalar("datetime_diff", params(konst(req("period", Text)), req("datetime1", DateOnly),
		req("datetime2", DateOnly)), Fixed(tables.Long),
		"datetime1 - datetime2 counted in calendar periods (year ... nanosecond).", datetimeDiff)
	scalar("datetime_add", params(konst(req("period", Text)), req("amount", Integer),
		req("datetime", DateOnly)), Fixed(tables.DateTime),
		"Adds amount periods (year ... nanosecond) to a datetime.", datetimeAdd)
	scalar("datetime_part", params(konst(req("part", Text)), req("datetime", DateOnly)),
		Fixed(tables.Long), "One part of a datetime: year, quarter, month, week_of_year, day, ...",
		datetimePart, "datepart")

	registerBoundary("startofday", "Start of the day, shifted by offset days.", startOfDay)
	registerBoundary("startofweek", "Start of the week (Sunday), shifted by offset weeks.", startOfWeek)
	registerBoundary("startofmonth", "Start of the month, shifted by offset months.", startOfMonth)
	registerBoundary("startofyear", "Start of the year, shifted by offset years.", startOfYear)
	registerBoundary("endofday", "Last tick of the day, shifted by offset days.", endOf(startOfDay))
	registerBoundary("endofweek", "Last tick of the week (Saturday), shifted by offset weeks.",
		endOf(startOfWeek))
	registerBoundary("endofmonth", "Last tick of the month, shifted by offset months.",
		endOf(startOfMonth))
	registerBoundary("endofyear", "Last tick of the year, shifted by offset years.", endOf(startOfYear))

	registerPart("dayofmonth", "Day of the month (1-31).", func(t time.Time) int64 { return int64(t.Day()) })
	registerPart("dayofyear", "Day of the year (1-366).", func(t time.Time) int64 { return int64(t.YearDay()) })
	registerPart("hourofday", "Hour of the day (0-23).", func(t time.Time) int64 { return int64(t.Hour()) })
	registerPart("getmonth", "Month of the year (1-12).", func(t time.Time) int64 { return int64(t.Month()) },
		"monthofyear")
	registerPart("getyear", "The year.", func(t time.Time) int64 { return int64(t.Year()) })
	registerPart("week_of_year", "ISO 8601 week number.", isoWeek, "weekofyear")
	scalar("dayofweek", params(req("date", DateOnly)), Fixed(tables.Timespan),
		"Days since the preceding Sunday, as a timespan.",
		func(a []tables.Value) tables.Value {
			t, ok := timeArg(a[0])
			if !ok {
				return tables.Null(tables.Timespan)
			}
			return tables.NewTimespan(int64(t.Weekday()) * tables.Day)
		})

	Register(&Func{
		Name: "format_datetime", Kind: Scalar, Params: params(req("date", DateOnly), req("format", Text)),
		Result: Fixed(tables.String), Compile: compileFormat(formatDateTime),
		Doc: "Formats a datetime with .NET-style specifiers (yyyy-MM-dd HH:mm:ss.fff tt).",
	})
	Register(&Func{
		Name: "format_timespan", Kind: Scalar, Params: params(req("timespan", SpanOnly), req("format", Text)),
		Result: Fixed(tables.String), Compile: compileFormat(formatTimespan),
		Doc: "Formats a timespan with specifiers d, h, H, m, s, f, F.",
	})
	registerUnix("unixtime_seconds_todatetime", tables.Second, "Seconds since 1970 to datetime.")
	registerUnix("unixtime_milliseconds_todatetime", tables.Millisecond,
		"Milliseconds since 1970 to datetime.")
	registerUnix("unixtime_microseconds_todatetime", tables.Microsecond,
		"Microseconds since 1970 to datetime.")
	registerUnix("unixtime_nanoseconds_todatetime", 0, "Nanoseconds since 1970 to datetime.")
	scalar("make_datetime", params(req("year", Numeric), req("month", Numeric), req("day", Numeric),
		opt("hour", Numeric), opt("minute", Numeric), opt("second", Numeric)),
		Fixed(tables.DateTime), "Builds a datetime from its parts.", makeDatetime)
	scalar("make_timespan", params(req("a", Numeric), req("b", Numeric), opt("c", Numeric),
		opt("d", Numeric)), Fixed(tables.Timespan),
		"Builds a timespan from (hours, minutes[, seconds]) or (days, hours, minutes, seconds).",
		makeTimespan)
}

// timeArg reads a datetime argument as a time.Time.
func timeArg(v tables.Value) (time.Time, bool) {
	ticks, ok := toTicks(v, tables.DateTime)
	if !ok {
		return time.Time{}, false
	}
	return tables.TimeFromTicks(ticks), true
}

func compileNow(sign int64) func(*Call) (Impl, error) {
	return func(c *Call) (Impl, error) {
		now := tables.TicksFromTime(time.Now())
		if c.Env != nil {
			now = c.Env.Now
		}
		return func(a []tables.Value) tables.Value {
			if len(a) == 0 {
				return tables.NewDateTime(now)
			}
			d, ok := toTicks(a[0], tables.Timespan)
			if !ok {
				return tables.Null(tables.DateTime)
			}
			return tables.NewDateTime(now + sign*d)
		}, nil
	}
}

func binResult(args []tables.Type) tables.Type {
	switch t := args[0]; {
	case t.IsNumeric() || t == tables.DateTime || t == tables.Timespan:
		return t
	case len(args) > 1 && args[1] == tables.Timespan:
		return tables.DateTime
	}
	return tables.Real
}

// floorDiv rounds a/b toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func compileBin(at bool) func(*Call) (Impl, error) {
	return func(c *Call) (Impl, error) {
		t := binResult(c.Types)
		return func(a []tables.Value) tables.Value {
			var fixed tables.Value
			if at {
				fixed = a[2]
			}
			return binValue(t, a[0], a[1], fixed, at)
		}, nil
	}
}

// binValue computes bin / bin_at for a result of type t.
func binValue(t tables.Type, v, size, fixed tables.Value, at bool) tables.Value {
	if t == tables.DateTime || t == tables.Timespan {
		x, ok1 := toTicks(v, t)
		s, ok2 := toTicks(size, tables.Timespan)
		origin := int64(0)
		if t == tables.DateTime {
			origin = -epochTicks
		}
		if at {
			var ok3 bool
			origin, ok3 = toTicks(fixed, t)
			ok2 = ok2 && ok3
		}
		if !ok1 || !ok2 || s <= 0 {
			return tables.Null(t)
		}
		r := floorDiv(x-origin, s)*s + origin
		if t == tables.DateTime {
			return tables.NewDateTime(r)
		}
		return tables.NewTimespan(r)
	}
	if t == tables.Int || t == tables.Long {
		x, ok1 := toI(v)
		s, ok2 := toI(size)
		var origin int64
		if at {
			var ok3 bool
			origin, ok3 = toI(fixed)
			ok2 = ok2 && ok3
		}
		if ok1 && ok2 && s > 0 && size.Type() != tables.Real {
			return numberOf(t, float64(floorDiv(x-origin, s)*s+origin))
		}
	}
	x, ok1 := toF(v)
	s, ok2 := toF(size)
	origin := 0.0
	if at {
		var ok3 bool
		origin, ok3 = toF(fixed)
		ok2 = ok2 && ok3
	}
	if !ok1 || !ok2 || s <= 0 {
		return tables.Null(t)
	}
	return numberOf(t, math.Floor((x-origin)/s)*s+origin)
}

// periodTicks gives the fixed length of the sub-day periods.
var periodTicks = map[string]int64{
	"week": 7 * tables.Day, "day": tables.Day, "hour": tables.Hour, "minute": tables.Minute,
	"second": tables.Second, "millisecond": tables.Millisecond,
	"microsecond": tables.Microsecond,
}

func periodName(v tables.Value) string {
	p := strings.ToLower(strings.TrimSpace(str(v)))
	switch p {
	case "yy", "yyyy":
		return "year"
	case "qq", "q":
		return "quarter"
	case "mm", "m":
		return "month"
	case "wk", "ww", "w":
		return "week"
	case "dd", "d":
		return "day"
	case "hh":
		return "hour"
	case "mi", "n":
		return "minute"
	case "ss", "s":
		return "second"
	case "ms":
		return "millisecond"
	case "mcs":
		return "microsecond"
	case "ns":
		return "nanosecond"
	}
	return p
}

func datetimeDiff(a []tables.Value) tables.Value {
	x, ok1 := toTicks(a[1], tables.DateTime)
	y, ok2 := toTicks(a[2], tables.DateTime)
	if !ok1 || !ok2 {
		return tables.Null(tables.Long)
	}
	tx, ty := tables.TimeFromTicks(x), tables.TimeFromTicks(y)
	switch p := periodName(a[0]); p {
	case "year":
		return tables.NewLong(int64(tx.Year() - ty.Year()))
	case "quarter":
		q := func(t time.Time) int64 { return int64(t.Year())*4 + int64(t.Month()-1)/3 }
		return tables.NewLong(q(tx) - q(ty))
	case "month":
		m := func(t time.Time) int64 { return int64(t.Year())*12 + int64(t.Month()) }
		return tables.NewLong(m(tx) - m(ty))
	case "week":
		return tables.NewLong((startOfWeek(x, 0) - startOfWeek(y, 0)) / (7 * tables.Day))
	case "nanosecond":
		return tables.NewLong((x - y) * 100)
	default:
		n, ok := periodTicks[p]
		if !ok {
			return tables.Null(tables.Long)
		}
		return tables.NewLong(floorDiv(x+epochTicks, n) - floorDiv(y+epochTicks, n))
	}
}

func datetimeAdd(a []tables.Value) tables.Value {
	n, ok1 := toI(a[1])
	x, ok2 := toTicks(a[2], tables.DateTime)
	if !ok1 || !ok2 {
		return tables.Null(tables.DateTime)
	}
	switch p := periodName(a[0]); p {
	case "year":
		return tables.NewDateTime(addMonths(x, 12*n))
	case "quarter":
		return tables.NewDateTime(addMonths(x, 3*n))
	case "month":
		return tables.NewDateTime(addMonths(x, n))
	case "nanosecond":
		return tables.NewDateTime(x + n/100)
	default:
		d, ok := periodTicks[p]
		if !ok {
			return tables.Null(tables.DateTime)
		}
		return tables.NewDateTime(x + n*d)
	}
}

// addMonths adds months the way .NET does: the day is clamped to the end
// of the target month (Jan 31 + 1 month is Feb 28/29), not carried over.
func addMonths(ticks, months int64) int64 {
	t := tables.TimeFromTicks(ticks)
	total := int64(t.Year())*12 + int64(t.Month()-1) + months
	y, m := int(floorDiv(total, 12)), time.Month(total-floorDiv(total, 12)*12+1)
	day := min(t.Day(), daysIn(y, m))
	sinceMidnight := ticks - startOfDay(ticks, 0)
	return tables.TicksFromTime(time.Date(y, m, day, 0, 0, 0, 0, time.UTC)) + sinceMidnight
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func datetimePart(a []tables.Value) tables.Value {
	x, ok := toTicks(a[1], tables.DateTime)
	if !ok {
		return tables.Null(tables.Long)
	}
	t := tables.TimeFromTicks(x)
	frac := x - floorDiv(x, tables.Second)*tables.Second
	var r int64
	switch p := strings.ReplaceAll(periodName(a[0]), "_", ""); p {
	case "year":
		r = int64(t.Year())
	case "quarter":
		r = int64(t.Month()-1)/3 + 1
	case "month":
		r = int64(t.Month())
	case "weekofyear", "week":
		r = isoWeek(t)
	case "day":
		r = int64(t.Day())
	case "dayofyear":
		r = int64(t.YearDay())
	case "hour":
		r = int64(t.Hour())
	case "minute":
		r = int64(t.Minute())
	case "second":
		r = int64(t.Second())
	case "millisecond":
		r = frac / tables.Millisecond
	case "microsecond":
		r = frac / tables.Microsecond
	case "nanosecond":
		r = frac * 100
	default:
		return tables.Null(tables.Long)
	}
	return tables.NewLong(r)
}

func isoWeek(t time.Time) int64 {
	_, w := t.ISOWeek()
	return int64(w)
}

// Boundaries take ticks and an offset in the boundary's own unit.

func startOfDay(x, off int64) int64 {
	return floorDiv(x, tables.Day)*tables.Day + off*tables.Day
}

func startOfWeek(x, off int64) int64 {
	d := startOfDay(x, 0)
	wd := int64(tables.TimeFromTicks(d).Weekday())
	return d - wd*tables.Day + off*7*tables.Day
}

func startOfMonth(x, off int64) int64 {
	t := tables.TimeFromTicks(x)
	first := tables.TicksFromTime(time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC))
	return addMonths(first, off)
}

func startOfYear(x, off int64) int64 {
	t := tables.TimeFromTicks(x)
	return tables.TicksFromTime(time.Date(t.Year()+int(off), 1, 1, 0, 0, 0, 0, time.UTC))
}

// endOf turns a start-of boundary into its end: one tick before the next
// period starts.
func endOf(start func(x, off int64) int64) func(x, off int64) int64 {
	return func(x, off int64) int64 { return start(x, off+1) - 1 }
}

func registerBoundary(name, doc string, f func(x, off int64) int64) {
	scalar(name, params(req("date", DateOnly), opt("offset", Integer)), Fixed(tables.DateTime), doc,
		func(a []tables.Value) tables.Value {
			x, ok := toTicks(a[0], tables.DateTime)
			if !ok {
				return tables.Null(tables.DateTime)
			}
			var off int64
			if len(a) > 1 && !a[1].IsNull() {
				off, _ = toI(a[1])
			}
			return tables.NewDateTime(f(x, off))
		})
}

func registerPart(name, doc string, f func(time.Time) int64, aliases ...string) {
	scalar(name, params(req("date", DateOnly)), Fixed(tables.Int), doc,
		func(a []tables.Value) tables.Value {
			t, ok := timeArg(a[0])
			if !ok {
				return tables.Null(tables.Int)
			}
			return tables.NewInt(f(t))
		}, aliases...)
}

func registerUnix(name string, unit int64, doc string) {
	scalar(name, params(req("value", Numeric)), Fixed(tables.DateTime), doc,
		func(a []tables.Value) tables.Value {
			if unit == 0 {
				n, ok := toI(a[0])
				if !ok {
					return tables.Null(tables.DateTime)
				}
				return tables.NewDateTime(floorDiv(n, 100))
			}
			if a[0].Type() == tables.Int || a[0].Type() == tables.Long {
				return tables.NewDateTime(a[0].Int64() * unit)
			}
			f, ok := toF(a[0])
			if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
				return tables.Null(tables.DateTime)
			}
			return tables.NewDateTime(int64(math.Round(f * float64(unit))))
		})
}

func makeDatetime(a []tables.Value) tables.Value {
	var parts [6]float64
	for i, v := range a {
		f, ok := toF(v)
		if !ok {
			return tables.Null(tables.DateTime)
		}
		parts[i] = f
	}
	y, mo, d := int(parts[0]), time.Month(parts[1]), int(parts[2])
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || y < 1 || y > 9999 {
		return tables.Null(tables.DateTime)
	}
	base := tables.TicksFromTime(time.Date(y, mo, d, int(parts[3]), int(parts[4]), 0, 0, time.UTC))
	return tables.NewDateTime(base + int64(math.Round(parts[5]*float64(tables.Second))))
}

func makeTimespan(a []tables.Value) tables.Value {
	var f [4]float64
	for i, v := range a {
		x, ok := toF(v)
		if !ok {
			return tables.Null(tables.Timespan)
		}
		f[i] = x
	}
	var d, h, m, s float64
	switch len(a) {
	case 2:
		h, m = f[0], f[1]
	case 3:
		h, m, s = f[0], f[1], f[2]
	default:
		d, h, m, s = f[0], f[1], f[2], f[3]
	}
	ticks := int64(d)*tables.Day + int64(h)*tables.Hour + int64(m)*tables.Minute +
		int64(math.Round(s*float64(tables.Second)))
	return tables.NewTimespan(ticks)
}

// compileFormat compiles a constant format once; a per-row format is
// tokenised on each call.
func compileFormat(format func(int64, []fmtToken) string) func(*Call) (Impl, error) {
	return func(c *Call) (Impl, error) {
		var toks []fmtToken
		if len(c.Consts) > 1 && c.Consts[1] != nil {
			toks = tokenize(c.Consts[1].String())
		}
		t := c.Types[0]
		if t != tables.Timespan {
			t = tables.DateTime
		}
		return func(a []tables.Value) tables.Value {
			x, ok := toTicks(a[0], t)
			if !ok {
				return tables.NewString("")
			}
			tk := toks
			if tk == nil {
				tk = tokenize(str(a[1]))
			}
			return tables.NewString(format(x, tk))
		}, nil
	}
}

// fmtToken is a run of one format letter (c repeated n times) or, when n
// is 0, literal text.
type fmtToken struct {
	c    byte
	n    int
	text string
}

func tokenize(f string) []fmtToken {
	toks := []fmtToken{}
	for i := 0; i < len(f); {
		c := f[i]
		if strings.IndexByte("dfFhHmMsyt", c) < 0 {
			toks = append(toks, fmtToken{text: string(c)})
			i++
			continue
		}
		j := i
		for j < len(f) && f[j] == c {
			j++
		}
		toks = append(toks, fmtToken{c: c, n: j - i})
		i = j
	}
	return toks
}

func pad(n int64, width int) string {
	return fmt.Sprintf("%0*d", width, n)
}

// fraction gives the first n digits of the sub-second ticks; trim drops
// trailing zeros (the F specifiers).
func fraction(frac int64, n int, trim bool) string {
	s := pad(frac, 7)[:min(n, 7)]
	if trim {
		s = strings.TrimRight(s, "0")
	}
	return s
}

func formatDateTime(x int64, toks []fmtToken) string {
	t := tables.TimeFromTicks(x)
	frac := x - floorDiv(x, tables.Second)*tables.Second
	var b strings.Builder
	for _, tk := range toks {
		w := min(tk.n, 2)
		switch tk.c {
		case 0:
			b.WriteString(tk.text)
		case 'd':
			b.WriteString(pad(int64(t.Day()), w))
		case 'f', 'F':
			b.WriteString(fraction(frac, tk.n, tk.c == 'F'))
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			b.WriteString(pad(int64(h), w))
		case 'H':
			b.WriteString(pad(int64(t.Hour()), w))
		case 'm':
			b.WriteString(pad(int64(t.Minute()), w))
		case 'M':
			b.WriteString(pad(int64(t.Month()), w))
		case 's':
			b.WriteString(pad(int64(t.Second()), w))
		case 'y':
			if tk.n <= 2 {
				b.WriteString(pad(int64(t.Year()%100), tk.n))
			} else {
				b.WriteString(pad(int64(t.Year()), tk.n))
			}
		case 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			b.WriteString(ampm[:min(tk.n, 2)])
		}
	}
	return b.String()
}

func formatTimespan(x int64, toks []fmtToken) string {
	var b strings.Builder
	if x < 0 {
		b.WriteByte('-')
		x = -x
	}
	days, rest := x/tables.Day, x%tables.Day
	h, m, s, frac := rest/tables.Hour, rest%tables.Hour/tables.Minute, rest%tables.Minute/tables.Second,
		rest%tables.Second
	for _, tk := range toks {
		w := min(tk.n, 2)
		switch tk.c {
		case 0:
			b.WriteString(tk.text)
		case 'd':
			b.WriteString(pad(days, tk.n))
		case 'h', 'H':
			b.WriteString(pad(h, w))
		case 'm':
			b.WriteString(pad(m, w))
		case 's':
			b.WriteString(pad(s, w))
		case 'f', 'F':
			b.WriteString(fraction(frac, tk.n, tk.c == 'F'))
		default:
			b.WriteString(strings.Repeat(string(tk.c), tk.n))
		}
	}
	return b.String()
}
