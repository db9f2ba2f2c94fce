package functions

import (
	"strconv"
	"strings"

	"github.com/kql-offline/kql/tables"
)

// IPv4 functions read addresses as text "a.b.c.d" with an optional
// "/prefix"; an address that does not parse gives null (or false for the
// has_* searches).

func init() {
	scalar("parse_ipv4", params(req("ip", AnyType)), Fixed(tables.Long),
		"The address as a long, host bits cleared when a /prefix is given.",
		func(a []tables.Value) tables.Value {
			ip, ok := parseIPv4(str(a[0]))
			if !ok {
				return tables.Null(tables.Long)
			}
			return tables.NewLong(int64(ip.masked()))
		})
	scalar("ipv4_is_private", params(req("ip", AnyType)), Fixed(tables.Bool),
		"True for 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16.", ipv4IsPrivate)
	scalar("ipv4_is_in_range", params(req("ip", AnyType), req("range", AnyType)), Fixed(tables.Bool),
		"True when the address is inside the CIDR range.",
		func(a []tables.Value) tables.Value { return ipMatch(a[0], a[1], -1, true) })
	scalar("ipv4_is_match", params(req("ip1", AnyType), req("ip2", AnyType), opt("prefix", Integer)),
		Fixed(tables.Bool), "True when two addresses match on their shortest prefix.",
		func(a []tables.Value) tables.Value { return ipMatch(a[0], a[1], prefixArg(a, 2), false) })
	scalar("ipv4_compare", params(req("ip1", AnyType), req("ip2", AnyType), opt("prefix", Integer)),
		Fixed(tables.Long), "-1, 0 or 1 comparing two addresses on their shortest prefix.",
		ipv4Compare)
	scalar("ipv4_is_in_any_range", params(req("ip", AnyType), many("ranges", AnyType)),
		Fixed(tables.Bool), "True when the address is inside any of the ranges (or an array of them).",
		ipv4InAnyRange)
	scalar("ipv4_netmask_suffix", params(req("ip", AnyType)), Fixed(tables.Long),
		"The /prefix of an address (32 when absent).",
		func(a []tables.Value) tables.Value {
			ip, ok := parseIPv4(str(a[0]))
			if !ok {
				return tables.Null(tables.Long)
			}
			return tables.NewLong(int64(ip.prefix))
		})
	scalar("has_ipv4", params(req("source", AnyType), req("ip", AnyType)), Fixed(tables.Bool),
		"True when the text holds the address as a properly delimited token.",
		func(a []tables.Value) tables.Value { return hasIPs(a[0], a[1:], false) })
	scalar("has_ipv4_prefix", params(req("source", AnyType), req("prefix", AnyType)), Fixed(tables.Bool),
		"True when the text holds an address starting with the prefix (\"10.1.\").",
		func(a []tables.Value) tables.Value { return hasIPs(a[0], a[1:], true) })
	scalar("has_any_ipv4", params(req("source", AnyType), many("ips", AnyType)), Fixed(tables.Bool),
		"True when the text holds any of the addresses.",
		func(a []tables.Value) tables.Value { return hasIPs(a[0], a[1:], false) })
	scalar("has_any_ipv4_prefix", params(req("source", AnyType), many("prefixes", AnyType)),
		Fixed(tables.Bool), "True when the text holds an address with any of the prefixes.",
		func(a []tables.Value) tables.Value { return hasIPs(a[0], a[1:], true) })
}

// ipv4 is a parsed address with its prefix length (32 when none).
type ipv4 struct {
	addr   uint32
	prefix int
}

func mask(prefix int) uint32 {
	if prefix <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - prefix)
}

func (ip ipv4) masked() uint32 { return ip.addr & mask(ip.prefix) }

func parseIPv4(s string) (ipv4, bool) {
	s = strings.TrimSpace(s)
	prefix := 32
	if addr, p, ok := strings.Cut(s, "/"); ok {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 32 {
			return ipv4{}, false
		}
		s, prefix = addr, n
	}
	addr, ok := parseDotted(s)
	return ipv4{addr, prefix}, ok
}

