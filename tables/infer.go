package tables

import (
	"strconv"
	"strings"
)

// The kinds of raw values a column collects before its type is decided.
const (
	kNull uint8 = iota
	kFalse
	kTrue
	kInt  // a number without fraction or exponent that fits int64
	kReal // any other number
	kStr
	kJSON // an object or an array
)

const (
	bBool = 1<<kFalse | 1<<kTrue
	bInt  = 1 << kInt
	bReal = 1 << kReal
	bStr  = 1 << kStr
	bJSON = 1 << kJSON
)

// kindStats sums up the kinds of a column's values, enough to infer its
// type.
type kindStats struct {
	seen    uint8 // bit k set: a value of kind k occurred
	date    bool  // some string is an ISO 8601 datetime
	notDate bool  // some non-empty string is not
}

// noteString records whether a string looks like a datetime. Once one does
// not, the rest are not checked.
func (s *kindStats) noteString(v string) {
	if v == "" || s.notDate {
		return
	}
	if _, ok := parseISO(v); ok {
		s.date = true
	} else {
		s.notDate = true
	}
}

func (s *kindStats) merge(o kindStats) {
	s.seen |= o.seen
	s.date = s.date || o.date
	s.notDate = s.notDate || o.notDate
}

// infer decides a column's type from the kinds of its non-null values:
// bool, long, real (ints and reals mixed), datetime (strings that are all
// ISO 8601 datetimes; empty strings there become null), dynamic (objects
// and arrays, alone or mixed with anything), and string otherwise, which
// includes a column with no value at all and any mix of scalar kinds.
func (s kindStats) infer() Type {
	k := s.seen &^ (1 << kNull)
	switch {
	case k == 0:
		return String
	case k&^bBool == 0:
		return Bool
	case k == bInt:
		return Long
	case k&^(bInt|bReal) == 0:
		return Real
	case k == bStr && s.date && !s.notDate:
		return DateTime
	case k&bJSON != 0:
		return Dynamic
	}
	return String
}

// cells holds a column's values before its type is known: a kind and a
// text per row. The text is the unescaped string for a JSON string and the
// raw JSON otherwise; both are usually slices of the input.
type cells struct {
	kinds []uint8
	text  []string
	// refs, once a value is left in the file, holds a lazy reference per
	// row (0 for the others; see lazy.go).
	refs  []uint64
	stats kindStats
}

func (c *cells) grow(n int) {
	if cap(c.kinds)-len(c.kinds) < n {
		c.kinds = append(make([]uint8, 0, len(c.kinds)+n), c.kinds...)
		c.text = append(make([]string, 0, len(c.text)+n), c.text...)
	}
}

// nulls appends n nulls.
func (c *cells) nulls(n int) {
	for i := 0; i < n; i++ {
		c.push(kNull, "")
	}
}

func (c *cells) push(k uint8, text string) {
	c.kinds = append(c.kinds, k)
	c.text = append(c.text, text)
	if c.refs != nil {
		c.refs = append(c.refs, 0)
	}
	c.stats.seen |= 1 << k
}

// addLazy appends a string or JSON value left in the file at ref; raw is
// its JSON text, read now only as far as inference needs.
func (c *cells) addLazy(kind uint8, raw string, ref uint64) {
	if c.refs == nil {
		c.refs = make([]uint64, len(c.kinds), cap(c.kinds))
	}
	if kind == kStr {
		body := raw[1 : len(raw)-1]
		// Only text shaped like yyyy-mm-ddT... can be a datetime.
		if strings.IndexByte(body[:min(len(body), 16)], '\\') >= 0 {
			body = unescape(body)
		}
		c.stats.noteString(body)
	}
	c.kinds = append(c.kinds, kind)
	c.text = append(c.text, "")
	c.refs = append(c.refs, ref)
	c.stats.seen |= 1 << kind
}

// add appends a JSON value of the given kind, raw as scanned; text is the
// unescaped text of a string.
func (c *cells) add(kind uint8, raw, text string) {
	switch kind {
	case kStr:
		c.stats.noteString(text)
		c.push(kStr, text)
	case kNull:
		c.push(kNull, "")
	case kInt:
		c.push(numberKind(raw), raw)
	default:
		c.push(kind, raw)
	}
}

// addText appends a CSV field, classified by its text: empty is null, then
// integer, number, true/false (any case), and string.
func (c *cells) addText(s string) {
	switch {
	case s == "":
		c.push(kNull, s)
	case isNumberText(s):
		c.push(numberKind(s), s)
	case strings.EqualFold(s, "true"):
		c.push(kTrue, s)
	case strings.EqualFold(s, "false"):
		c.push(kFalse, s)
	default:
		c.stats.noteString(s)
		c.push(kStr, s)
	}
}

// numberKind tells an integer that fits int64 from any other number. The
// text is a valid JSON number (or CSV number).
func numberKind(raw string) uint8 {
	if strings.ContainsAny(raw, ".eEnNaI") {
		return kReal
	}
	if len(raw) < 19 {
		return kInt
	}
	if _, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return kInt
	}
	return kReal
}

