package functions

import (
	"strconv"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// Functions the hunting-query corpus uses beyond the core families.

func init() {
	Register(&Func{
		Name: "extract_json", Aliases: []string{"extractjson"}, Kind: Scalar,
		Params: params(req("jsonPath", AnyType), req("dataSource", AnyType), konst(opt("type", AnyType))),
		Result: Fixed(tables.String), ResultOf: extractJSONType, Compile: compileExtractJSON,
		Doc: "Value at a JSONPath ($.a.b[0], $['a']) of JSON text, as a string or the given type.",
	})
	scalar("parse_path", params(req("path", AnyType)), Fixed(tables.Dynamic),
		"Splits a file path into Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension, AlternateDataStreamName.",
		parsePath)
	scalar("parse_command_line", params(req("command_line", AnyType), req("parser", Text)),
		Fixed(tables.Dynamic), "Splits a Windows command line into its arguments (CommandLineToArgvW rules).",
		func(a []tables.Value) tables.Value {
			if !strings.EqualFold(str(a[1]), "windows") {
				return tables.Null(tables.Dynamic)
			}
			return stringArray(windowsArgs(str(a[0])))
		})
	scalar("format_bytes", params(req("size", Numeric), opt("precision", Integer), opt("units", Text)),
		Fixed(tables.String), "Formats a byte count with units: 564 Bytes, 10.1 KB, 19 MB.", formatBytes)
	scalar("translate", params(req("searchList", AnyType), req("replacementList", AnyType),
		req("source", AnyType)), Fixed(tables.String),
		"Replaces each character of searchList with the matching one of replacementList.", translate)
	scalar("unicode_codepoints_from_string", params(req("source", AnyType)), Fixed(tables.Dynamic),
		"The Unicode code points of a string, as a dynamic array.",
		func(a []tables.Value) tables.Value {
			var out []tables.Value
			for _, r := range str(a[0]) {
				out = append(out, tables.NewLong(int64(r)))
			}
			return arrayOf(out)
		})
	scalar("unicode_codepoints_to_string", params(many("values", Of(tables.Int, tables.Long, tables.Dynamic))),
		Fixed(tables.String), "Builds a string from code points (numbers or arrays of them).", codepointsToString)
	scalar("ingestion_time", nil, Fixed(tables.DateTime),
		"Always null: local files carry no ingestion time.",
		func([]tables.Value) tables.Value { return tables.Null(tables.DateTime) })
}

func extractJSONType(c *Call) tables.Type {
	if len(c.Consts) > 2 && c.Consts[2] != nil {
		if t, ok := tables.ParseType(typeName(c.Consts[2].String())); ok {
			return t
		}
	}
	return tables.String
}

func compileExtractJSON(c *Call) (Impl, error) {
	t := extractJSONType(c)
	return func(a []tables.Value) tables.Value {
		steps, ok := jsonPath(str(a[0]))
		if !ok {
			return tables.Null(t)
		}
		v := parseJSON(a[1])
		for _, s := range steps {
			if s.key != nil {
				v = v.Member(*s.key)
			} else {
				v = v.Index(s.index)
			}
		}
		if v.IsNull() {
			return tables.Null(t)
		}
		if t == tables.String {
			return tables.NewString(v.String())
		}
		return cast(v, t)
	}, nil
}

// pathStep is one step of a JSONPath: a member key or an array index.
type pathStep struct {
	key   *string
	index int64
}

// jsonPath reads the JSONPath subset extract_json needs: $, .name,
// ['name'] or ["name"], and [n].
func jsonPath(p string) ([]pathStep, bool) {
	p = strings.TrimSpace(p)
	if !strings.HasPrefix(p, "$") {
		return nil, false
	}
	var steps []pathStep
	for i := 1; i < len(p); {
		switch p[i] {
		case '.':
			j := i + 1
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			k := p[i+1 : j]
			steps = append(steps, pathStep{key: &k})
			i = j
		case '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, false
			}
			inner := strings.TrimSpace(p[i+1 : i+end])
			if len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') {
				k := inner[1 : len(inner)-1]
				steps = append(steps, pathStep{key: &k})
			} else {
				n, err := strconv.ParseInt(inner, 10, 64)
				if err != nil {
					return nil, false
				}
				steps = append(steps, pathStep{index: n})
			}
			i += end + 1
		default:
			return nil, false
		}
	}
	return steps, true
}

