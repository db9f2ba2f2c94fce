package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// workspaceFlags are the flags that give a query what a Sentinel
// workspace has besides tables: externaldata files, watchlists and stored
// functions.
type workspaceFlags struct {
	externalData []string // URL=PATH
	externalMap  string   // a file of "URL PATH" lines
	watchlists   string   // a directory of NAME.csv
	watchlistKey []string // NAME=COLUMN: the search key column of a watchlist
	functions    string   // a directory of .kql and .yaml functions
	report       io.Writer
}

// register adds the flags to a command.
func (w *workspaceFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVar(&w.externalData, "externaldata", nil,
		"read externaldata `URL=PATH` from the local file PATH (repeatable; kql never fetches)")
	fl.StringVar(&w.externalMap, "externaldata-map", "",
		"read externaldata URLs from local files listed in `FILE` (lines: URL PATH)")
	w.registerCatalog(fl)
}

// registerCatalog adds the flags of what a query's names resolve to
// (watchlists and stored functions), for commands that do not run it.
func (w *workspaceFlags) registerCatalog(fl *pflag.FlagSet) {
	fl.StringVar(&w.watchlists, "watchlists", "",
		"_GetWatchlist('name') reads name.csv from `DIR`")
	fl.StringArrayVar(&w.watchlistKey, "watchlist-key", nil,
		"the search key of watchlist NAME is its column COLUMN: `NAME=COLUMN` "+
			"(default: a SearchKey column, else the first; repeatable)")
	fl.StringVar(&w.functions, "functions", "",
		"load stored functions from the .kql, .yaml and .json files in `DIR`")
}

// externalMapping maps externaldata URLs to local files.
type externalMapping map[string]string

// mapping reads --externaldata and --externaldata-map. A PATH in the map
// file is relative to the file's directory.
func (w *workspaceFlags) mapping() (externalMapping, error) {
	m := externalMapping{}
	for _, v := range w.externalData {
		// A URL may hold '=' in its query; a path rarely does.
		i := strings.LastIndex(v, "=")
		if i <= 0 || i == len(v)-1 {
			return nil, usagef("--externaldata %q: want URL=PATH", v)
		}
		m[v[:i]] = v[i+1:]
	}
	if w.externalMap == "" {
		return m, nil
	}
	if err := m.readFile(w.externalMap); err != nil {
		return nil, err
	}
	return m, nil
}

func (m externalMapping) readFile(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("--externaldata-map: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 2 {
			return &tables.DataError{Path: file, Line: line, Msg: "want URL PATH"}
		}
		p := fields[1]
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(file), p)
		}
		m[fields[0]] = p
	}
	return sc.Err()
}

// lookup finds the file of a URL: the URL as written, or without its
// query string (a SAS token changes; the file does not).
func (m externalMapping) lookup(url string) (string, bool) {
	if p, ok := m[url]; ok {
		return p, true
	}
	base, _, _ := strings.Cut(url, "?")
	p, ok := m[base]
	return p, ok
}

// resolver returns the engine's externaldata reader over the mapping.
func (m externalMapping) resolver(report io.Writer) engine.ExternalDataFunc {
	return func(req engine.ExternalDataRequest) (*tables.Table, error) {
		p, ok := m.lookup(req.URL)
		if !ok {
			base, _, _ := strings.Cut(req.URL, "?")
			return nil, fmt.Errorf("%s is not mapped to a local file; kql never fetches URLs: "+
				"add --externaldata '%s=PATH' (or a line in --externaldata-map)", req.URL, base)
		}
		t, err := tables.LoadExternal(p, tables.ExternalOptions{Schema: req.Schema, Format: req.Format,
			URL: req.URL, IgnoreFirstRecord: req.IgnoreFirstRecord, Mapping: req.Mapping,
			ZipPattern: req.ZipPattern})
		if err == nil && report != nil {
			// Without the query string: it often holds a SAS token.
			base, _, _ := strings.Cut(req.URL, "?")
			fmt.Fprintf(report, "kql: externaldata %s: %d rows from %s\n", base, t.Rows(), p)
		}
		return t, err
	}
}

// apply wires the externaldata mapping into the engine options.
func (w *workspaceFlags) apply(opts *engine.Options) error {
	m, err := w.mapping()
	if err != nil {
		return err
	}
	opts.ExternalData = m.resolver(w.report)
	return nil
}

