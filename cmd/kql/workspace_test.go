package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	wsDir     = filepath.Join("testdata", "workspace")
	eventsArg = "Events=" + filepath.Join(formatsDir, "la-v1.json")
)

// TestHuntOffline is the acceptance test: a hunting query using
// externaldata and _GetWatchlist runs from local files named on the
// command line.
func TestHuntOffline(t *testing.T) {
	r := runCLI(t, "", "run", "-t", eventsArg,
		"--externaldata", "https://example.com/feeds/bad-accounts.csv="+filepath.Join(wsDir, "feeds", "bad-accounts.csv"),
		"--watchlists", filepath.Join(wsDir, "watchlists"), "--format", "csv", filepath.Join(wsDir, "hunt.kql"))
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "TimeGenerated,Account,Reason,Department\n"+
		"2025-11-03T10:00:00Z,alice@contoso.com,password spray,Finance\n", r.stdout)
}

func TestExternalDataUnmappedNamesURLAndFlag(t *testing.T) {
	r := runCLI(t, "", "run", "-t", eventsArg, "--watchlists", filepath.Join(wsDir, "watchlists"),
		filepath.Join(wsDir, "hunt.kql"))
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "hunt.kql:2:6: externaldata: https://example.com/feeds/bad-accounts.csv?sv=2024-01-01&sig=abc "+
		"is not mapped to a local file; kql never fetches URLs: add --externaldata 'https://example.com/feeds/bad-accounts.csv=PATH'")
}

func TestExternalDataMapFileAndFormats(t *testing.T) {
	r := runCLI(t, "", "run", "-t", eventsArg, "--externaldata-map", filepath.Join(wsDir, "externaldata.map"), "--format", "csv",
		"-q", `externaldata(s:guid)["https://example.com/feeds/sessions.txt"] with(format="txt")
| join Events on $left.s == $right.SessionId | project s, Account`)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "s,Account\n6f1c2b7e-4a0d-4f7e-9c1a-2b3c4d5e6f70,alice@contoso.com\n", r.stdout)

	// A value that does not fit its declared type names file, line, column.
	r = runCLI(t, "", "run", "--externaldata", "https://x/a.csv="+filepath.Join(wsDir, "feeds", "bad-accounts.csv"),
		"-q", `externaldata(Account:string, Reason:long)["https://x/a.csv"] with(ignoreFirstRecord=true)`)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "bad-accounts.csv:2:19: column 'Reason': cannot read \"password spray\" as long")
}

func TestWatchlistColumns(t *testing.T) {
	r := runCLI(t, "", "run", "--watchlists", filepath.Join(wsDir, "watchlists"), "--format", "csv",
		"-q", `_GetWatchlist('VIPUsers') | project-away LastUpdatedTimeUTC | extend d = tostring(WatchlistItem.Department)`)
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(r.stdout, "\n")
	assert.Equal(t, "_DTItemId,SearchKey,WatchlistItem,UserPrincipalName,Department,Tier,d", lines[0])
	assert.Contains(t, lines[1], `,"bob, ""the"" admin",`)
	assert.True(t, strings.HasSuffix(lines[1], ",IT,0,IT"), lines[1])

	r = runCLI(t, "", "run", "--watchlists", filepath.Join(wsDir, "watchlists"), "-q", `_GetWatchlist('VIPUser')`)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "unknown watchlist 'VIPUser' (no VIPUser.csv in the --watchlists directory; aliases are case-sensitive) (did you mean 'VIPUsers'?)")
}

