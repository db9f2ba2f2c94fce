package tables

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseDateTimeLiteralCommaForms checks the two comma forms of the
// datetime(...) literal and that they stay out of ParseDateTime, which
// reads data.
func TestParseDateTimeLiteralCommaForms(t *testing.T) {
	for text, want := range map[string]string{
		"2025, 6, 14":            "2025-06-14T00:00:00Z",
		"2025,6,14,10,30,5":      "2025-06-14T10:30:05Z",
		"2022-08-07, 00:00":      "2022-08-07T00:00:00Z",
		"2022-08-07, 23:59:30.5": "2022-08-07T23:59:30.5Z",
		"2025-06-14":             "2025-06-14T00:00:00Z",
		"2017 - 08 - 01":         "2017-08-01T00:00:00Z",
	} {
		ticks, ok := ParseDateTimeLiteral(text)
		require.True(t, ok, text)
		assert.Equal(t, want, FormatDateTime(ticks, false), text)
	}
	for _, bad := range []string{"2025, 13, 1", "2025, 2, 30", "2025, 6", "2025, 6, x", "a, 10:00", "2025, -1, 1"} {
		_, ok := ParseDateTimeLiteral(bad)
		assert.False(t, ok, bad)
	}
	_, ok := ParseDateTime("2025, 6, 14")
	assert.False(t, ok, "data with commas is not a datetime")
}
