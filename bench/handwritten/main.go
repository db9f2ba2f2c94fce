// Command handwritten is the benchmark baseline: it computes the result of the
// flagship hunting query
// (queries/ai-agents/Copilot_Studio_Connector/AIAgentsEmailExternalMailbox.yaml)
// directly in Go, the way one would write it for speed, so that kql's time and
// memory can be compared against a fair lower bound.
//
// Start at main, then run. The plan is:
//
//  1. IdentityInfo: the set of tostring(split(AccountUpn, "@")[1]).
//  2. AIAgentsInfo pass 1, two goroutines over halves of the file: per AIAgentId
//     the row with the latest Timestamp overall (topics leg) and among rows
//     whose RegistrySource != "A365" (tools leg).
//  3. Pass 2, two goroutines over the chosen rows in file order: decode only
//     those rows and expand the send actions.
//
// Files are mapped with mmap and read through a string view, so gjson returns
// substrings of the input instead of copies. Pages already processed are
// given back with madvise(MADV_DONTNEED); the page cache keeps them, so a later
// read of a result field just faults the page in again. That keeps the peak
// RSS near the working set instead of the file size.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/tidwall/gjson"
)

func main() {
	dir := flag.String("d", ".", "`DIR` holding AIAgentsInfo and IdentityInfo (.ndjson or .json)")
	rows := flag.Bool("rows", false, "also print the result rows as JSON lines")
	flag.Parse()
	if err := run(*dir, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "handwritten:", err)
		os.Exit(1)
	}
}

// run computes the query over dir and prints the row counts and checksum.
func run(dir string, printRows bool) error {
	out, err := compute(dir)
	if err != nil {
		return err
	}
	if printRows {
		for _, r := range out {
			fmt.Println(r.json())
		}
	}
	printSummary(out)
	return nil
}

// compute returns the query's result rows over dir. Their values are copies,
// so they stay valid after the files are unmapped.
func compute(dir string) ([]resultRow, error) {
	idt, err := openTable(dir, "IdentityInfo")
	if err != nil {
		return nil, err
	}
	org := orgDomains(idt)
	idt.close()

	agents, err := openTable(dir, "AIAgentsInfo")
	if err != nil {
		return nil, err
	}
	defer agents.close()
	return expandChosen(agents, org, pickLatest(agents)), nil
}

// printSummary prints the per-leg row counts and the order-independent
// checksum defined in shared/gen/README.md.
func printSummary(out []resultRow) {
	var tools, topics int
	var sum uint64
	for _, r := range out {
		if r.source() == sourceTools {
			tools++
		} else {
			topics++
		}
		sum += r.hash()
	}
	fmt.Printf("rows %d tools %d topics %d\n", len(out), tools, topics)
	fmt.Printf("checksum %016x\n", sum)
}

// orgDomains returns the distinct tostring(split(AccountUpn, "@")[1]) values.
// A UPN without "@" (or an empty one) indexes past the split array, which is
// null, and tostring(null) is "": so "" can be an org domain.
func orgDomains(t *table) map[string]struct{} {
	set := make(map[string]struct{})
	t.eachLine(0, len(t.s), func(_ int, line string) {
		upn := gjson.Get(line, "AccountUpn")
		d := atDomain(tostring(upn))
		if _, ok := set[d]; !ok {
			set[cloneString(d)] = struct{}{}
		}
	})
	return set
}

// cloneString copies s off the mapped file so that a long-lived map key does not
// keep faulting released pages back in.
func cloneString(s string) string {
	return string([]byte(s))
}

// tablePath finds name.ndjson or name.json in dir.
func tablePath(dir, name string) (string, error) {
	for _, ext := range []string{".ndjson", ".json"} {
		p := filepath.Join(dir, name+ext)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no %s.ndjson or %s.json in %s", name, name, dir)
}

// parallel runs f(0) .. f(n-1) on n goroutines and waits for them.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}