// isNumberText reports whether a CSV field is a plain decimal number
// ([-+]digits[.digits][e[-+]digits]) or one of the words Kusto writes for
// NaN and the infinities. Go's ParseFloat also takes hex and underscores,
// which must not turn a column of identifiers into numbers.
func isNumberText(s string) bool {
	switch s {
	case "NaN", "Infinity", "-Infinity":
		return true
	}
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intDigits := i - start
	if intDigits > 1 && s[start] == '0' {
		return false // a leading zero marks an identifier such as a postcode
	}
	if i < len(s) && s[i] == '.' {
		i++
		f := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == f {
			return false
		}
	}
	if intDigits == 0 && (i == start || s[start] != '.') {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		e := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == e {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// build converts the cells to a column of type t, which infer chose, so
// every non-null value fits.
func (c *cells) build(t Type, src *source) *Column {
	n := len(c.kinds)
	col := &Column{typ: t, n: n}
	if c.refs != nil {
		if t == String || t == Dynamic {
			cv := convString
			if t == Dynamic {
				cv = convDynInferred
			}
			col.lazy = &lazyCells{src: src, conv: cv, refs: c.refs}
		} else {
			// A datetime column of long strings: read them back now.
			for i, ref := range c.refs {
				if ref != 0 {
					c.text[i] = convertRaw(String, convString, src.read(ref)).s
				}
			}
		}
	}
	switch t {
	case String:
		col.strs = c.text
	case Dynamic:
		col.strs = make([]string, n)
		for i, k := range c.kinds {
			switch {
			case c.refs != nil && c.refs[i] != 0:
			case k == kNull:
				col.setNull(i)
			case k == kJSON:
				col.strs[i] = compactJSON(c.text[i])
			case k == kStr:
				col.strs[i] = QuoteJSON(c.text[i])
			default:
				col.strs[i] = c.text[i]
			}
		}
	case Real:
		col.reals = make([]float64, n)
		for i, k := range c.kinds {
			if k == kInt || k == kReal {
				col.reals[i], _ = strconv.ParseFloat(c.text[i], 64)
			} else {
				col.setNull(i)
			}
		}
	default:
		col.ints = make([]int64, n)
		for i, k := range c.kinds {
			v, ok := cellInt(t, k, c.text[i])
			if !ok {
				col.setNull(i)
			}
			col.ints[i] = v
		}
	}
	return col
}

// cellInt reads a cell of a bool, long or datetime column; false means null.
func cellInt(t Type, k uint8, text string) (int64, bool) {
	switch {
	case k == kTrue && t == Bool:
		return 1, true
	case k == kFalse && t == Bool:
		return 0, true
	case k == kInt && t == Long:
		n, err := strconv.ParseInt(text, 10, 64)
		return n, err == nil
	case k == kStr && t == DateTime:
		return parseISO(text)
	}
	return 0, false
}

// parseISO reads the strict ISO 8601 form exports use,
// yyyy-mm-ddThh:mm[:ss[.fffffff]][Z|±hh:mm|±hhmm|±hh], into ticks since the
// Unix epoch. Digits past the seventh fractional one are truncated. It is
// what inference accepts as a datetime (no plain numbers, no "1/2/2020"),
// and it is much faster than trying ParseDateTime's layouts in turn.
func parseISO(s string) (int64, bool) {
	if len(s) < 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' {
		return 0, false
	}
	y, ok1 := num(s[0:4])
	mo, ok2 := num(s[5:7])
	d, ok3 := num(s[8:10])
	h, ok4 := num(s[11:13])
	mi, ok5 := num(s[14:16])
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || mo < 1 || mo > 12 || d < 1 ||
		d > daysIn(y, mo) || h > 23 || mi > 59 {
		return 0, false
	}
	ticks := daysFromCivil(y, mo, d)*Day + h*Hour + mi*Minute
	i := 16
	if i < len(s) && s[i] == ':' {
		sec, ok := num(s[min(i+1, len(s)):min(i+3, len(s))])
		if !ok || i+3 > len(s) || sec > 59 {
			return 0, false
		}
		ticks += sec * Second
		i += 3
		if i < len(s) && s[i] == '.' {
			frac, end := fraction(s, i+1)
			if end == i+1 {
				return 0, false
			}
			ticks += frac
			i = end
		}
	}
	off, ok := zoneOffset(s[i:])
	return ticks - off, ok
}

// fraction reads the digits of a fraction of a second starting at s[i] as
// ticks, and returns where they end.
func fraction(s string, i int) (int64, int) {
	var ticks int64
	scale := Second
	for ; i < len(s) && isDigit(s[i]); i++ {
		if scale > 1 {
			scale /= 10
			ticks += int64(s[i]-'0') * scale
		}
	}
	return ticks, i
}

// zoneOffset reads the zone suffix of an ISO datetime: empty (UTC), Z, or
// an offset, returned in ticks.
func zoneOffset(z string) (int64, bool) {
	switch {
	case z == "" || z == "Z" || z == "z":
		return 0, true
	case z[0] != '+' && z[0] != '-':
		return 0, false
	}
	sign := int64(1)
	if z[0] == '-' {
		sign = -1
	}
	z = z[1:]
	var hh, mm string
	switch {
	case len(z) == 2:
		hh = z
	case len(z) == 4:
		hh, mm = z[:2], z[2:]
	case len(z) == 5 && z[2] == ':':
		hh, mm = z[:2], z[3:]
	default:
		return 0, false
	}
	h, ok1 := num(hh)
	m, ok2 := num(mm)
	if mm == "" {
		m, ok2 = 0, true
	}
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return 0, false
	}
	return sign * (h*Hour + m*Minute), true
}

// num reads a short run of decimal digits; empty text is not a number.
func num(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days from 1970-01-01 to the proleptic
// Gregorian date y-m-d.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
