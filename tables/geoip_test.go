package tables

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const geoCSV = `network,country,state,city,latitude,longitude,extra
20.0.0.0/8,United States,,,37.751,-97.822,x
20.53.192.0/18,Australia,New South Wales,Sydney,-33.8715,151.2006,x
2a03:2880::/29,United States,,,37.751,-97.822,x
2a03:2880:f12c::/48,United States,Florida,Boca Raton,26.3594,-80.0771,x
::ffff:81.2.69.0/120,United Kingdom,England,London,51.5142,-0.0931,x
`

func TestGeoIPLookup(t *testing.T) {
	g, err := ReadGeoIP(strings.NewReader(geoCSV), "geo.csv")
	require.NoError(t, err)
	assert.Equal(t, 5, g.Networks())
	cases := []struct{ ip, want string }{
		// The most specific network wins over the /8 around it.
		{"20.53.203.50", `{"country":"Australia","state":"New South Wales","city":"Sydney","latitude":-33.8715,"longitude":151.2006}`},
		// Empty cells leave their keys out.
		{"20.1.2.3", `{"country":"United States","latitude":37.751,"longitude":-97.822}`},
		{"2a03:2880:f12c:83:face:b00c::25de", `{"country":"United States","state":"Florida","city":"Boca Raton","latitude":26.3594,"longitude":-80.0771}`},
		{"2a03:2881::1", `{"country":"United States","latitude":37.751,"longitude":-97.822}`},
		// An IPv4-mapped network holds the IPv4 address, in either form.
		{"81.2.69.160", `{"country":"United Kingdom","state":"England","city":"London","latitude":51.5142,"longitude":-0.0931}`},
		{"::ffff:81.2.69.160", `{"country":"United Kingdom","state":"England","city":"London","latitude":51.5142,"longitude":-0.0931}`},
	}
	for _, c := range cases {
		v, ok := g.Lookup(c.ip)
		if assert.True(t, ok, c.ip) {
			assert.Equal(t, c.want, ToJSON(v), c.ip)
		}
	}
	for _, ip := range []string{"10.0.0.1", "192.168.1.1", "::1", "", "not an ip", "20.53.203.50/32", " 20.53.203.50"} {
		_, ok := g.Lookup(ip)
		assert.False(t, ok, ip)
	}
}

func TestGeoIPErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "geo.csv: empty GeoIP file: want a header line with a network column"},
		{"country,city\nX,Y\n", "geo.csv:1: GeoIP file has no network column; want a header such as network,country,state,city,latitude,longitude"},
		{"network,country\n1.2.3.0/24,X\n1.2.3.4,Y\n", `geo.csv:3: network "1.2.3.4" is not a CIDR prefix (want for example 81.2.69.0/24)`},
		{"network,latitude\n1.2.3.0/24,north\n", `geo.csv:2: latitude "north" is not a number`},
		{"network,country\n1.2.3.0/24,\"X\n", `geo.csv:2:15: extraneous or missing " in quoted-field`},
	}
	for _, c := range cases {
		_, err := ReadGeoIP(strings.NewReader(c.in), "geo.csv")
		if assert.Error(t, err, c.in) {
			assert.Equal(t, c.want, err.Error(), c.in)
		}
	}
}