// parseDotted reads exactly four decimal octets.
func parseDotted(s string) (uint32, bool) {
	var addr uint32
	parts := 0
	for _, p := range strings.Split(s, ".") {
		if p == "" || len(p) > 3 {
			return 0, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n > 255 {
			return 0, false
		}
		addr = addr<<8 | uint32(n)
		parts++
	}
	return addr, parts == 4
}

func prefixArg(a []tables.Value, i int) int {
	if i >= len(a) || a[i].IsNull() {
		return -1
	}
	n, ok := toI(a[i])
	if !ok || n < 0 || n > 32 {
		return -2
	}
	return int(n)
}

// comparePrefixed compares two addresses on the shortest of their prefixes
// and the explicit one (-1 when absent).
func comparePrefixed(x, y ipv4, explicit int) int {
	p := min(x.prefix, y.prefix)
	if explicit >= 0 {
		p = min(p, explicit)
	}
	a, b := x.addr&mask(p), y.addr&mask(p)
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func ipMatch(v1, v2 tables.Value, explicit int, rangeOnly bool) tables.Value {
	x, ok1 := parseIPv4(str(v1))
	y, ok2 := parseIPv4(str(v2))
	if !ok1 || !ok2 || explicit == -2 {
		return tables.Null(tables.Bool)
	}
	if rangeOnly {
		return tables.NewBool(x.addr&mask(y.prefix) == y.addr&mask(y.prefix))
	}
	return tables.NewBool(comparePrefixed(x, y, explicit) == 0)
}

func ipv4Compare(a []tables.Value) tables.Value {
	x, ok1 := parseIPv4(str(a[0]))
	y, ok2 := parseIPv4(str(a[1]))
	p := prefixArg(a, 2)
	if !ok1 || !ok2 || p == -2 {
		return tables.Null(tables.Long)
	}
	return tables.NewLong(int64(comparePrefixed(x, y, p)))
}

var privateRanges = []ipv4{
	{10 << 24, 8},
	{172<<24 | 16<<16, 12},
	{192<<24 | 168<<16, 16},
}

func ipv4IsPrivate(a []tables.Value) tables.Value {
	ip, ok := parseIPv4(str(a[0]))
	if !ok {
		return tables.Null(tables.Bool)
	}
	for _, r := range privateRanges {
		if ip.addr&mask(r.prefix) == r.addr {
			return tables.NewBool(true)
		}
	}
	return tables.NewBool(false)
}

// flatten expands dynamic array arguments into their elements.
func flatten(args []tables.Value) []string {
	var out []string
	for _, v := range args {
		if isArray(v) {
			v.Elements(func(_ string, e tables.Value) bool {
				out = append(out, e.String())
				return true
			})
			continue
		}
		out = append(out, str(v))
	}
	return out
}

func ipv4InAnyRange(a []tables.Value) tables.Value {
	ip, ok := parseIPv4(str(a[0]))
	if !ok {
		return tables.Null(tables.Bool)
	}
	for _, r := range flatten(a[1:]) {
		if rg, ok := parseIPv4(r); ok && ip.addr&mask(rg.prefix) == rg.addr&mask(rg.prefix) {
			return tables.NewBool(true)
		}
	}
	return tables.NewBool(false)
}

// ipTokens returns the valid addresses in text: maximal runs of digits and
// dots that are not glued to letters, digits or dots on either side.
func ipTokens(text string) []string {
	var out []string
	for i := 0; i < len(text); {
		if !isIPByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isIPByte(text[j]) {
			j++
		}
		glued := i > 0 && isAlnumByte(text[i-1]) || j < len(text) && isAlnumByte(text[j])
		if _, ok := parseDotted(text[i:j]); ok && !glued {
			out = append(out, text[i:j])
		}
		i = j
	}
	return out
}

func isIPByte(c byte) bool { return c >= '0' && c <= '9' || c == '.' }

func isAlnumByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// hasIPs is has_ipv4 and its prefix and any forms. A prefix must be whole
// octets: it ends with a dot, or is a complete address.
func hasIPs(source tables.Value, wanted []tables.Value, prefix bool) tables.Value {
	toks := ipTokens(str(source))
	for _, w := range flatten(wanted) {
		if prefix && !strings.HasSuffix(w, ".") {
			if _, ok := parseDotted(w); !ok {
				continue
			}
		}
		for _, t := range toks {
			if t == w || prefix && strings.HasSuffix(w, ".") && strings.HasPrefix(t, w) {
				return tables.NewBool(true)
			}
		}
	}
	return tables.NewBool(false)
}
