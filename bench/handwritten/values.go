package main

import (
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// tostring is KQL tostring() of a dynamic value: a string gives its text
// (a substring of the input when it has no escapes), null gives "", and any
// other value its JSON text.
func tostring(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		return v.Str
	case gjson.Null:
		return ""
	default:
		return v.Raw
	}
}

// atDomain is tostring(split(s, "@")[1]): the text between the first and the
// second "@", or "" when s has no "@" (index 1 is past the end: null).
func atDomain(s string) string {
	i := strings.IndexByte(s, '@')
	if i < 0 {
		return ""
	}
	rest := s[i+1:]
	if j := strings.IndexByte(rest, '@'); j >= 0 {
		return rest[:j]
	}
	return rest
}

// ticksPerSecond counts 100 ns ticks, Kusto's datetime resolution.
const ticksPerSecond = 10_000_000

// parseTicks reads an ISO 8601 instant as 100 ns ticks since the Unix epoch.
// The fixed layout yyyy-mm-ddThh:mm:ss[.f{1,7}]Z is parsed by hand; anything
// else (offsets, a space separator, more digits) goes through package time.
func parseTicks(s string) (int64, bool) {
	if t, ok := fastTicks(s); ok {
		return t, true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Unix()*ticksPerSecond + int64(t.Nanosecond()/100), true
		}
	}
	return 0, false
}

// fastTicks handles yyyy-mm-ddThh:mm:ss[.f{1,7}]Z.
func fastTicks(s string) (int64, bool) {
	if len(s) < 20 || s[len(s)-1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
		s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	y, ok1 := digits(s[0:4])
	mo, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	h, ok4 := digits(s[11:13])
	mi, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
		h > 23 || mi > 59 || sec > 59 {
		return 0, false
	}
	frac, ok := fraction(s[19 : len(s)-1])
	if !ok {
		return 0, false
	}
	days := daysFromCivil(y, mo, d)
	secs := days*86400 + h*3600 + mi*60 + sec
	return secs*ticksPerSecond + frac, true
}

// fraction reads "" or ".d{1,7}" as ticks.
func fraction(f string) (int64, bool) {
	if f == "" {
		return 0, true
	}
	if f[0] != '.' || len(f) < 2 || len(f) > 8 {
		return 0, false
	}
	n, ok := digits(f[1:])
	for i := len(f) - 1; i < 7; i++ {
		n *= 10
	}
	return n, ok
}

// digits parses an unsigned decimal string.
func digits(s string) (int64, bool) {
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// daysFromCivil counts days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
