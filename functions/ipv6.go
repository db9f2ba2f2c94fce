package functions

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// IPv6 functions read "addr" or "addr/prefix". An IPv4 address, and an IPv6
// address written with a dotted IPv4 tail ("::192.168.1.1"), are taken as
// the IPv4-mapped address ::ffff:a.b.c.d with its prefix counted on the
// IPv4 part (so /24 becomes /120), which is what the documented examples
// show. Text that does not parse gives null.

func init() {
	scalar("parse_ipv6", params(req("ip", AnyType)), Fixed(tables.String),
		"The canonical IPv6 form (eight 4-digit groups), host bits cleared by a /prefix.",
		func(a []tables.Value) tables.Value { return ipv6Canonical(a, -1) })
	scalar("parse_ipv6_mask", params(req("ip", AnyType), req("prefix", Integer)), Fixed(tables.String),
		"The canonical IPv6 form with the shorter of the address's and the given prefix applied.",
		func(a []tables.Value) tables.Value { return ipv6Canonical(a, 1) })
	scalar("ipv6_compare", params(req("ip1", AnyType), req("ip2", AnyType), opt("prefix", Integer)),
		Fixed(tables.Long), "-1, 0 or 1 comparing two IPv6/IPv4 addresses on their shortest prefix.",
		func(a []tables.Value) tables.Value {
			c, ok := ipv6CompareArgs(a)
			if !ok {
				return tables.Null(tables.Long)
			}
			return tables.NewLong(int64(c))
		})
	scalar("ipv6_is_match", params(req("ip1", AnyType), req("ip2", AnyType), opt("prefix", Integer)),
		Fixed(tables.Bool), "True when two IPv6/IPv4 addresses match on their shortest prefix.",
		func(a []tables.Value) tables.Value {
			c, ok := ipv6CompareArgs(a)
			if !ok {
				return tables.Null(tables.Bool)
			}
			return tables.NewBool(c == 0)
		})
	scalar("ipv6_is_in_range", params(req("ip", AnyType), req("range", AnyType)), Fixed(tables.Bool),
		"True when the address is inside the IPv6 (or IPv4) range.",
		func(a []tables.Value) tables.Value { return ipv6InRanges(a[0], a[1:]) })
	scalar("ipv6_is_in_any_range", params(req("ip", AnyType), many("ranges", AnyType)),
		Fixed(tables.Bool), "True when the address is inside any of the ranges (or an array of them).",
		func(a []tables.Value) tables.Value { return ipv6InRanges(a[0], a[1:]) })
	scalar("format_ipv4", params(req("ip", AnyType), opt("prefix", Integer)), Fixed(tables.String),
		"The dotted form of an IPv4 address (text or number) with the prefix applied; \"\" when invalid.",
		func(a []tables.Value) tables.Value { return formatIPv4(a, false) })
	scalar("format_ipv4_mask", params(req("ip", AnyType), opt("prefix", Integer)), Fixed(tables.String),
		"Like format_ipv4, followed by /prefix.",
		func(a []tables.Value) tables.Value { return formatIPv4(a, true) })
	scalar("parse_ipv4_mask", params(req("ip", AnyType), req("prefix", Integer)), Fixed(tables.Long),
		"The IPv4 address as a long, masked by the shorter of its own and the given prefix.",
		func(a []tables.Value) tables.Value {
			ip, ok := ipv4Arg(a)
			if !ok {
				return tables.Null(tables.Long)
			}
			return tables.NewLong(int64(ip.masked()))
		})
	scalar("ipv4_range_to_cidr_list", params(req("start_ip", AnyType), req("end_ip", AnyType)),
		Fixed(tables.Dynamic), "The smallest list of CIDR ranges covering start_ip..end_ip.",
		ipv4RangeToCIDR)
}

// ipv6 is an address as 128 bits (hi, lo) and its prefix length.
type ipv6 struct {
	hi, lo uint64
	prefix int
}

func parseIPv6(s string) (ipv6, bool) {
	s = strings.TrimSpace(s)
	addrText, prefText, hasPrefix := strings.Cut(s, "/")
	addr, err := netip.ParseAddr(addrText)
	if err != nil || addr.Zone() != "" {
		return ipv6{}, false
	}
	dotted := strings.Contains(addrText, ".")
	b := addr.As16()
	if dotted {
		b = netip.AddrFrom4([4]byte(b[12:])).As16()
	}
	ip := ipv6{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:]), 128}
	if hasPrefix {
		n, err := strconv.Atoi(prefText)
		limit := 128
		if dotted {
			limit = 32
		}
		if err != nil || n < 0 || n > limit {
			return ipv6{}, false
		}
		ip.prefix = n
		if dotted {
			ip.prefix = n + 96
		}
	}
	return ip, true
}

