package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// historyLimit is how many entries the history keeps.
const historyLimit = 1000

// historyEnv names the environment variable that overrides the history
// file's place.
const historyEnv = "KQL_HISTORY"

// historyPath returns the history file to use: the --history flag, else
// $KQL_HISTORY, else kql/history in the XDG state directory. "none" (or an
// empty $KQL_HISTORY that is set) keeps no history, and so does a home
// directory that cannot be found.
func historyPath(flag string) string {
	p := flag
	if p == "" {
		if v, ok := os.LookupEnv(historyEnv); ok {
			if v == "" {
				return ""
			}
			p = v
		}
	}
	if p == "none" {
		return ""
	}
	if p != "" {
		return p
	}
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "kql", "history")
}

// history is the list of past inputs and the file that keeps it across
// sessions. An input spanning several lines is one entry: the file holds one
// entry per line, and an entry with a line break (or that starts with a
// quote) is written as a JSON string, so it comes back whole. Other entries
// are written as typed, so the file stays easy to grep.
type history struct {
	path    string
	entries []string
	file    *os.File // opened for appending; nil keeps the history in memory
}

// openHistory reads the history at path and opens it for appending. An
// empty path gives a history kept in memory only. On error the history is
// still usable, in memory.
func openHistory(path string) (*history, error) {
	h := &history{path: path}
	if path == "" {
		return h, nil
	}
	lines, err := readHistoryFile(path)
	if err != nil {
		return h, err
	}
	for _, l := range lines {
		h.entries = append(h.entries, decodeHistoryLine(l))
	}
	if len(h.entries) > 2*historyLimit {
		h.entries = h.entries[len(h.entries)-historyLimit:]
		if err := h.rewrite(); err != nil {
			return h, err
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return h, err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return h, err
	}
	h.file = f
	return h, nil
}

// readHistoryFile returns the non-empty lines of the file; a missing file
// has none.
func readHistoryFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if l := strings.TrimRight(sc.Text(), "\r"); strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines, sc.Err()
}

func encodeHistoryEntry(e string) string {
	if !strings.ContainsAny(e, "\n\r") && !strings.HasPrefix(e, `"`) {
		return e
	}
	b, _ := json.Marshal(e) // a string always marshals
	return string(b)
}

func decodeHistoryLine(l string) string {
	if strings.HasPrefix(l, `"`) {
		var s string
		if json.Unmarshal([]byte(l), &s) == nil {
			return s
		}
	}
	return l
}

// add appends an entry, unless it repeats the last one, and writes it to
// the file.
func (h *history) add(e string) error {
	if n := len(h.entries); n > 0 && h.entries[n-1] == e {
		return nil
	}
	h.entries = append(h.entries, e)
	if len(h.entries) > historyLimit {
		h.entries = h.entries[len(h.entries)-historyLimit:]
	}
	if h.file == nil {
		return nil
	}
	_, err := h.file.WriteString(encodeHistoryEntry(e) + "\n")
	return err
}

// rewrite replaces the file with the entries held, through a temporary file
// so that a failure leaves the old history in place.
func (h *history) rewrite() error {
	tmp := h.path + ".tmp"
	var b strings.Builder
	for _, e := range h.entries {
		b.WriteString(encodeHistoryEntry(e))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, h.path)
}

func (h *history) close() {
	if h != nil && h.file != nil {
		h.file.Close()
	}
}

// remember adds a finished input to the history. The line editor's own
// list is rebuilt from ours: it would otherwise keep the last line typed,
// not the whole of a query typed over several lines.
func (s *session) remember(entry string) {
	if err := s.hist.add(entry); err != nil {
		fmt.Fprintf(s.a.stderr, "kql: writing the history: %v\n", err)
		s.hist.file.Close()
		s.hist.file = nil
	}
	s.reloadHistory()
}

// reloadHistory hands the history to the line editor.
func (s *session) reloadHistory() {
	if s.rl == nil {
		return
	}
	s.rl.ResetHistory()
	for _, e := range s.hist.entries {
		s.rl.SaveHistory(e)
	}
}
