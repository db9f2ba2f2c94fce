package functions

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// Regex functions compile a constant pattern once at bind time, so that a
// bad pattern is reported at the call's position; a pattern computed per
// row goes through Regex's cache and a bad one gives an empty result.

// regexGetter returns how to obtain the compiled regex of argument i.
func regexGetter(c *Call, i int, wrap func(string) string) (func([]tables.Value) *regexp.Regexp, error) {
	if i < len(c.Consts) && c.Consts[i] != nil {
		re, err := Regex(wrap(c.Consts[i].String()))
		if err != nil {
			return nil, fmt.Errorf("invalid regular expression: %v", err)
		}
		return func([]tables.Value) *regexp.Regexp { return re }, nil
	}
	return func(a []tables.Value) *regexp.Regexp {
		re, err := Regex(wrap(str(a[i])))
		if err != nil {
			return nil
		}
		return re
	}, nil
}

func asIs(s string) string { return s }

func init() {
	registerTrim("trim", "Removes leading and trailing matches of a regex.", true, true)
	registerTrim("trim_start", "Removes leading matches of a regex.", true, false)
	registerTrim("trim_end", "Removes trailing matches of a regex.", false, true)

	Register(&Func{
		Name: "replace_regex", Kind: Scalar,
		Params: params(req("source", AnyType), req("lookup_regex", AnyType), req("rewrite_pattern", AnyType)),
		Result: Fixed(tables.String), Compile: compileReplace(0, 1, 2),
		Doc: "Replaces regex matches; \\1..\\9 in the rewrite refer to capture groups.",
	})
	Register(&Func{
		Name: "replace", Kind: Scalar,
		Params: params(req("regex", AnyType), req("rewrite", AnyType), req("text", AnyType)),
		Result: Fixed(tables.String), Compile: compileReplace(2, 0, 1),
		Doc: "Deprecated replace(regex, rewrite, text); use replace_regex.",
	})
	Register(&Func{
		Name: "extract", Kind: Scalar,
		Params: params(req("regex", AnyType), req("captureGroup", Integer), req("source", AnyType),
			konst(opt("typeLiteral", AnyType))),
		Result: Fixed(tables.String), ResultOf: extractType, Compile: compileExtract,
		Doc: "Returns a capture group of the first regex match (\"\" when none), optionally cast.",
	})
	Register(&Func{
		Name: "extract_all", Aliases: []string{"extractall"}, Kind: Scalar,
		Params: params(req("regex", AnyType), req("captureGroups_or_source", AnyType),
			opt("source", AnyType)),
		Result: Fixed(tables.Dynamic), Compile: compileExtractAll,
		Doc: "Returns all regex matches as a dynamic array (arrays of groups for several groups).",
	})
	scalar("regex_quote", params(req("value", AnyType)), Fixed(tables.String),
		"Escapes the regex metacharacters of a string.",
		func(a []tables.Value) tables.Value { return tables.NewString(regexp.QuoteMeta(str(a[0]))) })
}

func registerTrim(name, doc string, start, end bool) {
	Register(&Func{
		Name: name, Kind: Scalar, Params: params(req("regex", AnyType), req("source", AnyType)),
		Result: Fixed(tables.String), Doc: doc,
		Compile: func(c *Call) (Impl, error) {
			pre, err := regexGetter(c, 0, func(p string) string { return "^(?:" + p + ")+" })
			if err != nil {
				return nil, err
			}
			suf, _ := regexGetter(c, 0, func(p string) string { return "(?:" + p + ")+$" })
			return func(a []tables.Value) tables.Value {
				s := str(a[1])
				if start {
					if re := pre(a); re != nil {
						if loc := re.FindStringIndex(s); loc != nil {
							s = s[loc[1]:]
						}
					}
				}
				if end {
					if re := suf(a); re != nil {
						if loc := re.FindStringIndex(s); loc != nil {
							s = s[:loc[0]]
						}
					}
				}
				return tables.NewString(s)
			}, nil
		},
	})
}

