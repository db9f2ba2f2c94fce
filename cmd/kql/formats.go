package main

import (
	"strings"

	"github.com/kql-offline/kql/tables"
)

// formatPrefix splits a FORMAT: prefix off a --table path (v1:resp.json,
// defender:hunt.json.gz) when FORMAT names a format tables.CanonicalFormat
// knows; any other path, C:\data\x.json included, is returned whole.
func formatPrefix(path string) (format, rest string) {
	f, rest, ok := strings.Cut(path, ":")
	if !ok {
		return "", path
	}
	if c, known := tables.CanonicalFormat(f); known {
		return c, rest
	}
	return "", path
}

// formatHelp lists the format names --table accepts, for flag help.
func formatHelp() string { return strings.Join(tables.Formats(), ", ") }
