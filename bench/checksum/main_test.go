package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func summarize(t *testing.T, in string) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run(strings.NewReader(in), &out))
	return out.String()
}

func TestDatetimesAreCanonicalized(t *testing.T) {
	long := `{"AIAgentId":"a","Timestamp":"2025-11-03T10:00:00.0000000Z",` +
		`"AgentCreationTime":"2024-05-09T05:19:42.9380000Z","source":"AgentToolsDetails"}`
	short := `{"source":"AgentToolsDetails","AgentCreationTime":"2024-05-09T05:19:42.938Z",` +
		`"Timestamp":"2025-11-03T10:00:00Z","AIAgentId":"a","Extra":[1]}`
	assert.Equal(t, summarize(t, long+"\n"), summarize(t, short+"\n"))
	assert.Contains(t, summarize(t, long+"\n"), "rows 1 tools 1 topics 0\n")
}

func TestNullIsEmptyString(t *testing.T) {
	assert.Equal(t, summarize(t, `{"Domain":null,"source":"AgentTopicsDetails"}`),
		summarize(t, `{"Domain":"","source":"AgentTopicsDetails"}`))
	assert.NotEqual(t, summarize(t, `{"Domain":"x"}`), summarize(t, `{"Domain":""}`))
}

// TestKnownHash pins the checksum of one row: FNV-1a-64 of eleven 0x1F
// separators around "x" in the first column.
func TestKnownHash(t *testing.T) {
	assert.Equal(t, "rows 1 tools 0 topics 1\nchecksum 81936e7cebaf8bf6\n",
		summarize(t, `{"AIAgentId":"x"}`+"\n\n"))
}

func TestRejectsNonJSON(t *testing.T) {
	err := run(strings.NewReader("{\"a\":1}\nnot json\n"), &bytes.Buffer{})
	assert.ErrorContains(t, err, "line 2")
}
