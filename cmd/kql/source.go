package main

import (
	"go.yaml.in/yaml/v3"

	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// querySource is one query to run and what its errors point into.
type querySource struct {
	// name is what error positions and result headers call the query: a
	// file path, "<query>" for --query or "<stdin>".
	name string
	// title is a rule's own name (the `name` field of a Sentinel rule).
	title string
	// text is the query text handed to the parser.
	text string
	// file is the text of the file errors are shown in: text itself for a
	// .kql file, the whole rule for a .yaml one.
	file string
	// fileOffset maps a byte offset in text to one in file.
	fileOffset func(int) int
}

// plainSource is a query that is its own file.
func plainSource(name, text string) *querySource {
	return &querySource{name: name, text: text, file: text, fileOffset: func(o int) int { return o }}
}

// sourceRef is a query named on the command line, read only when its turn
// comes so that one unreadable file does not stop the others.
type sourceRef struct {
	name string
	load func() (*querySource, error)
	// fromDir marks a file found by walking a directory; a YAML file there
	// without a query field is skipped rather than reported.
	fromDir bool
}

// errNoQuery marks a YAML file that has no query field.
var errNoQuery = errors.New("no 'query' field")

// collectSources turns --query and the FILE arguments into the list of
// queries to run, in command-line order, walking directories recursively.
// multi reports whether results need a header each: several queries, or any
// directory.
func (a *app) collectSources(query string, hasQuery bool, args []string) (refs []sourceRef, multi bool, err error) {
	if hasQuery {
		refs = append(refs, sourceRef{name: "<query>", load: func() (*querySource, error) {
			return plainSource("<query>", query), nil
		}})
	}
	stdinUsed := false
	for _, arg := range args {
		switch {
		case arg == "-":
			if stdinUsed {
				return nil, false, usagef("standard input (-) named twice")
			}
			stdinUsed = true
			refs = append(refs, sourceRef{name: "<stdin>", load: a.readStdin})
		case isDir(arg):
			multi = true
			found, werr := walkQueries(arg)
			if werr != nil {
				refs = append(refs, sourceRef{name: arg, load: func() (*querySource, error) {
					return nil, werr
				}})
			}
			refs = append(refs, found...)
		default:
			refs = append(refs, fileRef(arg, false))
		}
	}
	if len(refs) == 0 {
		return nil, false, usagef("no query: give a FILE, - for standard input, or --query TEXT")
	}
	return refs, multi || len(refs) > 1, nil
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// walkQueries lists the .kql, .yaml and .yml files under dir, in lexical
// order.
func walkQueries(dir string) ([]sourceRef, error) {
	var refs []sourceRef
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (isQueryFile(path) || isExtensionlessRule(path)) {
			refs = append(refs, fileRef(path, true))
		}
		return nil
	})
	return refs, err
}

func isQueryFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".kql", ".yaml", ".yml":
		return true
	}
	return false
}

// isExtensionlessRule reports whether a file without an extension is a
// Sentinel rule (a YAML mapping with a query field): upstream has such files.
func isExtensionlessRule(path string) bool {
	if filepath.Ext(path) != "" {
		return false
	}
	data, err := os.ReadFile(path)
	return err == nil && looksLikeRule(data)
}

// looksLikeRule reports whether data is a YAML mapping with a query field.
func looksLikeRule(data []byte) bool {
	var rule map[string]any
	if yaml.Unmarshal(data, &rule) != nil {
		return false
	}
	_, ok := rule["query"].(string)
	return ok
}

func isYAML(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yaml" || ext == ".yml"
}

// fileRef reads a query file when loaded: a Sentinel rule for .yaml and
// .yml, KQL text for anything else.
func fileRef(path string, fromDir bool) sourceRef {
	return sourceRef{name: path, fromDir: fromDir, load: func() (*querySource, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fileError(path, err)
		}
		if isYAML(path) || (filepath.Ext(path) == "" && looksLikeRule(data)) {
			return yamlRuleSource(path, data)
		}
		return plainSource(path, string(data)), nil
	}}
}

// fileError rewords an *fs.PathError as "path: reason", dropping the
// operation name ("open") that means nothing to a user.
func fileError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", path, pe.Err)
	}
	return err
}

func (a *app) readStdin() (*querySource, error) {
	data, err := io.ReadAll(a.stdin)
	if err != nil {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	return plainSource("<stdin>", string(data)), nil
}