// rewriteTemplate turns a Kusto rewrite pattern (\0..\9 for groups) into a
// Go template ($ is literal in Kusto, so it is escaped).
func rewriteTemplate(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$':
			b.WriteString("$$")
		case c == '\\' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			b.WriteString("${" + string(s[i+1]) + "}")
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func compileReplace(src, re, rw int) func(*Call) (Impl, error) {
	return func(c *Call) (Impl, error) {
		get, err := regexGetter(c, re, asIs)
		if err != nil {
			return nil, err
		}
		var constTpl *string
		if rw < len(c.Consts) && c.Consts[rw] != nil {
			t := rewriteTemplate(c.Consts[rw].String())
			constTpl = &t
		}
		return func(a []tables.Value) tables.Value {
			r := get(a)
			if r == nil {
				return tables.NewString(str(a[src]))
			}
			tpl := ""
			if constTpl != nil {
				tpl = *constTpl
			} else {
				tpl = rewriteTemplate(str(a[rw]))
			}
			return tables.NewString(r.ReplaceAllString(str(a[src]), tpl))
		}, nil
	}
}

// extractType is extract's result type: the type named by a constant
// fourth argument (the binder passes typeof(T) as the type's name), else
// string.
func extractType(c *Call) tables.Type {
	if len(c.Consts) > 3 && c.Consts[3] != nil {
		if t, ok := tables.ParseType(typeName(c.Consts[3].String())); ok {
			return t
		}
	}
	return tables.String
}

// typeName accepts "int" and "typeof(int)".
func typeName(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "typeof(") && strings.HasSuffix(s, ")") {
		s = s[len("typeof(") : len(s)-1]
	}
	return s
}

func compileExtract(c *Call) (Impl, error) {
	get, err := regexGetter(c, 0, asIs)
	if err != nil {
		return nil, err
	}
	t := extractType(c)
	return func(a []tables.Value) tables.Value {
		re := get(a)
		g, ok := toI(a[1])
		if re == nil || !ok || g < 0 || int(g) > re.NumSubexp() {
			return tables.Null(t)
		}
		m := re.FindStringSubmatchIndex(str(a[2]))
		if m == nil || m[2*g] < 0 {
			return tables.Null(t)
		}
		v := tables.NewString(str(a[2])[m[2*g]:m[2*g+1]])
		if t == tables.String {
			return v
		}
		return tables.Convert(v, t)
	}, nil
}

func compileExtractAll(c *Call) (Impl, error) {
	get, err := regexGetter(c, 0, asIs)
	if err != nil {
		return nil, err
	}
	src := len(c.Types) - 1
	return func(a []tables.Value) tables.Value {
		re := get(a)
		if re == nil {
			return tables.Null(tables.Dynamic)
		}
		groups, explicit := groupList(re, a, src)
		if groups == nil {
			return tables.Null(tables.Dynamic)
		}
		s := str(a[src])
		matches := re.FindAllStringSubmatchIndex(s, -1)
		if len(matches) == 0 {
			return tables.Null(tables.Dynamic)
		}
		return matchesValue(s, matches, groups, explicit)
	}, nil
}

// groupList resolves the groups extract_all returns: every group (or the
// whole match when the regex has none), or the ones an explicit array
// names by number or by name.
func groupList(re *regexp.Regexp, a []tables.Value, src int) ([]int, bool) {
	if src == 1 {
		if re.NumSubexp() == 0 {
			return []int{0}, false
		}
		out := make([]int, re.NumSubexp())
		for i := range out {
			out[i] = i + 1
		}
		return out, false
	}
	var out []int
	bad := false
	a[1].Elements(func(_ string, e tables.Value) bool {
		if name, ok := e.DynString(); ok {
			if i := re.SubexpIndex(name); i >= 0 {
				out = append(out, i)
				return true
			}
			n, err := strconv.Atoi(name)
			if err != nil {
				bad = true
				return false
			}
			out = append(out, n)
			return true
		}
		n, ok := e.AsInt64()
		if !ok || n < 0 || int(n) > re.NumSubexp() {
			bad = true
			return false
		}
		out = append(out, int(n))
		return true
	})
	if bad || len(out) == 0 {
		return nil, true
	}
	return out, true
}

func matchesValue(s string, matches [][]int, groups []int, explicit bool) tables.Value {
	b := []byte{'['}
	for i, m := range matches {
		if i > 0 {
			b = append(b, ',')
		}
		if len(groups) == 1 && !explicit {
			b = appendGroup(b, s, m, groups[0])
			continue
		}
		b = append(b, '[')
		for j, g := range groups {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendGroup(b, s, m, g)
		}
		b = append(b, ']')
	}
	b = append(b, ']')
	return tables.NewDynamic(string(b))
}

func appendGroup(b []byte, s string, m []int, g int) []byte {
	if 2*g+1 >= len(m) || m[2*g] < 0 {
		return append(b, "null"...)
	}
	return tables.AppendJSONString(b, s[m[2*g]:m[2*g+1]])
}
