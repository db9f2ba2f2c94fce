package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHugeResultsRefused checks that functions asked for an enormous
// string give a value at once instead of trying to allocate it: the
// allocation would kill the process (a Go out-of-memory error cannot be
// recovered), so no limit on time or memory could stop it.
func TestHugeResultsRefused(t *testing.T) {
	// A string's null is the empty string.
	assert.True(t, call(t, "repeat", S("a"), L(100_000_000_000)).IsNull(), "repeat past 16 MB")
	assert.True(t, call(t, "repeat", L(1), L(1<<23+1)).IsNull(), "just past 16 MB")
	assert.False(t, call(t, "repeat", L(1), L(1<<23)).IsNull(), "16 MB is allowed")
	assert.Equal(t, "1", call(t, "tohex", L(1), L(1_000_000_000_000)).Str(), "padding past 16 MB is ignored")
	assert.Equal(t, "0001", call(t, "tohex", L(1), L(4)).Str())
}
