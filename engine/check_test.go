package engine_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// checkCatalog has one table, Events(Timestamp, State, Count, Props).
func checkCatalog() *engine.Catalog {
	return engine.NewCatalog(tables.Empty("Events", tables.Schema{
		{Name: "Timestamp", Type: tables.DateTime},
		{Name: "State", Type: tables.String},
		{Name: "Count", Type: tables.Long},
		{Name: "Props", Type: tables.Dynamic},
	}))
}

// checkLines runs Check and returns its findings as "line:col kind: message".
func checkLines(t *testing.T, src string) []string {
	t.Helper()
	script, err := parser.Parse(src)
	require.NoError(t, err)
	var out []string
	for _, e := range engine.Check(script, checkCatalog()) {
		line, col := parser.Position(src, e.Span.Start)
		out = append(out, fmt.Sprintf("%d:%d %s: %s", line, col, e.Phase, e.Msg))
	}
	return out
}

func TestCheckCleanQueryHasNoFindings(t *testing.T) {
	got := checkLines(t, "Events | where State == 'WA' | summarize n = count() by State | top 3 by n")
	assert.Empty(t, got)
}

func TestCheckNamesWithSuggestion(t *testing.T) {
	got := checkLines(t, "Events | where Stat == 'WA'\n;\nEvnts | take 1")
	assert.Equal(t, []string{
		"1:16 name: unknown column or variable 'Stat' (did you mean 'State'?)",
		"3:1 name: unknown table 'Evnts' (did you mean 'Events'?)",
	}, got)
}

func TestCheckFindsEveryUnsupportedConstructAfterAFailure(t *testing.T) {
	src := "Nope\n" +
		"| evaluate autocluster()\n" +
		"| scan with (step s output=last: Count > 1;)\n" +
		"| extend x = series_fir(n, dynamic([1]))\n" +
		"| extend y = my_func(1)\n" +
		"| invoke helper()"
	got := checkLines(t, src)
	assert.Equal(t, []string{
		"1:1 name: unknown table 'Nope'",
		"2:3 unsupported: evaluate plugin 'autocluster' is not supported yet",
		"3:14 unsupported: scan step output=last is not supported yet",
		"4:14 unsupported: function 'series_fir' is not supported yet",
		"5:14 name: unknown function 'my_func'",
		"6:3 name: unknown function 'helper' (invoke takes a function defined with let, or a stored function loaded with --functions)",
	}, got)
}

func TestCheckTypeErrors(t *testing.T) {
	got := checkLines(t, "Events | extend a = strlen(State, 1) | extend b = bin(State, 1h)")
	assert.Equal(t, []string{
		"1:21 type: strlen() takes 1 argument, not 2; usage: strlen(source)",
		"1:55 type: bin(): argument 1 (value) cannot be string",
	}, got)
}

func TestCheckLetFunctionsAndSpecialsAreKnown(t *testing.T) {
	src := "let f = (x:long) { x + 1 };\n" +
		"let T = materialize(Events);\n" +
		"T | extend a = f(Count), b = column_ifexists('Nope', ''), c = toscalar(Events | count)"
	assert.Empty(t, checkLines(t, src))
}

func TestCheckExternalSources(t *testing.T) {
	src := "externaldata(a:string) ['https://example.com/x.csv'];\n" +
		"cluster('c').database('d').Events | take 1"
	got := checkLines(t, src)
	// externaldata binds (its rows come from Options.ExternalData at run
	// time); tables of other clusters and databases are unsupported.
	assert.Equal(t, []string{
		"2:1 unsupported: function 'cluster' is not supported yet",
		"2:14 unsupported: function 'database' is not supported yet",
	}, got)
}

func TestUnsupportedWithoutBinding(t *testing.T) {
	script, err := parser.Parse("Nope | scan with (step s output=last: true;) | where foo() > 1")
	require.NoError(t, err)
	got := engine.Unsupported(script)
	require.Len(t, got, 2)
	assert.Equal(t, "scan step output=last is not supported yet", got[0].Msg)
	assert.Equal(t, "unknown function 'foo' (did you mean 'ago'?)", got[1].Msg)
	assert.Empty(t, engine.Unsupported(nil))
}

