package tables

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Tick is the unit of datetime and timespan values: 100 nanoseconds, as in
// Kusto.
const (
	Tick        int64 = 1
	Microsecond       = 10 * Tick
	Millisecond       = 1000 * Microsecond
	Second            = 1000 * Millisecond
	Minute            = 60 * Second
	Hour              = 60 * Minute
	Day               = 24 * Hour
)

// TicksFromTime converts a time.Time to datetime ticks since the Unix epoch.
func TicksFromTime(t time.Time) int64 {
	sec := t.Unix()
	return sec*Second + int64(t.Nanosecond())/100
}

// TimeFromTicks converts datetime ticks to a UTC time.Time.
func TimeFromTicks(ticks int64) time.Time {
	sec := ticks / Second
	rem := ticks % Second
	if rem < 0 {
		sec--
		rem += Second
	}
	return time.Unix(sec, rem*100).UTC()
}

// dateLayouts are the forms datetime(...) and todatetime() accept, tried in
// order. ISO 8601 comes first because it is what exports contain.
var dateLayouts = []string{
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006-01",
	"2006/01/02 15:04:05.999999999",
	"2006/01/02 15:04",
	"2006/01/02",
	"01/02/2006 15:04:05.999999999",
	"01/02/2006 15:04",
	"01/02/2006",
	"1/2/2006 3:04:05.999999999 PM",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 15:04:05",
	"1/2/2006",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04 MST",
	"2006-01-02T15:04:05 MST",
	"2006-01-02T15:04 MST",
	"2006-1-2 15:04:05",
	"2006-1-2",
	"01-02-2006 15:04:05",
	"01-02-2006",
	"Mon, 02 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 02 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05",
	"Mon, 2 Jan 06 15:04 MST",
	"Mon, 2 Jan 06 15:04",
	"02 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05",
	"2 Jan 06 15:04:05 MST",
	"2 Jan 06 15:04:05",
	"2 Jan 06 15:04 MST",
	"2 Jan 06 15:04",
	"Monday, 02-Jan-06 15:04:05 MST",
	"Monday, 02-Jan-06 15:04:05",
	"Monday, 02-Jan-06 15:04 MST",
	"Monday, 02-Jan-06 15:04",
	"02-Jan-06 15:04:05 MST",
	"02-Jan-06 15:04:05",
	"02-Jan-06 15:04 MST",
	"02-Jan-06 15:04",
	"2006-01-02T15:04:05.999999999-0700",
}

// ParseDateTime reads a datetime in one of the forms KQL accepts (ISO 8601
// with or without a zone, RFC 822/1123, and the common US and slash forms).
// A time without a zone is UTC. It returns ticks since the Unix epoch.
func ParseDateTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return TicksFromTime(t), true
		}
	}
	return 0, false
}

// FormatDateTime prints a datetime as ISO 8601 in UTC. With full set it always
// prints seven fractional digits, as tostring() does; otherwise the fraction
// is printed only when non-zero and without trailing zeros, which is how
// results are written out.
func FormatDateTime(ticks int64, full bool) string {
	t := TimeFromTicks(ticks)
	frac := (ticks%Second + Second) % Second
	var b strings.Builder
	b.Grow(28)
	b.WriteString(t.Format("2006-01-02T15:04:05"))
	if full || frac != 0 {
		digits := fmt.Sprintf("%07d", frac)
		if !full {
			digits = strings.TrimRight(digits, "0")
		}
		b.WriteByte('.')
		b.WriteString(digits)
	}
	b.WriteByte('Z')
	return b.String()
}

// FormatTimespan prints a timespan as Kusto does: [-][d.]hh:mm:ss[.fffffff].
func FormatTimespan(ticks int64) string {
	var b strings.Builder
	if ticks < 0 {
		b.WriteByte('-')
		ticks = -ticks
	}
	days := ticks / Day
	ticks %= Day
	if days > 0 {
		b.WriteString(strconv.FormatInt(days, 10))
		b.WriteByte('.')
	}
	h, m, s, f := ticks/Hour, ticks%Hour/Minute, ticks%Minute/Second, ticks%Second
	fmt.Fprintf(&b, "%02d:%02d:%02d", h, m, s)
	if f != 0 {
		fmt.Fprintf(&b, ".%07d", f)
	}
	return b.String()
}