// loadWorkspace adds the watchlists and stored functions to the catalog,
// saying what it loaded on report when that is not nil.
func loadWorkspace(cat *engine.Catalog, w workspaceFlags, report io.Writer) error {
	if w.watchlists != "" {
		if err := loadWatchlists(cat, w.watchlists, w.watchlistKey, report); err != nil {
			return err
		}
	} else if len(w.watchlistKey) > 0 {
		return usagef("--watchlist-key needs --watchlists DIR")
	}
	if w.functions != "" {
		if err := loadFunctions(cat, w.functions, report); err != nil {
			return err
		}
	}
	return nil
}

// watchlistKeys checks the --watchlist-key values and keys them by
// alias; each value stays whole, NAME=COLUMN.
func watchlistKeys(vals []string) (map[string]string, error) {
	out := map[string]string{}
	for _, v := range vals {
		name, col, ok := strings.Cut(v, "=")
		if !ok || name == "" || col == "" {
			return nil, usagef("--watchlist-key %q: want NAME=COLUMN", v)
		}
		out[name] = v
	}
	return out, nil
}

// loadWatchlists reads every NAME.csv (or NAME.csv.gz) in dir as watchlist
// NAME. A --watchlist-key naming no watchlist of dir is an error, so that
// a misspelt name is not silently ignored.
func loadWatchlists(cat *engine.Catalog, dir string, keyFlags []string, report io.Writer) error {
	keys, err := watchlistKeys(keyFlags)
	if err != nil {
		return err
	}
	if err := mustExist("watchlist directory", dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		lower := strings.ToLower(name)
		if e.IsDir() || !(strings.HasSuffix(lower, ".csv") || strings.HasSuffix(lower, ".csv.gz")) {
			continue
		}
		alias := tables.TableName(name)
		path := filepath.Join(dir, name)
		_, key, _ := strings.Cut(keys[alias], "=")
		delete(keys, alias)
		t, col, err := tables.LoadWatchlist(path, alias, key)
		if err != nil {
			return err
		}
		cat.AddWatchlist(alias, t)
		if report != nil {
			fmt.Fprintf(report, "kql: watchlist %s: %d items from %s; SearchKey is column '%s'\n",
				alias, t.Rows(), path, col)
		}
	}
	for _, v := range keys {
		alias, _, _ := strings.Cut(v, "=")
		return usagef("--watchlist-key %s: no watchlist %s (no %s.csv in %s)", v, alias, alias, dir)
	}
	return nil
}

// loadFunctions reads the stored functions of every .kql, .yaml, .yml and
// .json file in dir, in name order. Two definitions of one name are an error
// naming both files.
func loadFunctions(cat *engine.Catalog, dir string, report io.Writer) error {
	if err := mustExist("functions directory", dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	from := map[string]string{}
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".kql" && ext != ".yaml" && ext != ".yml" && ext != ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		fns, err := readFunctionFile(path)
		if err != nil {
			return err
		}
		for _, f := range fns {
			if prev, ok := from[f.Name]; ok {
				return fmt.Errorf("%s: function %s is also defined in %s", path, f.Name, prev)
			}
			from[f.Name] = path
			cat.AddFunction(f)
			if report != nil {
				fmt.Fprintf(report, "kql: function %s from %s\n", f.Name, path)
			}
		}
	}
	return nil
}

// readFunctionFile reads the functions one file defines.
func readFunctionFile(path string) ([]*engine.StoredFunction, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return yamlFunctions(path, data)
	case ".json":
		return savedSearchFunctions(path, data)
	}
	return kqlFunctions(path, tables.TableName(path), string(data), 1)
}

// kqlFunctions reads KQL text as stored functions. Text made only of let
// statements defines each let whose value is a function (the other lets
// are helpers, copied into the start of each function's body so that it
// still sees them). Text that ends in a query is one function without
// parameters, named name, whose body is the whole text, as a saved query
// is. line is the line of the file the text starts on.
func kqlFunctions(path, name, text string, line int) ([]*engine.StoredFunction, error) {
	script, err := parser.Parse(text)
	if err != nil {
		return nil, placeError(path, text, line, err)
	}
	newStored := func(name string, fn *parser.FuncLit) *engine.StoredFunction {
		return &engine.StoredFunction{Name: name, Fn: fn, Source: path, Text: text, Line: line}
	}
	if n := len(script.Stmts); n > 0 {
		if _, ok := script.Stmts[n-1].(*parser.ExprStmt); ok {
			fn := &parser.FuncLit{Span: script.Span, Body: script.Stmts, View: true}
			return []*engine.StoredFunction{newStored(name, fn)}, nil
		}
	}
	var helpers []parser.Stmt
	var out []*engine.StoredFunction
	for _, st := range script.Stmts {
		let, ok := st.(*parser.LetStmt)
		if !ok {
			continue
		}
		fn, ok := let.Value.(*parser.FuncLit)
		if !ok {
			helpers = append(helpers, st)
			continue
		}
		stored := *fn
		if len(helpers) > 0 {
			stored.Body = append(append([]parser.Stmt(nil), helpers...), fn.Body...)
		}
		// Callable by its bare name when no argument is needed, as
		// Sentinel's workspace functions are.
		stored.View = fn.View || allDefaulted(fn.Params)
		out = append(out, newStored(let.Name.Name, &stored))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: defines no function (want let Name = (params) { ... }; or a query)", path)
	}
	return out, nil
}