// TestCheckOperatorsMatchBinder keeps Check's list of supported operators
// in step with the binder: an operator Check calls unsupported must be one
// Bind refuses, and one it lets through must bind.
func TestCheckOperatorsMatchBinder(t *testing.T) {
	ops := []string{
		"where Count > 1", "extend x = 1", "project State", "project-away State",
		"project-keep State", "project-rename S = State", "project-reorder Count",
		"summarize count()", "distinct State", "mv-expand Props", "parse State with a:string",
		"parse-where State with a:string", "union Events", "take 1", "limit 1", "count",
		"sort by Count", "order by Count", "top 1 by Count", "getschema",
		"join (Events) on State", "lookup (Events) on State", "as X", "serialize", "render table",
		"mv-apply Props on (take 1)",
		"sample 1", "sample-distinct 2 of State", "make-series n = count() on Timestamp step 1h", "top-nested 2 of State by count()",
		"parse-kv State as (a:string)", "search 'x'", "invoke f()", "evaluate bag_unpack(Props)",
		"partition by State (take 1)", "scan with (step s: Count > 1;)",
		"top-hitters 2 of State", "consume", "facet by State", "fork (take 1) (count)", "reduce by State",
	}
	for _, op := range ops {
		t.Run(op, func(t *testing.T) {
			script, err := parser.Parse("Events | " + op)
			require.NoError(t, err)
			walker := engine.Unsupported(script)
			_, bindErr := engine.Bind(script, checkCatalog(), engine.Options{})
			var list parser.ErrorList
			bindUnsupported := false
			if bindErr != nil {
				require.ErrorAs(t, bindErr, &list)
				for _, e := range list {
					bindUnsupported = bindUnsupported || e.Phase == parser.PhaseUnsupported
				}
			}
			walkerUnsupported := false
			for _, e := range walker {
				walkerUnsupported = walkerUnsupported || e.Phase == parser.PhaseUnsupported
			}
			assert.Equal(t, bindUnsupported, walkerUnsupported, "walker %v, binder %v", walker, bindErr)
		})
	}
}

func TestCheckBareUnknownTableIsAName(t *testing.T) {
	got := checkLines(t, "let x = 1;\nEvent")
	assert.Equal(t, []string{"2:1 name: unknown table 'Event' (did you mean 'Events'?)"}, got)
}

// TestCheckDropsCascadesOfUnsupportedLets checks that a let whose value
// cannot be bound is reported once, at its unsupported construct, not again
// at each use.
func TestCheckDropsCascadesOfUnsupportedLets(t *testing.T) {
	src := "let Ext = database('Other').T;\n" +
		"let Copy = Ext;\n" +
		"Ext;\n" +
		"Events | where State in (Ext) | where Nope == 1"
	assert.Equal(t, []string{
		"1:11 unsupported: function 'database' is not supported yet",
		"4:39 name: unknown column or variable 'Nope'",
	}, checkLines(t, src))
}

// TestCheckTableCallBinds checks that table('Name') names a loaded table
// like the bare name, and that an unknown one is named.
func TestCheckTableCallBinds(t *testing.T) {
	assert.Empty(t, checkLines(t, "table('Events') | where State == 'WA'"))
	assert.Equal(t, []string{"1:7 name: unknown table 'Evnts' (did you mean 'Events'?)"},
		checkLines(t, "table('Evnts')"))
}

// FileProfile needs its table only to run: check binds it over the
// documented schema, so the added columns are known.
func TestCheckFileProfileWithoutItsTable(t *testing.T) {
	assert.Empty(t, checkLines(t, "Events | extend SHA1 = State | invoke FileProfile() | where GlobalPrevalence < 5"))
	assert.Equal(t, []string{
		"1:29 name: FileProfile(): the input has no column 'InitiatingProcessSHA256'; " +
			"name the column that holds the SHA1 or SHA256: invoke FileProfile(SHA256)",
		"1:54 type: FileProfile(): the limit must be a whole number from 1 to 1000",
	}, checkLines(t, "Events | invoke FileProfile(InitiatingProcessSHA256, 0)"))
}

// arg("").T is the loaded table T: not unsupported, and an unknown table
// when T is not loaded.
func TestCheckArgTable(t *testing.T) {
	script, err := parser.Parse(`arg("").Resources | take 1`)
	require.NoError(t, err)
	assert.Empty(t, engine.Unsupported(script))
	assert.Equal(t, []string{
		`1:9 name: unknown table 'Resources' (Azure Resource Graph's arg("").Resources reads the loaded table Resources; ` +
			`load it, for example -t Resources=Resources.json)`,
	}, checkLines(t, `arg("").Resources | take 1`))
	assert.Empty(t, checkLines(t, `arg("").events | take 1`), "names ignore case")
	assert.Equal(t, []string{
		`1:11 unsupported: function 'arg' is not supported yet`,
	}, checkLines(t, `print x = arg("")`))
}

// TestCheckProjectRenameWithoutAssignment checks that a bare name in
// project-rename parses, as Microsoft's parser has it, and is reported by
// the binder as its analyser reports it (a missing rename assignment).
func TestCheckProjectRenameWithoutAssignment(t *testing.T) {
	assert.Equal(t, []string{"1:25 type: project-rename takes NewName = ExistingColumn"},
		checkLines(t, "Events | project-rename X, Y = State"))
}
