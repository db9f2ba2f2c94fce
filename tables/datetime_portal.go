package tables

// portalLayouts are the datetime forms of the Sentinel and Defender portals'
// CSV exports (11/3/2025, 10:00:00.000 AM: US order, a comma before the
// time, a 12-hour clock). They are appended to the forms ParseDateTime
// tries, after the others, so that portal files load with a schema and
// todatetime() reads the same text; Go's parser accepts the optional
// fraction after the seconds.
var portalLayouts = []string{
	"1/2/2006, 3:04:05 PM",
	"1/2/2006, 3:04 PM",
	"1/2/2006, 15:04:05",
}

func init() { dateLayouts = append(dateLayouts, portalLayouts...) }