func TestStoredFunctions(t *testing.T) {
	args := []string{"run", "-t", eventsArg, "--watchlists", filepath.Join(wsDir, "watchlists"),
		"--functions", filepath.Join(wsDir, "functions"), "--format", "csv", "-q"}
	cases := []struct{ query, want string }{
		{"AdminEvents(0) | project Account", "Account\n\"bob, \"\"the\"\" admin\"\n"},
		{"AdminEvents() | count", "Count\n2\n"},
		{"vimAuthenticationDemo | summarize n = count() by EventResult | order by EventResult asc",
			"EventResult,n\nFailure,2\nSuccess,1\n"},
		{"_Im_Authentication_Demo(starttime=datetime(2025-11-03 10:10)) | count", "Count\n2\n"},
		{"_Im_Authentication_Demo(disabled=true) | count", "Count\n0\n"},
		// The query's own let shadows a stored function.
		{"let AdminEvents = () { print x = 1 }; AdminEvents()", "x\n1\n"},
	}
	for _, c := range cases {
		r := runCLI(t, "", append(args, c.query)...)
		require.Equal(t, 0, r.code, "%s: %s", c.query, r.stderr)
		assert.Equal(t, c.want, r.stdout, c.query)
	}
}

func TestStoredFunctionErrorsPointAtTheirFile(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Broken.kql"),
		[]byte("// a saved query\nEvents\n| where Nope == 1\n"), 0o644))
	r := runCLI(t, "", "run", "-t", eventsArg, "--functions", dir, "-q", "Broken | take 1")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "<query>:1:1: in stored function Broken ("+filepath.Join(dir, "Broken.kql")+
		":3:9): unknown column or variable 'Nope'")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "Broken.kql"), []byte("let F = () {\n  Events | where\n};"), 0o644))
	r = runCLI(t, "", "run", "-t", eventsArg, "--functions", dir, "-q", "print 1")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, filepath.Join(dir, "Broken.kql")+":3:1:")
}

