package tables

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

func TestLoadExternalFormats(t *testing.T) {
	s := Schema{{Name: "ip", Type: String}, {Name: "score", Type: Long}}
	cases := []struct {
		name, file, text, format, url string
		skip                          bool
	}{
		{"csv header", "a.csv", "ip,score\n10.0.0.1,5\n10.0.0.2\n", "", "", true},
		{"tsv by url", "feed", "10.0.0.1\t5\n10.0.0.2\t\textra\n", "", "https://x/feed.tsv?sig=1", false},
		{"psv", "a.txt", "10.0.0.1|5\n10.0.0.2|\n", "psv", "", false},
		{"json lines", "a.json", `{"score":5,"ip":"10.0.0.1","other":1}` + "\n" + `{"ip":"10.0.0.2"}` + "\n", "json", "", false},
		{"json array", "a.json", `[{"ip":"10.0.0.1","score":5},{"ip":"10.0.0.2","score":null}]`, "multijson", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb, err := LoadExternal(writeTemp(t, c.file, c.text),
				ExternalOptions{Schema: s, Format: c.format, URL: c.url, IgnoreFirstRecord: c.skip})
			require.NoError(t, err)
			checkShape(t, tb)
			assert.Equal(t, "(ip:string, score:long)", tb.Schema.String())
			assert.Equal(t, [][]Value{{NewString("10.0.0.1"), NewLong(5)}, {NewString("10.0.0.2"), Null(Long)}}, rowsOf(tb))
		})
	}

	tb, err := LoadExternal(writeTemp(t, "l.txt", "a,b\n\"q\"\n"), ExternalOptions{Schema: s, Format: "txt"})
	require.NoError(t, err)
	assert.Equal(t, [][]Value{{NewString("a,b"), Null(Long)}, {NewString(`"q"`), Null(Long)}}, rowsOf(tb))

	_, err = LoadExternal(writeTemp(t, "a.parquet", ""), ExternalOptions{Schema: s, Format: "parquet"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `externaldata format "parquet" is not supported`)
}

func TestLoadWatchlist(t *testing.T) {
	p := writeTemp(t, "Hosts.csv", "\ufeffHost,SearchKey,Owner\nweb1,10.0.0.1,ann\ndb1,10.0.0.2\n")
	tb, key, err := LoadWatchlist(p, "Hosts", "")
	require.NoError(t, err)
	assert.Equal(t, "SearchKey", key)
	checkShape(t, tb)
	assert.Equal(t, "(_DTItemId:string, LastUpdatedTimeUTC:datetime, SearchKey:string, WatchlistItem:dynamic, "+
		"Host:string, Owner:string)", tb.Schema.String())
	assert.Equal(t, "10.0.0.1", tb.Row(0)[2].Str())
	assert.Equal(t, `{"Host":"db1","SearchKey":"10.0.0.2","Owner":""}`, tb.Row(1)[3].Str())
	assert.Equal(t, "", tb.Row(1)[5].Str())
	id := tb.Row(0)[0].Str()
	_, ok := ParseGUID(id)
	assert.True(t, ok, id)

	again, _, err := LoadWatchlist(p, "hosts", "")
	require.NoError(t, err)
	assert.Equal(t, id, again.Row(0)[0].Str(), "item ids are stable")
}

func TestLoadWatchlistFromAnExportedResult(t *testing.T) {
	// A portal CSV export of _GetWatchlist('Hosts') loads back to the same
	// columns, keeping its ids, times and items.
	p := writeTemp(t, "Hosts.csv", "_DTItemId,LastUpdatedTimeUTC [UTC],SearchKey,WatchlistItem,Host\n"+
		"id-1,\"11/3/2025, 10:00:00.000 AM\",web1,\"{\"\"Host\"\":\"\"web1\"\"}\",web1\n")
	tb, _, err := LoadWatchlist(p, "Hosts", "")
	require.NoError(t, err)
	assert.Equal(t, "(_DTItemId:string, LastUpdatedTimeUTC:datetime, SearchKey:string, WatchlistItem:dynamic, "+
		"Host:string)", tb.Schema.String())
	assert.Equal(t, []Value{NewString("id-1"), ts(t, "2025-11-03T10:00:00Z"), NewString("web1"),
		NewDynamic(`{"Host":"web1"}`), NewString("web1")}, tb.Row(0))
}

