package tables

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
)

// GeoIP is a table of networks and their places, the local stand-in for
// the GeoLite2 data Kusto's geo_info_from_ip_address reads. Lookup finds the
// longest prefix that holds an address, IPv4 and IPv6 alike.
type GeoIP struct {
	v4, v6 geoFamily
}

// geoFamily holds the networks of one address family by prefix length,
// longest first, so that the first hit of a lookup is the most specific.
type geoFamily struct {
	lens []int
	nets map[int]map[netip.Prefix]Value
}

// geoFields are the columns of a GeoIP file after network, in the order of
// the keys of the bag a lookup returns (the order Kusto's docs show).
var geoFields = []string{"country", "state", "city", "latitude", "longitude"}

// LoadGeoIP reads a GeoIP CSV file: a header line naming the column
// network (a CIDR such as 81.2.69.0/24 or 2001:db8::/32) and any of
// country, state, city, latitude and longitude; other columns are ignored.
func LoadGeoIP(path string) (*GeoIP, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadGeoIP(f, path)
}

// ReadGeoIP reads a GeoIP CSV from r; name is the file's name in errors.
func ReadGeoIP(r io.Reader, name string) (*GeoIP, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &DataError{Path: name, Msg: "empty GeoIP file: want a header line with a network column"}
	}
	if err != nil {
		return nil, geoCSVError(name, err)
	}
	idx, err := geoHeader(header, name)
	if err != nil {
		return nil, err
	}
	g := &GeoIP{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return g, nil
		}
		if err != nil {
			return nil, geoCSVError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if err := g.addRecord(rec, idx); err != nil {
			return nil, &DataError{Path: name, Line: line, Msg: err.Error()}
		}
	}
}

// geoHeader maps network and each of geoFields to its column index (-1
// when the file has no such column).
func geoHeader(header []string, name string) (map[string]int, error) {
	idx := map[string]int{"network": -1}
	for _, f := range geoFields {
		idx[f] = -1
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if j, ok := idx[h]; ok && j < 0 {
			idx[h] = i
		}
	}
	if idx["network"] < 0 {
		return nil, &DataError{Path: name, Line: 1,
			Msg: "GeoIP file has no network column; want a header such as network,country,state,city,latitude,longitude"}
	}
	return idx, nil
}

func geoCSVError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &DataError{Path: name, Line: pe.Line, Col: pe.Column, Msg: pe.Err.Error()}
	}
	return &DataError{Path: name, Msg: err.Error()}
}

// addRecord adds one network. The bag it will return is built here, once:
// a key is left out when its cell is empty (the data has no such fact).
func (g *GeoIP) addRecord(rec []string, idx map[string]int) error {
	cell := func(f string) string {
		if i := idx[f]; i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	p, err := netip.ParsePrefix(cell("network"))
	if err != nil {
		return fmt.Errorf("network %q is not a CIDR prefix (want for example 81.2.69.0/24)", cell("network"))
	}
	b := []byte{'{'}
	for _, f := range geoFields {
		text := cell(f)
		if text == "" {
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, f)
		b = append(b, ':')
		if f != "latitude" && f != "longitude" {
			b = AppendJSONString(b, text)
			continue
		}
		x, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return fmt.Errorf("%s %q is not a number", f, text)
		}
		b = AppendJSON(b, NewReal(x))
	}
	b = append(b, '}')
	g.add(p, NewDynamic(string(b)))
	return nil
}

// add files a network under its family, an IPv4-mapped IPv6 prefix
// (::ffff:1.2.3.0/120) as the IPv4 prefix it stands for.
func (g *GeoIP) add(p netip.Prefix, v Value) {
	addr, bits := p.Addr(), p.Bits()
	if addr.Is4In6() && bits >= 96 {
		addr, bits = addr.Unmap(), bits-96
	}
	p = netip.PrefixFrom(addr, bits).Masked()
	fam := &g.v6
	if addr.Is4() {
		fam = &g.v4
	}
	if fam.nets == nil {
		fam.nets = map[int]map[netip.Prefix]Value{}
	}
	m, ok := fam.nets[bits]
	if !ok {
		m = map[netip.Prefix]Value{}
		fam.nets[bits] = m
		fam.lens = append(fam.lens, bits)
		sort.Sort(sort.Reverse(sort.IntSlice(fam.lens)))
	}
	if _, dup := m[p]; !dup {
		m[p] = v // the first line of a network wins
	}
}

// Networks returns how many networks the table holds.
func (g *GeoIP) Networks() int {
	n := 0
	for _, fam := range []*geoFamily{&g.v4, &g.v6} {
		for _, m := range fam.nets {
			n += len(m)
		}
	}
	return n
}

// Lookup returns the place of the most specific network holding ip, as a
// dynamic bag, and false when ip is not an IP address or no network holds
// it (private and reserved addresses are in no GeoLite2 network).
func (g *GeoIP) Lookup(ip string) (Value, bool) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return Value{}, false
	}
	addr = addr.Unmap().WithZone("")
	fam := &g.v6
	if addr.Is4() {
		fam = &g.v4
	}
	for _, bits := range fam.lens {
		p, err := addr.Prefix(bits)
		if err != nil {
			continue
		}
		if v, ok := fam.nets[bits][p]; ok {
			return v, true
		}
	}
	return Value{}, false
}
