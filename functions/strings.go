package functions

import (
	"strings"
	"unicode/utf8"

	"github.com/kql-offline/kql/tables"
)

// String functions take any scalar where the docs allow it and convert it
// with tostring(); results are never null (an absent string is "").

// maxStrcatArgs is Kusto's limit on strcat's argument count.
const maxStrcatArgs = 64

func init() {
	str1 := params(req("source", AnyType))
	scalar("strlen", str1, Fixed(tables.Long), "Number of Unicode characters in a string.",
		func(a []tables.Value) tables.Value {
			return tables.NewLong(int64(utf8.RuneCountInString(str(a[0]))))
		})
	scalar("string_size", str1, Fixed(tables.Long), "Number of bytes of a string in UTF-8.",
		func(a []tables.Value) tables.Value { return tables.NewLong(int64(len(str(a[0])))) })
	scalar("tolower", str1, Fixed(tables.String), "Converts a string to lower case.",
		func(a []tables.Value) tables.Value { return tables.NewString(strings.ToLower(str(a[0]))) })
	scalar("toupper", str1, Fixed(tables.String), "Converts a string to upper case.",
		func(a []tables.Value) tables.Value { return tables.NewString(strings.ToUpper(str(a[0]))) })
	scalar("reverse", str1, Fixed(tables.String), "Reverses the characters of tostring(value).",
		func(a []tables.Value) tables.Value { return tables.NewString(reverseString(str(a[0]))) })
	scalar("isascii", str1, Fixed(tables.Bool), "True when every character is ASCII.",
		func(a []tables.Value) tables.Value { return tables.NewBool(isASCII(str(a[0]))) })
	scalar("substring", params(req("source", AnyType), req("startingIndex", Integer),
		opt("length", Integer)), Fixed(tables.String),
		"Substring by character position; a negative start counts from the end.", substring)
	scalar("strcat", params(many("value", AnyType)), Fixed(tables.String),
		"Concatenates the string forms of its 1 to 64 arguments.", strcat)
	scalar("strcat_delim", params(req("delimiter", AnyType), req("value", AnyType),
		many("more", AnyType)), Fixed(tables.String),
		"Concatenates the string forms of its arguments with a delimiter.", strcatDelim)
	scalar("strcat_array", params(req("array", DynOnly), req("delimiter", AnyType)),
		Fixed(tables.String), "Joins the elements of a dynamic array with a delimiter.", strcatArray)
	scalar("strrep", params(req("value", AnyType), req("multiplier", Integer),
		opt("delimiter", AnyType)), Fixed(tables.String),
		"Repeats tostring(value) multiplier times (at most 1024), with an optional delimiter.", strrep)
	scalar("replace_string", params(req("text", AnyType), req("lookup", AnyType),
		req("rewrite", AnyType)), Fixed(tables.String),
		"Replaces every occurrence of lookup in text.",
		func(a []tables.Value) tables.Value {
			lookup := str(a[1])
			if lookup == "" {
				return tables.NewString(str(a[0]))
			}
			return tables.NewString(strings.ReplaceAll(str(a[0]), lookup, str(a[2])))
		})
	scalar("indexof", params(req("source", AnyType), req("lookup", AnyType),
		opt("start_index", Integer), opt("length", Integer), opt("occurrence", Integer)),
		Fixed(tables.Long), "Character position of the n-th occurrence of lookup, or -1.", indexOf)
	scalar("countof", params(req("source", AnyType), req("search", AnyType),
		opt("kind", Text)), Fixed(tables.Long),
		"Counts occurrences of search (overlapping), or of regex matches with kind \"regex\".",
		countOf)
	scalar("split", params(req("source", AnyType), req("delimiter", AnyType),
		opt("requestedIndex", Integer)), Fixed(tables.Dynamic),
		"Splits a string on a delimiter into a dynamic array; with an index, [element] or [].",
		split)
}