// placeError moves a parse error of text that starts on line of path to
// the file's coordinates.
func placeError(path, text string, line int, err error) error {
	var list parser.ErrorList
	var one *parser.Error
	switch {
	case errors.As(err, &list) && len(list) > 0:
		one = list[0]
	case errors.As(err, &one):
	default:
		return fmt.Errorf("%s: %w", path, err)
	}
	l, c := parser.Position(text, one.Span.Start)
	return &tables.DataError{Path: path, Line: l + line - 1, Col: c, Msg: one.Msg}
}

// yamlFunction is the part of a Sentinel function or parser YAML file kql
// reads. Solutions' parsers use FunctionName/FunctionAlias, FunctionQuery
// and FunctionParams; ASIM parsers use ParserName, EquivalentBuiltInParser,
// ParserQuery and ParserParams; a saved search has FunctionAlias, Query
// and FunctionParameters ("a:string, b:int=1").
type yamlFunction struct {
	FunctionName            string      `yaml:"FunctionName"`
	FunctionAlias           string      `yaml:"FunctionAlias"`
	ParserName              string      `yaml:"ParserName"`
	EquivalentBuiltInParser string      `yaml:"EquivalentBuiltInParser"`
	FunctionParams          []yamlParam `yaml:"FunctionParams"`
	ParserParams            []yamlParam `yaml:"ParserParams"`
	FunctionParameters      string      `yaml:"FunctionParameters"`
}

type yamlParam struct {
	Name string `yaml:"Name"`
	Type string `yaml:"Type"`
	// Default is KQL text, except for a string parameter, where it is the
	// string itself ('*' in YAML is the text *), as Sentinel's converter to
	// ARM templates writes it: eventresult:string='*'. nil: no default.
	Default *string `yaml:"Default"`
}

// defaultText returns a parameter's default as KQL text.
func (p yamlParam) defaultText() string {
	d := strings.TrimSpace(*p.Default)
	if !strings.EqualFold(strings.TrimSpace(p.Type), "string") || isStringLiteral(d) {
		return d
	}
	return kqlQuote(*p.Default)
}

// isStringLiteral reports whether s is written as a KQL string literal.
func isStringLiteral(s string) bool {
	s = strings.TrimLeft(s, "@hH")
	return len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0]
}

// kqlQuote writes s as a single-quoted KQL string literal.
func kqlQuote(s string) string {
	esc := strings.NewReplacer(`\`, `\\`, "'", `\'`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return "'" + esc.Replace(s) + "'"
}

// queryKeys are the keys that hold a function's body, in order of
// preference.
var queryKeys = []string{"FunctionQuery", "ParserQuery", "Query", "query"}

// yamlFunctions reads a Sentinel YAML function or parser. It is registered
// under each of its names (an ASIM parser under its ParserName and its
// built-in _ASim name).
func yamlFunctions(path string, data []byte) ([]*engine.StoredFunction, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var y yamlFunction
	if err := doc.Decode(&y); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	var body *yaml.Node
	for _, k := range queryKeys {
		if body = mappingValue(root, k); body != nil {
			break
		}
	}
	if body == nil || body.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%s: no FunctionQuery, ParserQuery or Query field", path)
	}
	line, indent := body.Line, 0
	if body.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		line++ // a block scalar starts on the line after its indicator
		indent = indentOf(data, line)
	}
	return declaredFunction(path, y, body.Value, line, indent)
}

// declaredFunction makes a function of a query and the names and
// parameters declared beside it.
func declaredFunction(path string, y yamlFunction, query string, line, indent int) ([]*engine.StoredFunction, error) {
	names := functionNames(path, y)
	params, err := yamlParams(path, y)
	if err != nil {
		return nil, err
	}
	fns, err := kqlFunctions(path, names[0], query, line)
	if err != nil {
		return nil, err
	}
	fns[0].Indent = indent
	if len(fns) != 1 || fns[0].Fn.Params != nil {
		return nil, fmt.Errorf("%s: the query of a YAML function must end in a tabular expression", path)
	}
	fn := fns[0]
	fn.Fn.Params = params
	fn.Fn.View = len(params) == 0 || allDefaulted(params)
	out := []*engine.StoredFunction{fn}
	for _, n := range names[1:] {
		alias := *fn
		alias.Name = n
		out = append(out, &alias)
	}
	return out, nil
}

