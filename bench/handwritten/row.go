package main

import (
	"encoding/json"
	"strings"

	"github.com/tidwall/gjson"
)

// Values of the query's source column.
const (
	sourceTools  = "AgentToolsDetails"
	sourceTopics = "AgentTopicsDetails"
)

// resultColumns are the checksummed columns of shared/gen/README.md, in order.
// The first nBase come straight from the AIAgentsInfo row.
var resultColumns = [...]string{"AIAgentId", "Timestamp", "AgentStatus", "RegistrySource",
	"AIAgentName", "AgentCreationTime", "CreatorAccountUpn", "OwnerAccountUpns",
	"source", "MailConeector", "ToAddress", "Domain"}

// Positions of the computed columns in resultRow.
const (
	nBase     = 8
	colSource = 8
	colMail   = 9
	colTo     = 10
	colDomain = 11
)

// resultRow holds the canonical text of each checksummed column: the value as
// written in the input (datetimes keep their original text), null as "".
type resultRow [len(resultColumns)]string

// baseColumns decodes the row's own checksummed columns.
func baseColumns(row string) *[nBase]string {
	var b [nBase]string
	for i, r := range gjson.GetMany(row, resultColumns[:nBase]...) {
		b[i] = cloneString(tostring(r))
	}
	return &b
}

func (r *resultRow) source() string { return r[colSource] }

// hash is FNV-1a-64 over the values joined by 0x1F.
func (r *resultRow) hash() uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i, v := range r {
		if i > 0 {
			h = (h ^ 0x1f) * prime
		}
		for j := 0; j < len(v); j++ {
			h = (h ^ uint64(v[j])) * prime
		}
	}
	return h
}

// json renders the row as one JSON object, columns in checksum order.
func (r *resultRow) json() string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, v := range r {
		if i > 0 {
			sb.WriteByte(',')
		}
		k, _ := json.Marshal(resultColumns[i])
		s, _ := json.Marshal(v)
		sb.Write(k)
		sb.WriteByte(':')
		sb.Write(s)
	}
	sb.WriteByte('}')
	return sb.String()
}
