package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestDatetimeFunctions(t *testing.T) {
	dt := func(s string) tables.Value { return DT(t, s) }
	ts := func(s string) tables.Value { return TS(t, s) }
	jan1 := dt("2017-01-01 10:10:17")
	cases := []struct {
		name string
		args []tables.Value
		want tables.Value
	}{
		{"now", nil, tables.NewDateTime(testNow)},
		{"now", []tables.Value{ts("-1d")}, tables.NewDateTime(testNow - tables.Day)},
		{"ago", []tables.Value{ts("1h")}, tables.NewDateTime(testNow - tables.Hour)},
		{"ago", []tables.Value{N(tables.Timespan)}, N(tables.DateTime)},
		{"bin", []tables.Value{R(4.5), L(1)}, R(4)},
		{"bin", []tables.Value{L(17), L(5)}, L(15)},
		{"bin", []tables.Value{L(-3), L(5)}, L(-5)},
		{"bin", []tables.Value{ts("16d"), ts("7d")}, ts("14d")},
		{"bin", []tables.Value{dt("1970-05-11 13:45:07"), ts("1d")}, dt("1970-05-11")},
		{"bin", []tables.Value{dt("2024-01-10 13:45"), ts("7d")}, dt("2024-01-08")}, // weeks start Monday 0001-01-01
		{"bin", []tables.Value{dt("2024-01-10 13:45"), ts("15m")}, dt("2024-01-10 13:45")},
		{"bin", []tables.Value{N(tables.DateTime), ts("1d")}, N(tables.DateTime)},
		{"bin", []tables.Value{L(5), L(0)}, N(tables.Long)},
		{"floor", []tables.Value{R(4.5), L(1)}, R(4)},
		{"bin_at", []tables.Value{R(6.5), R(2.5), L(7)}, R(4.5)},
		{"bin_at", []tables.Value{ts("1h"), ts("1d"), ts("12h")}, ts("-12:00:00")},
		{"bin_at", []tables.Value{dt("2017-05-15 10:20:00.0"), ts("1d"), dt("1970-01-01 12:00:00.0")},
			dt("2017-05-14T12:00:00Z")},
		{"bin_at", []tables.Value{dt("2017-05-17 10:20:00.0"), ts("7d"), dt("2017-06-04 00:00:00.0")},
			dt("2017-05-14T00:00:00Z")},
		{"startofday", []tables.Value{jan1, L(-1)}, dt("2016-12-31")},
		{"startofday", []tables.Value{jan1}, dt("2017-01-01")},
		{"startofweek", []tables.Value{jan1, L(-1)}, dt("2016-12-25")},
		{"startofweek", []tables.Value{jan1, L(1)}, dt("2017-01-08")},
		{"startofmonth", []tables.Value{jan1, L(-1)}, dt("2016-12-01")},
		{"startofmonth", []tables.Value{jan1, L(1)}, dt("2017-02-01")},
		{"startofyear", []tables.Value{jan1, L(-1)}, dt("2016-01-01")},
		{"endofday", []tables.Value{jan1, L(1)}, dt("2017-01-02 23:59:59.9999999")},
		{"endofweek", []tables.Value{jan1}, dt("2017-01-07 23:59:59.9999999")},
		{"endofweek", []tables.Value{jan1, L(-1)}, dt("2016-12-31 23:59:59.9999999")},
		{"endofmonth", []tables.Value{jan1, L(1)}, dt("2017-02-28 23:59:59.9999999")},
		{"endofyear", []tables.Value{jan1}, dt("2017-12-31 23:59:59.9999999")},
		{"dayofweek", []tables.Value{dt("1947-11-30 10:00:05")}, ts("0d")},
		{"dayofweek", []tables.Value{dt("1970-05-11")}, ts("1d")},
		{"dayofmonth", []tables.Value{dt("2015-12-14")}, I(14)},
		{"dayofyear", []tables.Value{dt("2015-12-14")}, I(348)},
		{"hourofday", []tables.Value{dt("2015-12-14 18:54")}, I(18)},
		{"getmonth", []tables.Value{dt("2015-10-12")}, I(10)},
		{"monthofyear", []tables.Value{dt("2015-12-14")}, I(12)},
		{"getyear", []tables.Value{dt("2015-10-12")}, I(2015)},
		{"week_of_year", []tables.Value{dt("2020-12-31")}, I(53)},
		{"week_of_year", []tables.Value{dt("2020-06-15")}, I(25)},
		{"weekofyear", []tables.Value{dt("1970-01-01")}, I(1)},
		{"weekofyear", []tables.Value{dt("2000-01-01")}, I(52)},
		{"getyear", []tables.Value{S("2015-10-12")}, I(2015)},
		{"getyear", []tables.Value{N(tables.DateTime)}, N(tables.Int)},
		{"unixtime_seconds_todatetime", []tables.Value{L(1546300800)}, dt("2019-01-01")},
		{"unixtime_seconds_todatetime", []tables.Value{R(1546300800.5)}, dt("2019-01-01 00:00:00.5")},
		{"unixtime_milliseconds_todatetime", []tables.Value{L(1546300800000)}, dt("2019-01-01")},
		{"unixtime_microseconds_todatetime", []tables.Value{L(1546300800000000)}, dt("2019-01-01")},
		{"unixtime_nanoseconds_todatetime", []tables.Value{L(1546300800000000000)}, dt("2019-01-01")},
		{"make_datetime", []tables.Value{L(2017), L(10), L(1)}, dt("2017-10-01")},
		{"make_datetime", []tables.Value{L(2017), L(10), L(1), L(12), L(10)}, dt("2017-10-01 12:10")},
		{"make_datetime", []tables.Value{L(2017), L(10), L(1), L(12), L(11), R(0.1234567)},
			dt("2017-10-01 12:11:00.1234567")},
		{"make_datetime", []tables.Value{L(2017), L(2), L(30)}, N(tables.DateTime)},
		{"make_timespan", []tables.Value{L(1), L(12), L(30), R(55.123)}, ts("1.12:30:55.123")},
		{"make_timespan", []tables.Value{L(2), L(30)}, ts("02:30:00")},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, call(t, c.name, c.args...), "%s%v", c.name, c.args)
	}
}

