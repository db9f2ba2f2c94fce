package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHuntWithFeedAndWatchlistOffline is the second acceptance
// test on a hunting query written like the ones analysts share: a threat
// feed read with externaldata and a Sentinel watchlist, over SigninLogs
// exported from the Log Analytics API and gzipped, all from local files
// named on the command line.
func TestHuntWithFeedAndWatchlistOffline(t *testing.T) {
	dir := filepath.Join("testdata", "hunt")
	raw, err := os.ReadFile(filepath.Join(dir, "SigninLogs.json"))
	require.NoError(t, err)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err = zw.Write(raw)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	signins := filepath.Join(t.TempDir(), "SigninLogs.json.gz")
	require.NoError(t, os.WriteFile(signins, gz.Bytes(), 0o644))

	feed := "https://feeds.example.org/v1/ip-blocklist.csv=" + filepath.Join(dir, "ip-blocklist.csv")
	query := filepath.Join(dir, "privileged-signins-from-threat-ips.kql")
	args := []string{"run", "--now", "2025-11-05T00:00:00Z", "-t", signins, "--externaldata", feed,
		"--watchlists", filepath.Join(dir, "watchlists"), "--watchlist-key", "PrivilegedUsers=UserPrincipalName",
		"-f", "csv", query}
	r := runCLI(t, "", args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "UserPrincipalName,Role,Tier,IPAddress,FirstSeen,LastSeen,SignIns,ThreatTypes,Apps\n"+
		`ann@contoso.com,Global Administrator,0,203.0.113.5,2025-11-04T08:15:00Z,2025-11-04T08:47:10Z,2,`+
		`"[""tor-exit""]","[""Azure Portal"",""Microsoft Graph PowerShell""]"`+"\n"+
		`cy@contoso.com,Helpdesk Administrator,2,198.51.100.7,2025-11-04T09:00:00Z,2025-11-04T09:00:00Z,1,`+
		`"[""password-spray""]","[""Azure Portal""]"`+"\n", r.stdout)
	assert.Empty(t, r.stderr)

	// -v says where each piece came from, without the feed's SAS token.
	r = runCLI(t, "", append([]string{"run", "-v"}, args[1:]...)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "kql: table SigninLogs: 7 rows, 6 columns from "+signins+" (kusto-v1); 6 typed by the file\n")
	assert.Contains(t, r.stderr, "kql: watchlist PrivilegedUsers: 3 items from "+
		filepath.Join(dir, "watchlists", "PrivilegedUsers.csv")+"; SearchKey is column 'UserPrincipalName'\n")
	assert.Contains(t, r.stderr, "kql: externaldata https://feeds.example.org/v1/ip-blocklist.csv: 3 rows from ")
	assert.NotContains(t, r.stderr, "sig=")

	// Without the feed's file the query stops at the feed, naming the URL
	// and the flag; nothing is fetched.
	r = runCLI(t, "", "run", "--now", "2025-11-05T00:00:00Z", "-t", signins,
		"--watchlists", filepath.Join(dir, "watchlists"), query)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "externaldata: https://feeds.example.org/v1/ip-blocklist.csv?sv=2024-08-04"+
		"&se=2026-01-01&sig=REDACTED is not mapped to a local file; kql never fetches URLs: "+
		"add --externaldata 'https://feeds.example.org/v1/ip-blocklist.csv=PATH'")

	// Without --watchlist-key the first column, Role, is the search key,
	// and no account matches.
	var noKey []string
	for i := 0; i < len(args); i++ {
		if args[i] == "--watchlist-key" {
			i++
			continue
		}
		noKey = append(noKey, args[i])
	}
	r = runCLI(t, "", noKey...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "UserPrincipalName,Role,Tier,IPAddress,FirstSeen,LastSeen,SignIns,ThreatTypes,Apps\n", r.stdout)
}

func TestCheckKnowsWatchlistsAndFunctions(t *testing.T) {
	dir := filepath.Join("testdata", "hunt")
	query := filepath.Join(dir, "privileged-signins-from-threat-ips.kql")
	r := runCLI(t, "", "check", "-t", "SigninLogs="+filepath.Join(dir, "SigninLogs.json"),
		"--watchlists", filepath.Join(dir, "watchlists"), query)
	assert.Equal(t, 0, r.code, r.stdout+r.stderr)
	assert.Empty(t, r.stdout)

	r = runCLI(t, "", "check", "-t", "SigninLogs="+filepath.Join(dir, "SigninLogs.json"), query)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, query+":10:32: error: unknown watchlist 'PrivilegedUsers': "+
		"give kql a directory of watchlist CSV files with --watchlists DIR")

	r = runCLI(t, "", "check", "-t", eventsArg, "--functions", filepath.Join(wsDir, "functions"),
		"--watchlists", filepath.Join(wsDir, "watchlists"), "-q", "AdminEvents(1) | project Department")
	assert.Equal(t, 0, r.code, r.stdout+r.stderr)
}
