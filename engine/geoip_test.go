package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

const geoNetworks = `network,country,state,city,latitude,longitude
20.53.192.0/18,Australia,New South Wales,Sydney,-33.8715,151.2006
2a03:2880:f12c::/48,United States,Florida,Boca Raton,26.3594,-80.0771
`

// The documented examples of geo_info_from_ip_address, given the networks
// they fall in.
func TestGeoInfoFromIPAddress(t *testing.T) {
	geo, err := tables.ReadGeoIP(strings.NewReader(geoNetworks), "geo.csv")
	require.NoError(t, err)
	src := `datatable(ip: string) ['20.53.203.50', '2a03:2880:f12c:83:face:b00c::25de', '10.0.0.1', 'x']
| extend loc = geo_info_from_ip_address(ip)
| extend country = tostring(loc.country), lat = toreal(loc.latitude)`
	script, err := parser.Parse(src)
	require.NoError(t, err)
	out, err := engine.Run(context.Background(), script, engine.NewCatalog(), engine.Options{GeoIP: geo})
	require.NoError(t, err)
	var got []string
	for r := 0; r < out.Rows(); r++ {
		row := out.Row(r)
		got = append(got, tables.ToJSON(row[1])+" "+row[2].String()+" "+row[3].String())
	}
	assert.Equal(t, []string{
		`{"country":"Australia","state":"New South Wales","city":"Sydney","latitude":-33.8715,"longitude":151.2006} Australia -33.8715`,
		`{"country":"United States","state":"Florida","city":"Boca Raton","latitude":26.3594,"longitude":-80.0771} United States 26.3594`,
		"null  ",
		"null  ",
	}, got)
}

// Without --geoip the call is refused when the query is bound, at the
// call, naming the flag; kql check does not report it.
func TestGeoInfoWithoutData(t *testing.T) {
	src := "print a = 1\n| extend g = geo_info_from_ip_address('1.2.3.4')"
	script, err := parser.Parse(src)
	require.NoError(t, err)
	_, err = engine.Bind(script, engine.NewCatalog(), engine.Options{})
	var list parser.ErrorList
	require.ErrorAs(t, err, &list)
	line, col := parser.Position(src, list[0].Span.Start)
	assert.Equal(t, [2]int{2, 14}, [2]int{line, col})
	assert.Contains(t, list[0].Msg, "geo_info_from_ip_address(): no geolocation data: give kql a CSV of networks with --geoip FILE")
	assert.Empty(t, engine.Check(script, engine.NewCatalog()))
}
