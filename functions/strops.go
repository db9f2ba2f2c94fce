package functions

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// StringOp returns the predicate of a KQL string operator (has, contains,
// startswith, =~ and their _cs and negated forms), for the engine's binary
// expressions. The left operand is the value searched, the right one the
// needle. Operators without _cs fold case; the common all-ASCII case is
// compared byte by byte without allocating, since these run once per row.
func StringOp(op string) (func(l, r string) bool, bool) {
	neg := strings.HasPrefix(op, "!")
	base := strings.TrimPrefix(op, "!")
	f, ok := stringOps[base]
	if !ok {
		return nil, false
	}
	if neg {
		return func(l, r string) bool { return !f(l, r) }, true
	}
	return f, true
}

var stringOps = map[string]func(l, r string) bool{
	"=~":            equalFold,
	"~":             func(l, r string) bool { return equalFold(l, r) }, // the stem of !~
	"contains":      func(l, r string) bool { return containsFold(l, r) },
	"contains_cs":   strings.Contains,
	"startswith":    prefixFold,
	"startswith_cs": strings.HasPrefix,
	"endswith":      suffixFold,
	"endswith_cs":   strings.HasSuffix,
	"has":           func(l, r string) bool { return HasTerm(l, r, true, true, true) },
	"has_cs":        func(l, r string) bool { return HasTerm(l, r, false, true, true) },
	"hasprefix":     func(l, r string) bool { return HasTerm(l, r, true, true, false) },
	"hasprefix_cs":  func(l, r string) bool { return HasTerm(l, r, false, true, false) },
	"hassuffix":     func(l, r string) bool { return HasTerm(l, r, true, false, true) },
	"hassuffix_cs":  func(l, r string) bool { return HasTerm(l, r, false, false, true) },
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold is =~: Unicode simple case folding, as strings.EqualFold does
// without allocating.
func equalFold(l, r string) bool { return strings.EqualFold(l, r) }

func prefixFold(l, r string) bool {
	return len(l) >= len(r) && strings.EqualFold(l[:len(r)], r) ||
		!isASCII(l) && strings.HasPrefix(strings.ToLower(l), strings.ToLower(r))
}

func suffixFold(l, r string) bool {
	return len(l) >= len(r) && strings.EqualFold(l[len(l)-len(r):], r) ||
		!isASCII(l) && strings.HasSuffix(strings.ToLower(l), strings.ToLower(r))
}

func containsFold(l, r string) bool {
	l, r, ascii := foldPair(l, r, true)
	return indexIn(l, r, 0, ascii) >= 0
}

// foldPair prepares operands for a case-insensitive search: when both are
// ASCII they are returned unchanged and compared with an ASCII fold (ascii
// is true); otherwise both are lower-cased once.
func foldPair(l, r string, fold bool) (string, string, bool) {
	if !fold {
		return l, r, false
	}
	if isASCII(l) && isASCII(r) {
		return l, r, true
	}
	return strings.ToLower(l), strings.ToLower(r), false
}

// indexIn finds r in l at or after from; asciiFold compares ASCII letters
// case-insensitively.
func indexIn(l, r string, from int, asciiFold bool) int {
	if !asciiFold {
		i := strings.Index(l[from:], r)
		if i < 0 {
			return -1
		}
		return from + i
	}
	n := len(r)
	if n == 0 {
		return from
	}
	first := lowerByte(r[0])
	for i := from; i+n <= len(l); i++ {
		if lowerByte(l[i]) != first {
			continue
		}
		j := 1
		for j < n && lowerByte(l[i+j]) == lowerByte(r[j]) {
			j++
		}
		if j == n {
			return i
		}
	}
	return -1
}

// isTermRune reports whether r belongs to a term: Kusto's terms are
// maximal runs of alphanumeric characters. Letters and digits outside ASCII
// count too (an assumption: the reference says only "alphanumeric").
func isTermRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// HasTerm is the has family. With left and right set (has) the needle must
// match whole terms: where the needle starts with a term character the
// match must start a term, and where it ends with one the match must end a
// term, so a needle with punctuation ("foo.bar") matches as a phrase
// aligned to term boundaries. hasprefix checks only the start, hassuffix
// only the end. An empty needle matches every value.
func HasTerm(l, r string, fold, left, right bool) bool {
	if r == "" {
		return true
	}
	l, r, ascii := foldPair(l, r, fold)
	first, _ := utf8.DecodeRuneInString(r)
	last, _ := utf8.DecodeLastRuneInString(r)
	checkL := left && isTermRune(first)
	checkR := right && isTermRune(last)
	for from := 0; from+len(r) <= len(l); {
		i := indexIn(l, r, from, ascii)
		if i < 0 {
			return false
		}
		end := i + len(r)
		okL := !checkL || i == 0 || !isTermRune(lastRune(l[:i]))
		okR := !checkR || end == len(l) || !isTermRune(firstRune(l[end:]))
		if okL && okR {
			return true
		}
		from = i + 1
	}
	return false
}

func lastRune(s string) rune {
	if c := s[len(s)-1]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func firstRune(s string) rune {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// Regex compiles a KQL regular expression for `matches regex`, extract and
// the other regex functions. Kusto uses RE2 syntax, which Go's regexp
// implements, so the pattern passes through; compiled patterns are cached
// because a pattern computed per row usually repeats.
func Regex(pattern string) (*regexp.Regexp, error) {
	if re, ok := regexCache.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	if regexCount.Add(1) <= maxCachedRegexes {
		regexCache.Store(pattern, re)
	}
	return re, nil
}

// maxCachedRegexes bounds the cache, so that patterns built from row data
// cannot grow it without limit.
const maxCachedRegexes = 4096

var (
	regexCache sync.Map
	regexCount atomic.Int64
)
