package functions

import (
	"encoding/csv"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kql-offline/kql/tables"
)

// More string functions: multi-replacement, ordinal comparison, regex
// search by position, CSV and version parsing, and term lookup by index.

func init() {
	scalar("replace_strings", params(req("text", AnyType), req("lookups", DynOnly),
		req("rewrites", DynOnly)), Fixed(tables.String),
		"Replaces several lookups at once; an earlier lookup wins where matches overlap.",
		replaceStrings)
	scalar("strcmp", params(req("string1", AnyType), req("string2", AnyType)), Fixed(tables.Long),
		"-1, 0 or 1 comparing two strings ordinally.",
		func(a []tables.Value) tables.Value {
			return tables.NewLong(int64(strings.Compare(str(a[0]), str(a[1]))))
		})
	Register(&Func{
		Name: "indexof_regex", Kind: Scalar,
		Params: params(req("source", AnyType), req("lookup", AnyType), opt("start", Integer),
			opt("length", Integer), opt("occurrence", Integer)),
		Result: Fixed(tables.Long), Compile: compileIndexOfRegex,
		Doc: "Character position of the n-th (non-overlapping) regex match, or -1.",
	})
	scalar("parse_csv", params(req("csv_text", AnyType)), Fixed(tables.Dynamic),
		"The fields of the first CSV record as a dynamic array of strings.", parseCSV)
	scalar("parse_version", params(req("version", AnyType)), Fixed(tables.Decimal),
		"A comparable decimal from a version of 1 to 4 dot-separated parts of up to 8 digits "+
			"(kql's decimal is a float64, so parts below the top 16 digits can round).",
		parseVersion)
	scalar("has_any_index", params(req("source", AnyType), req("values", DynOnly)), Fixed(tables.Long),
		"Index of the first element of values that source has as a term, or -1.", hasAnyIndex)
	scalar("repeat", params(req("value", AnyType), req("count", Integer)), Fixed(tables.Dynamic),
		"A dynamic array of count copies of value; [] for 0, null for a negative count.", repeatValue)
	scalar("isutf8", params(req("value", AnyType)), Fixed(tables.Bool),
		"True when the string is valid UTF-8.",
		func(a []tables.Value) tables.Value { return tables.NewBool(utf8.ValidString(str(a[0]))) })
	scalar("to_utf8", params(req("value", AnyType)), Fixed(tables.Dynamic),
		"The UTF-8 bytes of a string as a dynamic array of numbers.",
		func(a []tables.Value) tables.Value { return byteArray([]byte(str(a[0]))) })
	scalar("make_string", params(many("value", AnyType)), Fixed(tables.String),
		"A string from Unicode code points (numbers or arrays of numbers).", makeString)
}