func TestDatetimeDiffAddPart(t *testing.T) {
	dt := func(s string) tables.Value { return DT(t, s) }
	diff := []struct {
		part string
		a, b string
		want int64
	}{
		{"year", "2017-01-01", "2000-12-31", 17},
		{"quarter", "2017-07-01", "2017-03-30", 2},
		{"month", "2017-01-01", "2015-12-30", 13},
		{"week", "2017-10-29 00:00", "2017-09-30 23:59", 5},
		{"day", "2017-10-29 00:00", "2017-09-30 23:59", 29},
		{"hour", "2017-10-31 01:00", "2017-10-30 23:59", 2},
		{"minute", "2017-10-30 23:05:01", "2017-10-30 23:00:59", 5},
		{"second", "2017-10-30 23:00:10.100", "2017-10-30 23:00:00.900", 10},
		{"millisecond", "2017-10-30 23:00:00.200100", "2017-10-30 23:00:00.100900", 100},
		{"microsecond", "2017-10-30 23:00:00.1009001", "2017-10-30 23:00:00.1008009", 100},
		{"nanosecond", "2017-10-30 23:00:00.0000000", "2017-10-30 23:00:00.0000007", -700},
		{"Day", "2017-10-29", "2017-10-30", -1},
	}
	for _, c := range diff {
		assert.Equal(t, L(c.want), call(t, "datetime_diff", S(c.part), dt(c.a), dt(c.b)), c.part)
	}
	assert.Equal(t, N(tables.Long), call(t, "datetime_diff", S("fortnight"), dt("2017-01-01"), dt("2017-01-01")))

	base := dt("2017-01-01")
	add := []struct {
		part string
		n    int64
		want string
	}{
		{"year", 1, "2018-01-01"}, {"quarter", 1, "2017-04-01"}, {"month", 1, "2017-02-01"},
		{"week", 1, "2017-01-08"}, {"day", 1, "2017-01-02"}, {"hour", 1, "2017-01-01 01:00"},
		{"minute", 1, "2017-01-01 00:01"}, {"second", 1, "2017-01-01 00:00:01"},
		{"year", -5, "2012-01-01"}, {"quarter", 12, "2020-01-01"}, {"month", -15, "2015-10-01"},
		{"week", 100, "2018-12-02"},
	}
	for _, c := range add {
		assert.Equal(t, dt(c.want), call(t, "datetime_add", S(c.part), L(c.n), base), "%s %d", c.part, c.n)
	}
	assert.Equal(t, dt("2017-02-28 10:00"), call(t, "datetime_add", S("month"), L(1), dt("2017-01-31 10:00")))

	d := dt("2017-10-30 01:02:03.7654321")
	part := map[string]int64{
		"year": 2017, "quarter": 4, "month": 10, "week_of_year": 44, "day": 30, "dayOfYear": 303,
		"hour": 1, "minute": 2, "second": 3, "millisecond": 765, "microsecond": 765432,
		"nanosecond": 765432100,
	}
	for p, want := range part {
		assert.Equal(t, L(want), call(t, "datetime_part", S(p), d), p)
	}
}

func TestFormatDatetimeAndTimespan(t *testing.T) {
	d := DT(t, "2017-01-29 09:00:05")
	for format, want := range map[string]string{
		"yy-MM-dd [HH:mm:ss]":     "17-01-29 [09:00:05]",
		"yyyy-M-dd [H:mm:ss]":     "2017-1-29 [9:00:05]",
		"yy-MM-dd [hh:mm:ss tt]":  "17-01-29 [09:00:05 AM]",
		"yyyy-MM-dd HH:mm:ss.fff": "2017-01-29 09:00:05.000",
		"d/M/yyyy h:m:s":          "29/1/2017 9:0:5",
	} {
		assert.Equal(t, S(want), call(t, "format_datetime", d, S(format)), format)
	}
	assert.Equal(t, S("2017-01-29 21:00:05.123"),
		call(t, "format_datetime", DT(t, "2017-01-29 21:00:05.1234"), S("yyyy-MM-dd HH:mm:ss.FFF")))
	assert.Equal(t, S("09:00:05 PM"), call(t, "format_datetime", DT(t, "2017-01-29 21:00:05"), S("hh:mm:ss tt")))

	span := TS(t, "29.09:00:05.12345")
	assert.Equal(t, S("29.09:00:05:12"), call(t, "format_timespan", span, S("dd.hh:mm:ss:FF")))
	assert.Equal(t, S("029.9:00:05 [1234500]"), call(t, "format_timespan", span, S("ddd.h:mm:ss [fffffff]")))
	assert.Equal(t, S(""), call(t, "format_timespan", N(tables.Timespan), S("hh")))
}
