package engine

import (
	"strconv"
	"strings"

	"github.com/kql-offline/kql/tables"
)

func formatInt(n int) string { return strconv.Itoa(n) }

// suggest returns ` (did you mean 'x'?)` for the closest of the candidate
// names, or "" when none is close enough to be a likely typo.
func suggest(name string, candidates []string) string {
	best, bestD := "", len(name)/2+1
	if bestD > 3 {
		bestD = 3
	}
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return " (did you mean '" + c + "'?)"
		}
		if d := distance(strings.ToLower(name), strings.ToLower(c)); d < bestD || (d == bestD && best == "") && d <= 2 {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean '" + best + "'?)"
}

// distance is the Levenshtein edit distance between two strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// uniqueNames renames duplicate column names by appending 1, 2, ... to the
// later ones, as Kusto does (set_y, set_y1).
func uniqueNames(sch tables.Schema) tables.Schema {
	seen := map[string]bool{}
	out := make(tables.Schema, len(sch))
	for i, f := range sch {
		name := f.Name
		for n := 1; seen[name]; n++ {
			name = f.Name + strconv.Itoa(n)
		}
		seen[name] = true
		out[i] = tables.Field{Name: name, Type: f.Type}
	}
	return out
}

// matchPattern matches a column name against a pattern with * wildcards.
func matchPattern(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	for i, p := range parts[1:] {
		last := i == len(parts)-2
		if last {
			return strings.HasSuffix(name, p)
		}
		k := strings.Index(name, p)
		if k < 0 {
			return false
		}
		name = name[k+len(p):]
	}
	return true
}