func TestLoadWatchlistSearchKey(t *testing.T) {
	// Sentinel's SearchKey is the column chosen when the watchlist is
	// created; without a choice kql takes the first column.
	p := writeTemp(t, "Hosts.csv", "Host,IP Address\nweb1,10.0.0.1\n")
	tb, key, err := LoadWatchlist(p, "Hosts", "")
	require.NoError(t, err)
	assert.Equal(t, "Host", key)
	assert.Equal(t, "web1", tb.Row(0)[2].Str())

	tb, key, err = LoadWatchlist(p, "Hosts", "IP Address")
	require.NoError(t, err)
	assert.Equal(t, "IP Address", key)
	assert.Equal(t, "(_DTItemId:string, LastUpdatedTimeUTC:datetime, SearchKey:string, WatchlistItem:dynamic, "+
		"Host:string, IP Address:string)", tb.Schema.String())
	assert.Equal(t, []Value{NewString("10.0.0.1"), NewDynamic(`{"Host":"web1","IP Address":"10.0.0.1"}`),
		NewString("web1"), NewString("10.0.0.1")}, tb.Row(0)[2:])

	_, _, err = LoadWatchlist(p, "Hosts", "IPAddress")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Hosts.csv:1: the search key column 'IPAddress' is not in the header (Host, IP Address)")
}

func TestLoadExternalJSONMapping(t *testing.T) {
	s := Schema{{Name: "cat", Type: String}, {Name: "n", Type: Long}, {Name: "all", Type: Dynamic}, {Name: "none", Type: Long}}
	mapping := `[{"Column":"cat","Properties":{"Path":"$.Category"}},{"Column":"n","Properties":{"Path":"$['a b'].list[1]"}},` +
		`{"Column":"all","Properties":{"Path":"$"}}]`
	p := writeTemp(t, "d.json", `[{"Category":"x","a b":{"list":[1,2]}},`+"\n"+`{"Category":"y"}]`)
	tb, err := LoadExternal(p, ExternalOptions{Schema: s, Format: "multijson", Mapping: mapping})
	require.NoError(t, err)
	checkShape(t, tb)
	assert.Equal(t, [][]Value{
		{NewString("x"), NewLong(2), NewDynamic(`{"Category":"x","a b":{"list":[1,2]}}`), Null(Long)},
		{NewString("y"), Null(Long), NewDynamic(`{"Category":"y"}`), Null(Long)},
	}, rowsOf(tb))

	// Objects one after another read alike; a value that does not fit is placed.
	p = writeTemp(t, "d.json", `{"Category":"x","a b":{"list":[1,2]}}`+"\n"+`{"Category":"y","a b":{"list":[1,"z"]}}`)
	_, err = LoadExternal(p, ExternalOptions{Schema: s, Format: "json", Mapping: mapping})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `d.json:2:34: column 'n': cannot read "\"z\"" as long`)

	for m, want := range map[string]string{
		`[{"Column":"cat","Properties":{"Path":"$.a","Transform":"x"}}]`: "property Transform of column cat is not supported",
		`[{"Column":"zz","Properties":{"Path":"$.a"}}]`:                  "names column zz, which externaldata does not declare",
		`[{"Column":"cat","Properties":{"Path":"$..a"}}]`:                "has an empty step",
		`[{"Column":"cat","Properties":{"Path":"$[*]"}}]`:                "kql reads names and array indexes only",
	} {
		_, err = LoadExternal(p, ExternalOptions{Schema: s, Format: "multijson", Mapping: m})
		require.Error(t, err, m)
		assert.Contains(t, err.Error(), want, m)
	}
	_, err = LoadExternal(writeTemp(t, "a.csv", "1\n"), ExternalOptions{Schema: s, Format: "csv", Mapping: "[]"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "an ingestionMapping for format csv is not supported")

	// A JSON format on a file that is not JSON is an error, not CSV.
	_, err = LoadExternal(writeTemp(t, "a.txt", "h1\nv1\n"), ExternalOptions{Schema: s, Format: "multijson"})
	require.Error(t, err)
}

func TestLoadExternalZipPattern(t *testing.T) {
	s := Schema{{Name: "Position", Type: Int}, {Name: "Domain", Type: String}}
	// The file extracted from the archive is read as it is.
	tb, err := LoadExternal(writeTemp(t, "top-1m.csv", "1,example.com\n"), ExternalOptions{Schema: s, ZipPattern: "*.csv"})
	require.NoError(t, err)
	assert.Equal(t, []Value{NewInt(1), NewString("example.com")}, tb.Row(0))
	// The archive itself is refused.
	_, err = LoadExternal(writeTemp(t, "top-1m.csv.zip", "PK\x03\x04rest"), ExternalOptions{Schema: s, ZipPattern: "*.csv"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a zip archive: kql does not read archives (zipPattern)")
}
