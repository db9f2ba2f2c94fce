package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStringOps(t *testing.T) {
	cases := []struct {
		l, op, r string
		want     bool
	}{
		// datatypes-string-operators.md examples (all documented true)
		{"aBc", "=~", "ABC", true},
		{"aBc", "!~", "xyz", true},
		{"FabriKam", "contains", "BRik", true},
		{"Fabrikam", "!contains", "xyz", true},
		{"FabriKam", "contains_cs", "Kam", true},
		{"Fabrikam", "!contains_cs", "Kam", true},
		{"Fabrikam", "endswith", "Kam", true},
		{"Fabrikam", "!endswith", "brik", true},
		{"Fabrikam", "endswith_cs", "kam", true},
		{"Fabrikam", "!endswith_cs", "brik", true},
		{"North America", "has", "america", true},
		{"North America", "!has", "amer", true},
		{"North America", "has_cs", "America", true},
		{"North America", "!has_cs", "amer", true},
		{"North America", "hasprefix", "ame", true},
		{"North America", "!hasprefix", "mer", true},
		{"North America", "hasprefix_cs", "Ame", true},
		{"North America", "!hasprefix_cs", "CA", true},
		{"North America", "hassuffix", "ica", true},
		{"North America", "!hassuffix", "americ", true},
		{"North America", "hassuffix_cs", "ica", true},
		{"North America", "!hassuffix_cs", "icA", true},
		{"Fabrikam", "startswith", "fab", true},
		{"Fabrikam", "!startswith", "kam", true},
		{"Fabrikam", "startswith_cs", "Fab", true},
		{"Fabrikam", "!startswith_cs", "fab", true},
		// terms are maximal alphanumeric runs (SEMANTICS.md §16)
		{"KustoExplorerQueryRun", "has", "Explorer", false},
		{"KustoExplorerQueryRun", "contains", "Explorer", true},
		{"Kusto: ad67d136-c1db-4f9f;KustoExplorerQueryRun", "has", "c1db", true},
		{"Kusto: ad67d136-c1db-4f9f;KustoExplorerQueryRun", "has", "KUSTO", true},
		{"Kusto: ad67d136-c1db-4f9f;KustoExplorerQueryRun", "has_cs", "KUSTO", false},
		{"foo_bar", "has", "foo", true},
		{"cmd.exe /c whoami", "has", "cmd.exe", true},
		{"xcmd.exe /c", "has", "cmd.exe", false},
		{"cmd.exes", "has", "cmd.exe", false},
		{"a -enc b", "has", "-enc", true},
		{"a x-enc b", "has", "-enc", true}, // a needle starting with punctuation aligns only on its term side
		{"abc", "has", "", true},
		{"", "has", "x", false},
		{"powershell.exe", "hasprefix", "power", true},
		{"powershell.exe", "hassuffix", "shell", true},
		{"powershell.exe", "hassuffix", "exe", true},
		{"powershell.exe", "hasprefix", "shell", false},
		// Unicode folding falls back to lower-casing
		{"ÄPFEL und Birnen", "has", "äpfel", true},
		{"ÄPFEL", "=~", "äpfel", true},
		{"straße", "contains", "STRASSE", false},
		{"Résumé", "startswith", "ré", true},
		{"Résumé", "endswith", "MÉ", true},
		{"", "=~", "", true},
		{"", "contains", "", true},
	}
	for _, c := range cases {
		f, ok := StringOp(c.op)
		require.True(t, ok, c.op)
		assert.Equal(t, c.want, f(c.l, c.r), "%q %s %q", c.l, c.op, c.r)
	}
	_, ok := StringOp("like")
	assert.False(t, ok)
}

func TestStringOpsDoNotAllocate(t *testing.T) {
	for _, op := range []string{"has", "contains", "startswith", "endswith", "=~", "hasprefix"} {
		f, _ := StringOp(op)
		n := testing.AllocsPerRun(100, func() {
			f("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -enc", "PowerShell")
		})
		assert.Zero(t, n, op)
	}
}

func TestRegex(t *testing.T) {
	re, err := Regex("b.*k")
	require.NoError(t, err)
	assert.True(t, re.MatchString("Fabrikam"))
	again, _ := Regex("b.*k")
	assert.Same(t, re, again)
	_, err = Regex("(unclosed")
	assert.Error(t, err)
	re, err = Regex(`(?i)^\d{3}-(?P<x>[a-z]+)$`)
	require.NoError(t, err)
	assert.True(t, re.MatchString("123-ABC"))
}

func BenchmarkHas(b *testing.B) {
	f, _ := StringOp("has")
	s := "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProfile -enc AAAA"
	for b.Loop() {
		f(s, "powershell")
	}
}
