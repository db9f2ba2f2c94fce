package tables

import "strings"

// Walking dynamic values
//
// Member, Index, Len and Elements walk the JSON text of a dynamic value
// with the loaders' skipping primitives instead of gjson's: profiles of the
// flagship query showed gjson's byte-at-a-time walk (parseSquash) and
// Get's key matching as the largest costs after loading, while skipString
// jumps from quote to quote. The text of a dynamic value is valid JSON (the
// loaders and constructors see to it); on text that is not, the walk stops
// early and never reads out of bounds.

// eachMember calls fn with the raw key (escapes left in) and raw value of
// each member of the object s, whose '{' is at s[0], until fn returns
// false.
func eachMember(s string, fn func(key, val string) bool) {
	i := skipSpace(s, 1)
	for i < len(s) && s[i] == '"' {
		kend, ok := skipString(s, i+1)
		if !ok {
			return
		}
		key := s[i+1 : kend-1]
		i = skipSpace(s, kend)
		if i >= len(s) || s[i] != ':' {
			return
		}
		i = skipSpace(s, i+1)
		end, ok := skipValue(s, i)
		if !ok || end <= i || !fn(key, s[i:end]) {
			return
		}
		if i = skipSpace(s, end); i >= len(s) || s[i] != ',' {
			return
		}
		i = skipSpace(s, i+1)
	}
}

// eachElement calls fn with the raw text of each element of the array s,
// whose '[' is at s[0], until fn returns false.
func eachElement(s string, fn func(val string) bool) {
	i := skipSpace(s, 1)
	for i < len(s) && s[i] != ']' {
		end, ok := skipValue(s, i)
		if !ok || end <= i || !fn(s[i:end]) {
			return
		}
		if i = skipSpace(s, end); i >= len(s) || s[i] != ',' {
			return
		}
		i = skipSpace(s, i+1)
	}
}

// keyText returns the text of a raw key.
func keyText(raw string) string {
	if strings.IndexByte(raw, '\\') < 0 {
		return raw
	}
	return unescape(raw)
}

// memberRaw returns the raw value of the first member of object s called
// key.
func memberRaw(s, key string) (string, bool) {
	var out string
	found := false
	eachMember(s, func(k, val string) bool {
		if k == key || (strings.IndexByte(k, '\\') >= 0 && unescape(k) == key) {
			out, found = val, true
			return false
		}
		return true
	})
	return out, found
}

// fromRaw wraps the raw text of a JSON value as a dynamic value without
// copying it; the literal null is a dynamic null.
func fromRaw(raw string) Value {
	if raw == "" || raw == "null" {
		return Null(Dynamic)
	}
	return Value{t: Dynamic, s: raw}
}