func TestYAMLFunctionForms(t *testing.T) {
	dir := t.TempDir()
	// A solution's parser: FunctionName/FunctionAlias, FunctionQuery, FunctionParams.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Logons.yaml"), []byte(`id: 6c2f8a1e-0000-4000-8000-000000000001
Function:
  Title: Parser for the Events fixture
  Version: '1.0.0'
Category: Microsoft Sentinel Parser
FunctionName: Logons
FunctionAlias: Logons
FunctionParams:
  - Name: wanted
    Type: long
    Default: 4624
FunctionQuery: |
  Events
  | where EventID == wanted
`), 0o644))
	// A saved search: FunctionAlias, Query and FunctionParameters.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "saved.yml"), []byte(`FunctionAlias: ByAccount
FunctionParameters: "who:string, n:int = 10"
Query: "Events | where Account == who | take n"
`), 0o644))
	args := []string{"run", "-t", eventsArg, "--functions", dir, "--format", "csv", "-q"}
	for q, want := range map[string]string{
		"Logons | project EventID":                       "EventID\n4624\n",
		"Logons(4625) | project EventID":                 "EventID\n4625\n",
		"ByAccount('alice@contoso.com') | project Score": "Score\n1.5\n",
	} {
		r := runCLI(t, "", append(args, q)...)
		require.Equal(t, 0, r.code, "%s: %s", q, r.stderr)
		assert.Equal(t, want, r.stdout, q)
	}

	// An error in a YAML function's query is placed in the YAML file.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "saved.yml"), []byte("FunctionAlias: Bad\nQuery: |\n  Events\n  | where Nope\n"), 0o644))
	r := runCLI(t, "", append(args, "Bad")...)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "in stored function Bad ("+filepath.Join(dir, "saved.yml")+":4:11)")
}

func TestSavedSearchListFunctions(t *testing.T) {
	dir := t.TempDir()
	list := `[
 {"category": "Hunting", "displayName": "not a function", "query": "Events | take 1"},
 {"category": "Functions", "displayName": "Failed logons", "functionAlias": "FailedLogons",
  "functionParameters": "minScore:real = -10", "query": "Events | where EventID == 4625 and Score >= minScore"}
]`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "saved-searches.json"), []byte(list), 0o644))
	r := runCLI(t, "", "run", "-t", eventsArg, "--functions", dir, "--format", "csv",
		"-q", "FailedLogons | union FailedLogons(0) | project EventID")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "EventID\n4625\n", r.stdout)
}

func TestWatchlistKeyFlag(t *testing.T) {
	wl := filepath.Join(wsDir, "watchlists")
	r := runCLI(t, "", "run", "--watchlists", wl, "--watchlist-key", "VIPUsers=Department", "-f", "csv",
		"-q", "_GetWatchlist('VIPUsers') | project SearchKey, UserPrincipalName")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "SearchKey,UserPrincipalName\nIT,\"bob, \"\"the\"\" admin\"\nFinance,alice@contoso.com\n", r.stdout)

	r = runCLI(t, "", "run", "--watchlists", wl, "--watchlist-key", "VIPUser=Department", "-q", "print 1")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "--watchlist-key VIPUser=Department: no watchlist VIPUser (no VIPUser.csv in "+wl+")")

	r = runCLI(t, "", "run", "--watchlists", wl, "--watchlist-key", "VIPUsers=Dept", "-q", "print 1")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "VIPUsers.csv:1: the search key column 'Dept' is not in the header "+
		"(UserPrincipalName, Department, Tier)")

	r = runCLI(t, "", "run", "--watchlist-key", "VIPUsers=Dept", "-q", "print 1")
	assert.NotEqual(t, 0, r.code)
	assert.Contains(t, r.stderr, "--watchlist-key needs --watchlists DIR")
}

func TestASIMParserParamsAndARMForm(t *testing.T) {
	dir := t.TempDir()
	// An ASIM filtering parser: the query defines a let function and calls
	// it with the ParserParams. A string Default is the string itself
	// ('*' is the text *, '' the empty string), as Sentinel's ARM
	// converter quotes it; bool defaults may be spelt False.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "vimDemo.yaml"), []byte(`Parser:
  Title: Filtering parser for the Events fixture
  Version: '0.1.0'
ParserName: vimDemo
ParserParams:
  - Name: account_has
    Type: string
    Default: '*'
  - Name: suffix
    Type: string
    Default: ''
  - Name: disabled
    Type: bool
    Default: False
ParserQuery: |
  let parser = (account_has:string = "*", suffix:string = "", disabled:bool = false) {
    Events
    | where not(disabled)
    | where account_has == '*' or Account has account_has
    | extend Tagged = strcat(Account, suffix)
  };
  parser(account_has=account_has, suffix=suffix, disabled=disabled)
`), 0o644))
	// The ARM template form of a saved function.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "arm.json"), []byte(`{
  "$schema": "https://schema.management.azure.com/schemas/2019-08-01/deploymentTemplate.json#",
  "resources": [
    {"type": "Microsoft.OperationalInsights/workspaces/savedSearches", "apiVersion": "2020-08-01",
     "name": "[concat(parameters('Workspace'), '/ArmDemo')]",
     "properties": {"category": "ASIM", "FunctionAlias": "ArmDemo",
       "query": "Events | where EventID == id | project Account",
       "functionParameters": "id:long=4624,disabled:bool=False"}}
  ]
}`), 0o644))
	args := []string{"run", "-t", eventsArg, "--functions", dir, "--format", "csv", "-q"}
	for q, want := range map[string]string{
		"vimDemo | count": "Count\n3\n",
		"vimDemo(account_has='alice') | project Tagged": "Tagged\nalice@contoso.com\n",
		"vimDemo(suffix='!', disabled=true) | count":    "Count\n0\n",
		"ArmDemo":       "Account\nalice@contoso.com\n",
		"ArmDemo(4625)": "Account\n\"bob, \"\"the\"\" admin\"\n",
	} {
		r := runCLI(t, "", append(args, q)...)
		require.Equal(t, 0, r.code, "%s: %s", q, r.stderr)
		assert.Equal(t, want, r.stdout, q)
	}

	// An error in a default is reported at the call, naming the file.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "arm.json"), []byte(`[{"functionAlias": "Bad",
  "functionParameters": "n:long = tolong(nope)", "query": "Events | take n"}]`), 0o644))
	r := runCLI(t, "", append(args, "Bad")...)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "<query>:1:1: in stored function Bad ("+filepath.Join(dir, "arm.json")+
		"), the default of parameter 'n': ")
}
