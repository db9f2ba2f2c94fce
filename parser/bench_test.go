package parser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// flagshipQuery reads the AI Agents hunting query the project is built
// around: external mailboxes reached by email-sending agents.
func flagshipQuery(tb testing.TB) string {
	tb.Helper()
	p := requireShared(tb, filepath.Join("corpus", "sentinel-ai-agents", "Copilot_Studio_Connector",
		"AIAgentsEmailExternalMailbox.yaml"))
	b, err := os.ReadFile(p)
	require.NoError(tb, err)
	var doc struct {
		Query string `yaml:"query"`
	}
	require.NoError(tb, yaml.Unmarshal(b, &doc))
	return doc.Query
}

func BenchmarkParseFlagship(b *testing.B) {
	q := flagshipQuery(b)
	b.SetBytes(int64(len(q)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(q); err != nil {
			b.Fatal(err)
		}
	}
}
