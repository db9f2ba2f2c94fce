package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// This file holds what `kql run -v` says on stderr about the data it
// loaded: each table's file, format and row count, and where its column
// types came from, naming every type that was inferred rather than
// declared.

// typingNames words each tables.Typing for the report.
var typingNames = map[tables.Typing]string{
	tables.TypedByFile:   "typed by the file",
	tables.TypedBySchema: "typed by --schema",
	tables.TypedByHint:   "typed by kql's built-in schema",
	tables.TypedByHeader: "typed by its [UTC] header",
}

// reportTable writes one line about a loaded table.
func reportTable(w io.Writer, t *tables.Table, path string, opts tables.LoadOptions) {
	if w == nil {
		return
	}
	format, typings, err := tables.ColumnTypings(path, opts, t)
	if err != nil {
		fmt.Fprintf(w, "kql: table %s: %s from %s\n", t.Name, plural(t.Rows(), "row"), path)
		return
	}
	counts := map[tables.Typing]int{}
	var inferred []string
	for i, ty := range typings {
		counts[ty]++
		if ty == tables.TypedInferred {
			inferred = append(inferred, t.Schema[i].Name+":"+t.Schema[i].Type.String())
		}
	}
	var parts []string
	declared := []tables.Typing{tables.TypedByFile, tables.TypedBySchema, tables.TypedByHint, tables.TypedByHeader}
	for _, ty := range declared {
		if counts[ty] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[ty], typingNames[ty]))
		}
	}
	if len(inferred) > 0 {
		parts = append(parts, fmt.Sprintf("%d inferred: %s", len(inferred), strings.Join(inferred, ", ")))
	}
	fmt.Fprintf(w, "kql: table %s: %s, %s from %s (%s); %s\n", t.Name, plural(t.Rows(), "row"),
		plural(len(t.Schema), "column"), path, format, strings.Join(parts, "; "))
}

// reportSample says that the built-in sample tables are queried.
func reportSample(w io.Writer, ts []*tables.Table) {
	if w == nil {
		return
	}
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	fmt.Fprintf(w, "kql: no --data or --table: querying the built-in sample tables (%s), "+
		"typed by kql's built-in schemas\n", strings.Join(names, ", "))
}
