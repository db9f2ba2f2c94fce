package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestTimeZones(t *testing.T) {
	local := DT(t, "2020-02-02 20:02:20")
	assert.Equal(t, DT(t, "2020-02-03 04:02:20"), call(t, "datetime_local_to_utc", local, S("US/Pacific")))
	assert.Equal(t, DT(t, "2020-02-02 19:02:20"), call(t, "datetime_local_to_utc", local, S("Europe/Paris")))
	assert.Equal(t, DT(t, "2020-02-02 21:02:20"), call(t, "datetime_utc_to_local", local, S("Europe/Paris")))
	// 02:00 does not exist in Brussels on 2022-03-27; it reads as summer time.
	assert.Equal(t, DT(t, "2022-03-27 00:00:00"), call(t, "datetime_local_to_utc", DT(t, "2022-03-27 02:00:00"), S("Europe/Brussels")))
	assert.Equal(t, DT(t, "2022-03-27 01:00:00"), call(t, "datetime_local_to_utc", DT(t, "2022-03-27 03:00:00"), S("Europe/Brussels")))
	assert.Equal(t, DT(t, "2022-03-27 03:00:00"), call(t, "datetime_utc_to_local", DT(t, "2022-03-27 01:00:00"), S("Europe/Brussels")))
	assert.Equal(t, N(tables.DateTime), call(t, "datetime_utc_to_local", local, S("Mars/Olympus")))
	assert.Equal(t, N(tables.DateTime), call(t, "datetime_utc_to_local", local, S("")))
	assert.Equal(t, N(tables.DateTime), call(t, "datetime_local_to_utc", N(tables.DateTime), S("UTC")))
}