// replaceStrings claims matches lookup by lookup, so an earlier lookup
// takes precedence over a later one at an overlapping place (the
// documented "Thwas was" example). A rewrite that is not a string leaves
// the matched text as it is.
func replaceStrings(a []tables.Value) tables.Value {
	s := str(a[0])
	if !isArray(a[1]) || !isArray(a[2]) {
		return tables.NewString(s)
	}
	lookups, rewrites := elements(a[1]), elements(a[2])
	var claims []textClaim
	taken := make([]bool, len(s))
	for j, l := range lookups {
		look, ok := l.DynString()
		if !ok || look == "" {
			continue
		}
		rewrite, ok := "", false
		if j < len(rewrites) {
			rewrite, ok = rewrites[j].DynString()
		}
		for from := 0; from+len(look) <= len(s); {
			i := strings.Index(s[from:], look)
			if i < 0 {
				break
			}
			i += from
			if free(taken, i, i+len(look)) {
				for k := i; k < i+len(look); k++ {
					taken[k] = true
				}
				with := s[i : i+len(look)]
				if ok {
					with = rewrite
				}
				claims = append(claims, textClaim{i, i + len(look), with})
				from = i + len(look)
				continue
			}
			from = i + 1
		}
	}
	if len(claims) == 0 {
		return tables.NewString(s)
	}
	var b strings.Builder
	pos := 0
	for i := range s {
		if i < pos {
			continue
		}
		if c, found := claimAt(claims, i); found {
			b.WriteString(c.with)
			pos = c.to
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		pos = i + size
	}
	return tables.NewString(b.String())
}

// textClaim is one match replace_strings will rewrite: bytes from..to of
// the text become with.
type textClaim struct {
	from, to int
	with     string
}

func free(taken []bool, from, to int) bool {
	for k := from; k < to; k++ {
		if taken[k] {
			return false
		}
	}
	return true
}

// claimAt returns the claim starting at byte i.
func claimAt(claims []textClaim, i int) (textClaim, bool) {
	for _, c := range claims {
		if c.from == i {
			return c, true
		}
	}
	return textClaim{}, false
}

func compileIndexOfRegex(c *Call) (Impl, error) {
	get, err := regexGetter(c, 1, asIs)
	if err != nil {
		return nil, err
	}
	return func(a []tables.Value) tables.Value {
		re := get(a)
		s := str(a[0])
		var start, length, occurrence int64 = 0, -1, 1
		if len(a) > 2 && !a[2].IsNull() {
			start, _ = toI(a[2])
		}
		if len(a) > 3 && !a[3].IsNull() {
			length, _ = toI(a[3])
		}
		if len(a) > 4 && !a[4].IsNull() {
			occurrence, _ = toI(a[4])
		}
		if re == nil || start < 0 || length < -1 || occurrence <= 0 {
			return tables.Null(tables.Long)
		}
		runes := []rune(s)
		if start > int64(len(runes)) {
			return tables.NewLong(-1)
		}
		end := int64(len(runes))
		if length >= 0 {
			end = min(start+length, end)
		}
		window := string(runes[start:end])
		matches := re.FindAllStringIndex(window, int(occurrence))
		if int64(len(matches)) < occurrence {
			return tables.NewLong(-1)
		}
		at := matches[occurrence-1][0]
		return tables.NewLong(start + int64(utf8.RuneCountInString(window[:at])))
	}, nil
}

func parseCSV(a []tables.Value) tables.Value {
	r := csv.NewReader(strings.NewReader(str(a[0])))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rec, err := r.Read()
	if err != nil {
		if str(a[0]) == "" {
			return stringArray([]string{""})
		}
		return tables.Null(tables.Dynamic)
	}
	return stringArray(rec)
}

// parseVersion weighs part i of a.b.c.d by 10^(8*(3-i)): each part has up to
// 8 digits, so comparing the decimals compares versions.
func parseVersion(a []tables.Value) tables.Value {
	parts := strings.Split(strings.TrimSpace(str(a[0])), ".")
	if len(parts) > 4 {
		return tables.Null(tables.Decimal)
	}
	total := 0.0
	scale := 1e24
	for _, p := range parts {
		if p == "" || len(p) > 8 {
			return tables.Null(tables.Decimal)
		}
		n, err := strconv.ParseUint(p, 10, 32)
		if err != nil {
			return tables.Null(tables.Decimal)
		}
		total += float64(n) * scale
		scale /= 1e8
	}
	return tables.NewDecimal(total)
}

func hasAnyIndex(a []tables.Value) tables.Value {
	if !isArray(a[1]) {
		return tables.Null(tables.Long)
	}
	s := str(a[0])
	for i, e := range elements(a[1]) {
		needle := e.String()
		if needle != "" && HasTerm(s, needle, true, true, true) {
			return tables.NewLong(int64(i))
		}
	}
	return tables.NewLong(-1)
}

// repeatValue is repeat(): the array's text is built once from one
// element's JSON. An array whose text would pass 16 MB is null, since
// allocating it could exhaust memory (an out-of-memory error cannot be
// recovered).
func repeatValue(a []tables.Value) tables.Value {
	n, ok := toI(a[1])
	if !ok || n < 0 {
		return tables.Null(tables.Dynamic)
	}
	item := tables.AppendJSON(nil, a[0])
	if n > int64(1<<24/(len(item)+1)) {
		return tables.Null(tables.Dynamic)
	}
	b := make([]byte, 0, 2+int(n)*(len(item)+1))
	b = append(b, '[')
	for i := int64(0); i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, item...)
	}
	return tables.NewDynamic(string(append(b, ']')))
}

// byteArray is a dynamic array of byte values.
func byteArray(b []byte) tables.Value {
	vals := make([]tables.Value, len(b))
	for i, c := range b {
		vals[i] = tables.NewLong(int64(c))
	}
	return arrayOf(vals)
}

func makeString(a []tables.Value) tables.Value {
	var b strings.Builder
	add := func(v tables.Value) bool {
		n, ok := toI(v)
		if !ok || n < 0 || n > utf8.MaxRune {
			return false
		}
		b.WriteRune(rune(n))
		return true
	}
	for _, v := range a {
		if isArray(v) {
			for _, e := range elements(v) {
				if !add(e) {
					return tables.Null(tables.String)
				}
			}
			continue
		}
		if !add(v) {
			return tables.Null(tables.String)
		}
	}
	return tables.NewString(b.String())
}