// functionNames returns the names a YAML function is called by, its main
// one first; a file without any is named after itself.
func functionNames(path string, y yamlFunction) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range []string{y.FunctionAlias, y.FunctionName, y.ParserName, y.EquivalentBuiltInParser} {
		n = strings.TrimSpace(n)
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		out = append(out, tables.TableName(path))
	}
	return out
}

// yamlParams parses the declared parameters by parsing a let function
// header made of them.
func yamlParams(path string, y yamlFunction) ([]*parser.Param, error) {
	var parts []string
	for _, p := range append(y.FunctionParams, y.ParserParams...) {
		s := p.Name + ":" + p.Type
		if p.Default != nil {
			s += " = " + p.defaultText()
		}
		parts = append(parts, s)
	}
	decl := strings.Join(parts, ", ")
	if y.FunctionParameters != "" {
		decl = y.FunctionParameters
	}
	if strings.TrimSpace(decl) == "" {
		return nil, nil
	}
	text := "let f = (" + decl + ") { print 1 };"
	script, err := parser.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%s: parameters (%s): %w", path, decl, err)
	}
	let, ok := script.Stmts[0].(*parser.LetStmt)
	if !ok {
		return nil, fmt.Errorf("%s: cannot read the parameters (%s)", path, decl)
	}
	fn, ok := let.Value.(*parser.FuncLit)
	if !ok {
		return nil, fmt.Errorf("%s: cannot read the parameters (%s)", path, decl)
	}
	return fn.Params, nil
}

func allDefaulted(ps []*parser.Param) bool {
	for _, p := range ps {
		if p.Default == nil {
			return false
		}
	}
	return true
}

// indentOf returns the number of leading spaces of a 1-based line of data.
func indentOf(data []byte, line int) int {
	lines := strings.SplitN(string(data), "\n", line+1)
	if line < 1 || line > len(lines) {
		return 0
	}
	l := lines[line-1]
	return len(l) - len(strings.TrimLeft(l, " "))
}

// savedSearch is one entry of `az monitor log-analytics workspace
// saved-search list -o json`; those with a functionAlias are functions.
type savedSearch struct {
	FunctionAlias      string `json:"functionAlias"`
	FunctionParameters string `json:"functionParameters"`
	Query              string `json:"query"`
	Properties         *struct {
		FunctionAlias      string `json:"functionAlias"`
		FunctionParameters string `json:"functionParameters"`
		Query              string `json:"query"`
	} `json:"properties"` // the REST API's shape
}

// savedSearchFunctions reads the workspace functions of a saved-search
// listing (the az CLI's flat objects or the REST API's value/properties)
// or of an ARM template deploying them (resources of type
// Microsoft.OperationalInsights/workspaces/savedSearches, the form of
// Sentinel's parsers under Parsers/*/ARM).
func savedSearchFunctions(path string, data []byte) ([]*engine.StoredFunction, error) {
	var list []savedSearch
	if err := json.Unmarshal(data, &list); err != nil {
		var wrapped struct {
			Value     []savedSearch `json:"value"`
			Resources []struct {
				Type string `json:"type"`
				savedSearch
			} `json:"resources"`
		}
		if err2 := json.Unmarshal(data, &wrapped); err2 != nil {
			return nil, fmt.Errorf("%s: not a saved-search list: %w", path, err)
		}
		list = wrapped.Value
		for _, r := range wrapped.Resources {
			if strings.HasSuffix(strings.ToLower(r.Type), "/savedsearches") {
				list = append(list, r.savedSearch)
			}
		}
	}
	var out []*engine.StoredFunction
	for _, s := range list {
		if p := s.Properties; p != nil {
			s.FunctionAlias, s.FunctionParameters, s.Query = p.FunctionAlias, p.FunctionParameters, p.Query
		}
		if s.FunctionAlias == "" {
			continue // a saved query, not a function
		}
		y := yamlFunction{FunctionAlias: s.FunctionAlias, FunctionParameters: s.FunctionParameters}
		fn, err := declaredFunction(path, y, s.Query, 1, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, fn...)
	}
	return out, nil
}
