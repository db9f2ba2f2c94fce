package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

func runWorkspace(t *testing.T, src string, cat *engine.Catalog, opts engine.Options) (*tables.Table, error) {
	t.Helper()
	script, err := parser.Parse(src)
	require.NoError(t, err)
	return engine.Run(context.Background(), script, cat, opts)
}

func TestExternalDataAsksTheResolver(t *testing.T) {
	var got []engine.ExternalDataRequest
	opts := engine.Options{ExternalData: func(req engine.ExternalDataRequest) (*tables.Table, error) {
		got = append(got, req)
		a := tables.NewColumn(tables.String, 1)
		a.Append(tables.NewString(req.URL))
		n := tables.NewColumn(tables.Long, 1)
		n.Append(tables.NewLong(int64(len(got))))
		return tables.NewTable("", req.Schema, []*tables.Column{a, n}), nil
	}}
	src := `let X = externaldata(u:string, n:long) ["https://a/1.csv", h"https://a/2.csv"]
  with (format = "TSV", ignoreFirstRecord = true);
X | summarize s = sum(n), c = count()`
	res, err := runWorkspace(t, src, engine.NewCatalog(), opts)
	require.NoError(t, err)
	assert.Equal(t, []tables.Value{tables.NewLong(3), tables.NewLong(2)}, res.Row(0))
	require.Len(t, got, 2)
	assert.Equal(t, "https://a/2.csv", got[1].URL)
	assert.Equal(t, "tsv", got[0].Format)
	assert.True(t, got[0].IgnoreFirstRecord)
	assert.Equal(t, "(u:string, n:long)", got[0].Schema.String())

	_, err = runWorkspace(t, `externaldata(u:string) ["https://a/x"]`, engine.NewCatalog(), engine.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "kql never fetches https://a/x")
}

func TestWatchlistAndStoredFunctionsInCatalog(t *testing.T) {
	cat := engine.NewCatalog()
	wl := tables.NewColumn(tables.String, 1)
	wl.Append(tables.NewString("k1"))
	cat.AddWatchlist("MyList", tables.NewTable("MyList", tables.Schema{{Name: "SearchKey", Type: tables.String}},
		[]*tables.Column{wl}))
	text := "let Keys = (suffix:string = '!') { _GetWatchlist('MyList') | extend k = strcat(SearchKey, suffix) };"
	script, err := parser.Parse(text)
	require.NoError(t, err)
	fn := script.Stmts[0].(*parser.LetStmt).Value.(*parser.FuncLit)
	cat.AddFunction(&engine.StoredFunction{Name: "Keys", Fn: fn, Source: "Keys.kql", Text: text, Line: 1})

	res, err := runWorkspace(t, "Keys('?') | project k", cat, engine.Options{})
	require.NoError(t, err)
	assert.Equal(t, "k1?", res.Row(0)[0].Str())

	// Check knows both: no findings.
	q, err := parser.Parse("Keys() | join (_GetWatchlist('MyList')) on SearchKey")
	require.NoError(t, err)
	assert.Empty(t, engine.Check(q, cat))

	_, err = runWorkspace(t, "_GetWatchlist('Other')", cat, engine.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unknown watchlist 'Other'")

	// Aliases match exactly, as WatchlistAlias == alias does in Sentinel.
	_, err = runWorkspace(t, "_GetWatchlist('mylist')", cat, engine.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unknown watchlist 'mylist' (no mylist.csv in the --watchlists directory; "+
		"aliases are case-sensitive) (did you mean 'MyList'?)")
}

func TestExternalDataProperties(t *testing.T) {
	var got engine.ExternalDataRequest
	opts := engine.Options{ExternalData: func(req engine.ExternalDataRequest) (*tables.Table, error) {
		got = req
		return tables.Empty("", req.Schema), nil
	}}
	// A bare word is a property's text, as Kusto reads with(format=csv).
	_, err := runWorkspace(t, `externaldata(a:string)["https://x/a"] with(format=multijson, ingestionMapping='[]', ignoreFirstRecord=true)`, engine.NewCatalog(), opts)
	require.NoError(t, err)
	assert.Equal(t, "multijson", got.Format)
	assert.Equal(t, "[]", got.Mapping)
	assert.True(t, got.IgnoreFirstRecord)

	// Properties that change how a file is read, and that kql does not
	// implement, are refused by name.
	_, err = runWorkspace(t, `externaldata(a:string)["https://x/a.zip"] with(format="csv", ingestionMappingReference="m")`,
		engine.NewCatalog(), opts)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "externaldata property ingestionMappingReference is not supported")
}
