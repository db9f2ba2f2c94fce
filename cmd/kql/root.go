package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit statuses. A usage error is one the user fixes in the command line;
// a failure is a query, data or file problem.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// app is one invocation's view of the world: its streams and the flags that
// every subcommand shares. Tests build one over buffers.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer

	// termWidth returns the width of the terminal stdout writes to, or 0 when
	// stdout is not a terminal (then tables are never truncated).
	termWidth func() int

	debug bool

	// cpuProfile is where --cpuprofile writes a CPU profile of the command
	// ("": none); a hidden flag for profiling whole runs.
	cpuProfile string

	// limits bound each query of `kql run`; nil means none.
	limits *runLimits
}

// newApp returns an app over real streams, asking the terminal for its width
// when stdout is one.
func newApp(stdin *os.File, stdout, stderr *os.File) *app {
	return &app{
		stdin:  stdin,
		stdout: stdout,
		stderr: stderr,
		termWidth: func() int {
			fd := int(stdout.Fd())
			if !term.IsTerminal(fd) {
				return 0
			}
			w, _, err := term.GetSize(fd)
			if err != nil {
				return 0
			}
			return w
		},
	}
}

// usageError is a mistake in the command line (exit status 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// errReported says the failures have already been printed and only the exit
// status remains to be given.
var errReported = errors.New("failures reported")

// execute runs the command line and returns the exit status. It is main
// without os.Exit, so that tests call it with their own streams. A panic
// anywhere below is caught here: users get a message, never a Go stack.
func execute(ctx context.Context, args []string, a *app) (code int) {
	defer func() {
		if r := recover(); r != nil {
			a.printInternal(r, debug.Stack())
			code = exitFailure
		}
	}()

	root := newRootCmd(a)
	if args == nil {
		args = []string{} // cobra reads os.Args for nil: a test binary's flags
	}
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	return a.exitStatus(cmd, err)
}

// exitStatus prints what err still needs printed and maps it to a status.
// Every error our RunE functions return is a usageError or errReported; any
// other error comes from cobra itself (an unknown flag or subcommand, a bad
// argument count), so it is a usage error too.
func (a *app) exitStatus(cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errReported) {
		return exitFailure
	}
	fmt.Fprintf(a.stderr, "kql: %v\n", err)
	path := "kql"
	if cmd != nil {
		path = cmd.CommandPath()
	}
	fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", path)
	return exitUsage
}

// printInternal reports a bug in kql. The stack is printed only with --debug:
// it helps a bug report but frightens a user who just wanted rows.
func (a *app) printInternal(r any, stack []byte) {
	fmt.Fprintf(a.stderr,
		"kql: internal error: %v (please report this; run with --debug for the stack)\n", r)
	if a.debug {
		a.stderr.Write(stack)
	}
}

// newRootCmd builds the command tree.
func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "kql",
		Short: "Run KQL queries offline over local JSON, NDJSON and CSV tables",
		Long: "kql runs Kusto Query Language queries over local table files " +
			"(JSON, NDJSON, CSV) or over built-in sample tables.",
		Args:              cobra.NoArgs,
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.noArgs(cmd)
		},
	}
	root.PersistentFlags().BoolVar(&a.debug, "debug", false, "print the Go stack of internal errors")
	_ = root.PersistentFlags().MarkHidden("debug")
	root.PersistentFlags().StringVar(&a.cpuProfile, "cpuprofile", "", "write a CPU profile to `FILE`")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentPreRunE = func(*cobra.Command, []string) error { return a.startProfile() }
	root.PersistentPostRun = func(*cobra.Command, []string) { pprof.StopCPUProfile() }
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err}
	})
	root.AddCommand(newRunCmd(a), newVersionCmd(a), newReplCmd(a))
	root.AddCommand(newTestCmd(a))
	root.AddCommand(newDiffCmd(a))
	root.AddCommand(newCheckCmd(a))
	return root
}

// noArgs is what a bare `kql` does: start the REPL when stdin and stdout
// are terminals, print help otherwise (a pipe has no one to talk to).
func (a *app) noArgs(cmd *cobra.Command) error {
	return a.replOrHelp(cmd)
}

// startProfile starts the CPU profile --cpuprofile asks for.
func (a *app) startProfile() error {
	if a.cpuProfile == "" {
		return nil
	}
	f, err := os.Create(a.cpuProfile)
	if err != nil {
		return usagef("--cpuprofile: %v", err)
	}
	return pprof.StartCPUProfile(f)
}
