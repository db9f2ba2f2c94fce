package functions

import (
	"errors"

	"github.com/kql-offline/kql/tables"
)

// errNoGeoIP is the bind error of geo_info_from_ip_address without data:
// Kusto reads Microsoft's copy of GeoLite2, which kql does not have.
var errNoGeoIP = errors.New("no geolocation data: give kql a CSV of networks with --geoip FILE " +
	"(columns network,country,state,city,latitude,longitude; see the README)")

func init() {
	Register(&Func{
		Name: "geo_info_from_ip_address", Kind: Scalar,
		Params: params(req("IpAddress", Text)),
		Result: Fixed(tables.Dynamic), Compile: compileGeoInfo,
		Doc: "The place of an IPv4 or IPv6 address (country, state, city, latitude, longitude) " +
			"from the --geoip file; null when no network holds it.",
	})
}

// compileGeoInfo looks addresses up in the --geoip table. An address no
// network holds, or text that is not an address, gives null.
func compileGeoInfo(c *Call) (Impl, error) {
	if c.Env == nil || c.Env.GeoIP == nil {
		return nil, errNoGeoIP
	}
	db := c.Env.GeoIP
	return func(a []tables.Value) tables.Value {
		if v, ok := db.Lookup(str(a[0])); ok {
			return v
		}
		return tables.Null(tables.Dynamic)
	}, nil
}