func reverseString(s string) string {
	if isASCII(s) {
		b := make([]byte, len(s))
		for i := 0; i < len(s); i++ {
			b[len(s)-1-i] = s[i]
		}
		return string(b)
	}
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// runeSlice returns s[from:to] counted in characters; ASCII strings are
// sliced directly.
func runeSlice(s string, from, to int) string {
	if isASCII(s) {
		return s[from:to]
	}
	return string([]rune(s)[from:to])
}

func runeLen(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}

func substring(a []tables.Value) tables.Value {
	s := str(a[0])
	start, ok := toI(a[1])
	if !ok {
		return tables.NewString("")
	}
	n := int64(runeLen(s))
	if start < 0 {
		start = max(n+start, 0)
	}
	if start > n {
		return tables.NewString("")
	}
	end := n
	if len(a) > 2 && !a[2].IsNull() {
		l, _ := toI(a[2])
		if l < 0 {
			return tables.NewString("")
		}
		end = min(start+l, n)
	}
	return tables.NewString(runeSlice(s, int(start), int(end)))
}

func strcat(a []tables.Value) tables.Value {
	if len(a) == 1 {
		return tables.NewString(str(a[0]))
	}
	var b strings.Builder
	for i, v := range a {
		if i == maxStrcatArgs {
			break
		}
		b.WriteString(str(v))
	}
	return tables.NewString(b.String())
}

func strcatDelim(a []tables.Value) tables.Value {
	delim := str(a[0])
	var b strings.Builder
	for i, v := range a[1:] {
		if i > 0 {
			b.WriteString(delim)
		}
		b.WriteString(str(v))
	}
	return tables.NewString(b.String())
}

func strcatArray(a []tables.Value) tables.Value {
	delim := str(a[1])
	var b strings.Builder
	i := 0
	a[0].Elements(func(_ string, e tables.Value) bool {
		if i > 0 {
			b.WriteString(delim)
		}
		b.WriteString(e.String())
		i++
		return true
	})
	return tables.NewString(b.String())
}

func strrep(a []tables.Value) tables.Value {
	n, ok := toI(a[1])
	if !ok || n <= 0 {
		return tables.NewString("")
	}
	n = min(n, 1024)
	s := str(a[0])
	if len(a) < 3 {
		return tables.NewString(strings.Repeat(s, int(n)))
	}
	delim := str(a[2])
	var b strings.Builder
	for i := int64(0); i < n; i++ {
		if i > 0 {
			b.WriteString(delim)
		}
		b.WriteString(s)
	}
	return tables.NewString(b.String())
}

// indexOf is indexof(): the search covers characters start through
// start+length inclusive (the documented examples need the inclusive end),
// and occurrences may overlap.
func indexOf(a []tables.Value) tables.Value {
	s, lookup := str(a[0]), str(a[1])
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
	if length < -1 || occurrence <= 0 {
		return tables.Null(tables.Long)
	}
	rs := []rune(s)
	n := int64(len(rs))
	if start < 0 {
		start = max(n+start, 0)
	}
	if start > n {
		return tables.NewLong(-1)
	}
	end := n
	if length >= 0 {
		end = min(start+length+1, n)
	}
	hay := rs[start:end]
	needle := []rune(lookup)
	for i := 0; i+len(needle) <= len(hay); i++ {
		if runesAt(hay, i, needle) {
			occurrence--
			if occurrence == 0 {
				return tables.NewLong(start + int64(i))
			}
		}
	}
	return tables.NewLong(-1)
}

func runesAt(hay []rune, i int, needle []rune) bool {
	for j, r := range needle {
		if hay[i+j] != r {
			return false
		}
	}
	return true
}

func countOf(a []tables.Value) tables.Value {
	s, search := str(a[0]), str(a[1])
	if search == "" {
		return tables.NewLong(0)
	}
	if len(a) > 2 && strings.EqualFold(str(a[2]), "regex") {
		re, err := Regex(search)
		if err != nil {
			return tables.Null(tables.Long)
		}
		return tables.NewLong(int64(len(re.FindAllStringIndex(s, -1))))
	}
	var n int64
	for i := 0; ; {
		j := strings.Index(s[i:], search)
		if j < 0 {
			break
		}
		n++
		_, size := utf8.DecodeRuneInString(s[i+j:])
		i += j + size
	}
	return tables.NewLong(n)
}

func split(a []tables.Value) tables.Value {
	s, delim := str(a[0]), str(a[1])
	parts := []string{s}
	if delim != "" {
		parts = strings.Split(s, delim)
	}
	if len(a) > 2 && !a[2].IsNull() {
		i, _ := toI(a[2])
		if i < 0 || i >= int64(len(parts)) {
			return emptyArray
		}
		return stringArray(parts[i : i+1])
	}
	return stringArray(parts)
}