// parsePath splits Windows, UNC, URL-style and Unix paths.
func parsePath(a []tables.Value) tables.Value {
	p := str(a[0])
	var scheme, root, ads string
	if s, rest, ok := strings.Cut(p, "://"); ok && !strings.ContainsAny(s, `/\`) {
		scheme, p = s, rest
	}
	if len(p) >= 2 && p[1] == ':' && isAlnumByte(p[0]) {
		root = p[:2]
	}
	sep := strings.LastIndexAny(p, `/\`)
	dir, file := "", p
	if sep >= 0 {
		dir, file = p[:sep], p[sep+1:]
	}
	if i := strings.IndexByte(file, ':'); i >= 0 {
		file, ads = file[:i], file[i+1:]
	}
	dirName := dir
	if i := strings.LastIndexAny(dir, `/\`); i >= 0 {
		dirName = dir[i+1:]
	}
	ext := ""
	if i := strings.LastIndexByte(file, '.'); i >= 0 {
		ext = file[i+1:]
	}
	var b bag
	for _, kv := range [][2]string{
		{"Scheme", scheme}, {"RootPath", root}, {"DirectoryPath", dir}, {"DirectoryName", dirName},
		{"Filename", file}, {"Extension", ext}, {"AlternateDataStreamName", ads},
	} {
		b.set(kv[0], tables.NewString(kv[1]))
	}
	return b.value()
}

// windowsArgs splits a command line as CommandLineToArgvW does: blanks
// separate arguments outside quotes; 2n backslashes before a quote give n
// backslashes and the quote toggles quoting, 2n+1 give n and a literal quote.
func windowsArgs(s string) []string {
	var out []string
	var cur strings.Builder
	inQuotes, started := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				cur.WriteString(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					cur.WriteByte('"')
				} else {
					inQuotes = !inQuotes
				}
			} else {
				cur.WriteString(strings.Repeat(`\`, n))
				i--
			}
			started = true
		case c == '"':
			inQuotes = !inQuotes
			started = true
		case (c == ' ' || c == '\t') && !inQuotes:
			if started {
				out = append(out, cur.String())
				cur.Reset()
				started = false
			}
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}

var byteUnits = []string{"Bytes", "KB", "MB", "GB", "TB", "PB", "EB"}

func formatBytes(a []tables.Value) tables.Value {
	size, ok := toF(a[0])
	if !ok {
		return tables.NewString("")
	}
	var prec int64
	if len(a) > 1 && !a[1].IsNull() {
		prec, _ = toI(a[1])
	}
	unit := -1
	if len(a) > 2 {
		for i, u := range byteUnits {
			if strings.EqualFold(u, str(a[2])) || i == 0 && strings.EqualFold(str(a[2]), "bytes") {
				unit = i
			}
		}
	}
	if unit < 0 {
		unit = 0
		for s := size; (s >= 1024 || s <= -1024) && unit < len(byteUnits)-1; s /= 1024 {
			unit++
		}
	}
	for i := 0; i < unit; i++ {
		size /= 1024
	}
	return tables.NewString(strconv.FormatFloat(size, 'f', int(prec), 64) + " " + byteUnits[unit])
}

func translate(a []tables.Value) tables.Value {
	from, to := []rune(str(a[0])), []rune(str(a[1]))
	mapping := map[rune]rune{}
	for i, r := range from {
		if _, dup := mapping[r]; dup {
			continue
		}
		switch {
		case len(to) == 0:
			mapping[r] = -1
		case i < len(to):
			mapping[r] = to[i]
		default:
			mapping[r] = to[len(to)-1]
		}
	}
	var b strings.Builder
	for _, r := range str(a[2]) {
		m, ok := mapping[r]
		switch {
		case !ok:
			b.WriteRune(r)
		case m >= 0:
			b.WriteRune(m)
		}
	}
	return tables.NewString(b.String())
}

func codepointsToString(a []tables.Value) tables.Value {
	var b strings.Builder
	add := func(v tables.Value) bool {
		n, ok := toI(v)
		if !ok || n < 0 || n > 0x10FFFF {
			return false
		}
		b.WriteRune(rune(n))
		return true
	}
	for _, v := range a {
		if isArray(v) {
			good := true
			v.Elements(func(_ string, e tables.Value) bool { good = add(e); return good })
			if !good {
				return tables.NewString("")
			}
			continue
		}
		if !add(v) {
			return tables.NewString("")
		}
	}
	return tables.NewString(b.String())
}