// timespanUnits maps the suffixes of timespan literals to their length.
var timespanUnits = map[string]int64{
	"d": Day, "day": Day, "days": Day,
	"h": Hour, "hr": Hour, "hrs": Hour, "hour": Hour, "hours": Hour,
	"m": Minute, "min": Minute, "minute": Minute, "minutes": Minute,
	"s": Second, "sec": Second, "second": Second, "seconds": Second,
	"ms": Millisecond, "milli": Millisecond, "millis": Millisecond,
	"millisecond": Millisecond, "milliseconds": Millisecond,
	"microsecond": Microsecond, "microseconds": Microsecond,
	"tick": Tick, "ticks": Tick,
}

// ParseTimespan reads a timespan literal's text: a number with a unit suffix
// ("1d", "1.5h", "100ms", "10tick"), or the clock form [-][d.]hh:mm[:ss[.fffffff]]
// used by timespan(...) and totimespan(). A bare number means days.
func ParseTimespan(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if strings.Contains(s, ":") {
		return parseClock(s)
	}
	i := len(s)
	for i > 0 && (s[i-1] < '0' || s[i-1] > '9') && s[i-1] != '.' {
		i--
	}
	num, unit := s[:i], strings.ToLower(s[i:])
	per := Day
	if unit != "" {
		u, ok := timespanUnits[unit]
		if !ok {
			return 0, false
		}
		per = u
	}
	neg := strings.HasPrefix(num, "-")
	num = strings.TrimPrefix(num, "-")
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	ticks := int64(f*float64(per) + 0.5)
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		ticks = n * per
	}
	if neg {
		ticks = -ticks
	}
	return ticks, true
}

// parseClock reads [-][d.]hh:mm[:ss[.fffffff]].
func parseClock(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var days int64
	if dot := strings.IndexByte(s, '.'); dot >= 0 && dot < strings.IndexByte(s, ':') {
		d, err := strconv.ParseInt(s[:dot], 10, 64)
		if err != nil {
			return 0, false
		}
		days, s = d, s[dot+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, err1 := strconv.ParseInt(parts[0], 10, 64)
	m, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	ticks := days*Day + h*Hour + m*Minute
	if len(parts) == 3 {
		sec, err := strconv.ParseFloat(parts[2], 64)
		if err != nil {
			return 0, false
		}
		ticks += int64(sec*float64(Second) + 0.5)
	}
	if neg {
		ticks = -ticks
	}
	return ticks, true
}

// ParseDateTimeLiteral reads the text of a datetime(...) literal: every
// form ParseDateTime reads, and two comma forms that Kusto's literal
// accepts though the datetime reference does not list them. Integer parts
// Year, Month, Day[, Hour[, Minute[, Second]]] (datetime(2025, 6, 14), whose
// value documented examples show) and a date then a time of day
// (datetime(2022-08-07, 23:59), as an Azure-Sentinel hunting query writes
// it). Data values and todatetime() keep to ParseDateTime, so text that
// merely holds commas is never taken for a date.
func ParseDateTimeLiteral(s string) (int64, bool) {
	if t, ok := ParseDateTime(s); ok {
		return t, ok
	}
	if spaced := strings.ReplaceAll(s, " - ", "-"); spaced != s {
		// datetime(2017 - 08 - 01), as the sliding_window_counts reference
		// writes it.
		return ParseDateTimeLiteral(spaced)
	}
	if !strings.Contains(s, ",") {
		return 0, false
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	if len(parts) == 2 && strings.Contains(parts[1], ":") && !strings.Contains(parts[0], ":") {
		return ParseDateTime(parts[0] + " " + parts[1])
	}
	return dateFromNumbers(parts)
}

// dateFromNumbers builds a datetime from 3 to 6 integer parts, refusing
// values out of range (time.Date would roll month 13 into the next year).
func dateFromNumbers(parts []string) (int64, bool) {
	if len(parts) < 3 || len(parts) > 6 {
		return 0, false
	}
	var n [6]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return 0, false
		}
		n[i] = v
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC)
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] ||
		t.Hour() != n[3] || t.Minute() != n[4] || t.Second() != n[5] {
		return 0, false
	}
	return TicksFromTime(t), true
}