// masked clears the bits after the first p.
func (ip ipv6) masked(p int) (uint64, uint64) {
	switch {
	case p <= 0:
		return 0, 0
	case p < 64:
		return ip.hi & (^uint64(0) << (64 - p)), 0
	case p < 128:
		return ip.hi, ip.lo & (^uint64(0) << (128 - p))
	}
	return ip.hi, ip.lo
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ipv6Prefix reads an optional prefix argument (0..128); -1 when absent,
// false when out of range.
func ipv6Prefix(a []tables.Value, i int) (int, bool) {
	if i >= len(a) || a[i].IsNull() {
		return -1, i >= len(a)
	}
	n, ok := toI(a[i])
	if !ok || n < 0 || n > 128 {
		return 0, false
	}
	return int(n), true
}

func ipv6CompareArgs(a []tables.Value) (int, bool) {
	x, ok1 := parseIPv6(str(a[0]))
	y, ok2 := parseIPv6(str(a[1]))
	p, ok3 := ipv6Prefix(a, 2)
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	n := min(x.prefix, y.prefix)
	if p >= 0 {
		n = min(n, p)
	}
	xh, xl := x.masked(n)
	yh, yl := y.masked(n)
	if c := cmpU(xh, yh); c != 0 {
		return c, true
	}
	return cmpU(xl, yl), true
}

func ipv6InRanges(ipv tables.Value, ranges []tables.Value) tables.Value {
	ip, ok := parseIPv6(str(ipv))
	if !ok {
		return tables.Null(tables.Bool)
	}
	for _, r := range flatten(ranges) {
		rg, ok := parseIPv6(r)
		if !ok {
			return tables.Null(tables.Bool)
		}
		ih, il := ip.masked(rg.prefix)
		rh, rl := rg.masked(rg.prefix)
		if ih == rh && il == rl {
			return tables.NewBool(true)
		}
	}
	return tables.NewBool(false)
}

// ipv6Canonical formats the masked address; prefixArg is the index of an
// explicit prefix argument, or -1.
func ipv6Canonical(a []tables.Value, prefixArg int) tables.Value {
	ip, ok := parseIPv6(str(a[0]))
	if !ok {
		return tables.Null(tables.String)
	}
	p := ip.prefix
	if prefixArg >= 0 {
		n, ok := toI(a[prefixArg])
		if !ok || n < 0 || n > 128 {
			return tables.Null(tables.String)
		}
		p = min(p, int(n))
	}
	hi, lo := ip.masked(p)
	groups := make([]string, 8)
	for i := range 4 {
		groups[i] = fmt.Sprintf("%04x", uint16(hi>>(48-16*i)))
		groups[4+i] = fmt.Sprintf("%04x", uint16(lo>>(48-16*i)))
	}
	return tables.NewString(strings.Join(groups, ":"))
}

// ipv4Arg reads argument 0 (dotted text or a number) with the prefix of
// argument 1 (when given) applied; a prefix outside 0..32 is invalid.
func ipv4Arg(a []tables.Value) (ipv4, bool) {
	var ip ipv4
	switch a[0].Type() {
	case tables.Int, tables.Long, tables.Real, tables.Decimal:
		n, ok := toI(a[0])
		if !ok || n < 0 || n > 0xffffffff {
			return ipv4{}, false
		}
		ip = ipv4{uint32(n), 32}
	default:
		var ok bool
		if ip, ok = parseIPv4(str(a[0])); !ok {
			return ipv4{}, false
		}
	}
	if len(a) > 1 {
		n, ok := toI(a[1])
		if !ok || n < 0 || n > 32 {
			return ipv4{}, false
		}
		ip.prefix = min(ip.prefix, int(n))
	}
	return ip, true
}

func dotted(addr uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", addr>>24, addr>>16&0xff, addr>>8&0xff, addr&0xff)
}

func formatIPv4(a []tables.Value, withMask bool) tables.Value {
	ip, ok := ipv4Arg(a)
	if !ok {
		return tables.NewString("")
	}
	s := dotted(ip.masked())
	if withMask {
		s += "/" + strconv.Itoa(ip.prefix)
	}
	return tables.NewString(s)
}

func ipv4RangeToCIDR(a []tables.Value) tables.Value {
	start, ok1 := parseIPv4(str(a[0]))
	end, ok2 := parseIPv4(str(a[1]))
	if !ok1 || !ok2 || start.addr > end.addr {
		return tables.Null(tables.Dynamic)
	}
	var out []string
	lo, hi := uint64(start.addr), uint64(end.addr)
	for lo <= hi {
		size := 32
		for size > 0 {
			block := uint64(1) << (32 - (size - 1))
			if lo%block != 0 || lo+block-1 > hi {
				break
			}
			size--
		}
		out = append(out, dotted(uint32(lo))+"/"+strconv.Itoa(size))
		lo += uint64(1) << (32 - size)
	}
	return stringArray(out)
}
