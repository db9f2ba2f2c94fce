package main

import "testing"

// TestGeoIPFlag runs geo_info_from_ip_address with and without --geoip,
// and with a file that is not a GeoIP table.
func TestGeoIPFlag(t *testing.T) {
	const q = "print loc = geo_info_from_ip_address('20.53.203.50'), " +
		"none = geo_info_from_ip_address('10.0.0.1')"
	cases := []struct {
		name string
		args []string
	}{
		{"geoip_run", []string{"run", "-f", "json", "--geoip", "testdata/geoip.csv", "-q", q}},
		{"geoip_missing_flag", []string{"run", "-q", q}},
		{"geoip_bad_file", []string{"run", "--geoip", "testdata/data/Users.csv", "-q", q}},
		{"geoip_check", []string{"check", "-q", q}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c.name, runCLI(t, "", c.args...))
		})
	}
}
