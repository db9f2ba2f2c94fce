// Command checksum reads the flagship query's result as JSON lines (kql run
// --format jsonl) on stdin and prints the same summary as bench/handwritten:
// the row count per leg and the order-independent checksum of
// shared/gen/README.md, so the two programs can be compared line for line.
//
// The checksum is taken over the canonical text of each column, which is the
// value as the generator wrote it. kql prints a datetime in its shortest
// form (2025-11-03T10:00:00Z), so the datetime columns are parsed and written
// back in the generator's fixed-width layout with seven fractional digits.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tidwall/gjson"
)

// columns are the checksummed columns, in checksum order.
var columns = []string{"AIAgentId", "Timestamp", "AgentStatus", "RegistrySource",
	"AIAgentName", "AgentCreationTime", "CreatorAccountUpn", "OwnerAccountUpns",
	"source", "MailConeector", "ToAddress", "Domain"}

// datetimeColumns are rewritten in canonicalLayout.
var datetimeColumns = map[string]bool{"Timestamp": true, "AgentCreationTime": true}

// canonicalLayout is the generator's datetime layout (100 ns ticks, UTC).
const canonicalLayout = "2006-01-02T15:04:05.0000000Z"

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "checksum:", err)
		os.Exit(1)
	}
}

// run sums the rows of r and writes the summary to w.
func run(r io.Reader, w io.Writer) error {
	br := bufio.NewReaderSize(r, 1<<20)
	var rows, tools, topics, n int
	var sum uint64
	for {
		line, err := br.ReadString('\n')
		n++
		if len(line) > 0 && gjson.Valid(line) {
			src := gjson.Get(line, "source").String()
			switch src {
			case "AgentToolsDetails":
				tools++
			default:
				topics++
			}
			rows++
			sum += rowHash(line)
		} else if len(line) > 0 && !blank(line) {
			return fmt.Errorf("line %d is not a JSON object", n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "rows %d tools %d topics %d\n", rows, tools, topics)
	fmt.Fprintf(w, "checksum %016x\n", sum)
	return nil
}

// blank reports whether s holds only whitespace.
func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > ' ' {
			return false
		}
	}
	return true
}

// rowHash is FNV-1a-64 over the canonical column texts joined by 0x1F.
func rowHash(line string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i, r := range gjson.GetMany(line, columns...) {
		if i > 0 {
			h = (h ^ 0x1f) * prime
		}
		v := canonical(columns[i], r)
		for j := 0; j < len(v); j++ {
			h = (h ^ uint64(v[j])) * prime
		}
	}
	return h
}

// canonical is the text of one cell: null as "", a string as its text, a
// datetime in canonicalLayout, anything else as its JSON text.
func canonical(col string, v gjson.Result) string {
	switch v.Type {
	case gjson.Null:
		return ""
	case gjson.String:
		if datetimeColumns[col] {
			if t, err := time.Parse(time.RFC3339Nano, v.Str); err == nil {
				return t.UTC().Format(canonicalLayout)
			}
		}
		return v.Str
	default:
		return v.Raw
	}
}
