package functions

import (
	"sync"
	"time"
	// The IANA database is built in so that time zones work on hosts
	// without one (Windows, minimal containers).
	_ "time/tzdata"

	"github.com/kql-offline/kql/tables"
)

// Conversions between UTC and a named IANA time zone.

func init() {
	scalar("datetime_utc_to_local", params(req("from", DateOnly), req("timezone", AnyType)),
		Fixed(tables.DateTime), "The wall-clock time in an IANA time zone of a UTC datetime.",
		func(a []tables.Value) tables.Value { return convertZone(a, true) })
	scalar("datetime_local_to_utc", params(req("from", DateOnly), req("timezone", AnyType)),
		Fixed(tables.DateTime),
		"The UTC datetime of a wall-clock time in an IANA time zone; a time skipped by a "+
			"daylight-saving change is read with the offset in force after it.",
		func(a []tables.Value) tables.Value { return convertZone(a, false) })
}

var zoneCache sync.Map // zone name -> *time.Location (nil when unknown)

func loadZone(name string) *time.Location {
	if loc, ok := zoneCache.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		loc = nil
	}
	zoneCache.Store(name, loc)
	return loc
}

const ticksPerSecond = int64(time.Second / 100)

func ticksToTime(t int64) time.Time {
	return time.Unix(t/ticksPerSecond, (t%ticksPerSecond)*100).UTC()
}

func timeToTicks(t time.Time) int64 {
	return t.Unix()*ticksPerSecond + int64(t.Nanosecond()/100)
}

func convertZone(a []tables.Value, toLocal bool) tables.Value {
	ticks, ok := toTicks(a[0], tables.DateTime)
	loc := loadZone(str(a[1]))
	if !ok || loc == nil {
		return tables.Null(tables.DateTime)
	}
	t := ticksToTime(ticks)
	if toLocal {
		_, off := t.In(loc).Zone()
		return tables.NewDateTime(ticks + int64(off)*ticksPerSecond)
	}
	local := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(),
		t.Nanosecond(), loc)
	// A wall time skipped by a daylight-saving change does not exist; Go
	// then moves the clock. Kusto (per the documented example) reads it
	// with the offset in force after the change.
	if wallDiffers(local, t) {
		_, after := local.Add(3 * time.Hour).Zone()
		local = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(),
			t.Nanosecond(), time.FixedZone("", after))
	}
	return tables.NewDateTime(timeToTicks(local))
}

// wallDiffers reports whether time.Date moved the wall clock, which it
// does only for a wall time that does not exist.
func wallDiffers(local, want time.Time) bool {
	return local.Hour() != want.Hour() || local.Minute() != want.Minute()
}
