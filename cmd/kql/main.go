// Command kql runs KQL (Kusto Query Language) queries offline over local
// JSON, NDJSON and CSV tables, and over Sentinel rule files.
//
// Start with root.go, which builds the command tree; run.go holds `kql run`,
// render.go the result formats and errors.go the error excerpts.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := execute(ctx, os.Args[1:], newApp(os.Stdin, os.Stdout, os.Stderr))
	stop()
	os.Exit(code)
}
