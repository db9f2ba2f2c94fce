package main

import (
	"github.com/spf13/pflag"

	"github.com/kql-offline/kql/engine"
	"github.com/kql-offline/kql/tables"
)

// geoipFlag is --geoip, the CSV of networks geo_info_from_ip_address reads
// in place of the GeoLite2 data Kusto holds.
type geoipFlag struct{ path string }

func (g *geoipFlag) register(fl *pflag.FlagSet) {
	fl.StringVar(&g.path, "geoip", "",
		"geo_info_from_ip_address reads networks from the CSV `FILE` (network,country,state,city,latitude,longitude)")
}

// load reads the file, or returns nil when the flag was not given.
func (g *geoipFlag) load() (*tables.GeoIP, error) {
	if g.path == "" {
		return nil, nil
	}
	return tables.LoadGeoIP(g.path)
}

// apply loads the file into the engine options.
func (g *geoipFlag) apply(opts *engine.Options) error {
	db, err := g.load()
	if err != nil {
		return err
	}
	opts.GeoIP = db
	return nil
}
