package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is kql's release, set at link time:
// go build -ldflags "-X main.version=v0.1.0" ./cmd/kql
var version = "dev"

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kql's version",
		Args:  cobra.NoArgs,
		Run: func(*cobra.Command, []string) {
			fmt.Fprintf(a.stdout, "kql %s (%s, %s/%s%s)\n",
				version, runtime.Version(), runtime.GOOS, runtime.GOARCH, revision())
		},
	}
}

// revision returns ", commit <short hash>" when the binary was built from a
// git checkout with VCS stamping on, and "" otherwise.
func revision() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return ", commit " + s.Value[:12]
		}
	}
	return ""
}
