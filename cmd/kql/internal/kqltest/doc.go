// Package kqltest runs regression cases for KQL queries and compares
// results. It is the engine behind `kql test` and `kql diff`, kept out of
// package main so that Go tests run the project's own cases through the same
// code the command line uses.
//
// Start with Suite.Run, which finds *.kqltest.yaml files, runs each case and
// prints one line per case. ReadFile parses a case file (casefile.go),
// Runner.Run runs one case and checks its expectation (runcase.go), and
// CompareRows and DiffTables (rowdiff.go) produce the readable differences
// both commands print. Update (update.go) writes actual results back into a
// case file, and WriteJUnit (junit.go) writes a report for CI systems.
package kqltest
