package functions

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestIPv6Compare(t *testing.T) {
	eq := [][2]string{
		{"192.168.1.1/24", "192.168.1.255"},
		{"fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998"},
		{"192.168.1.1", "::ffff:c0a8:0101"},
		{"::192.168.1.1/30", "192.168.1.255/24"},
	}
	for _, p := range eq {
		assert.Equal(t, L(0), call(t, "ipv6_compare", S(p[0]), S(p[1])), p)
		assert.Equal(t, B(true), call(t, "ipv6_is_match", S(p[0]), S(p[1])), p)
	}
	assert.Equal(t, L(-1), call(t, "ipv6_compare", S("fe80::1"), S("fe80::2")))
	assert.Equal(t, L(1), call(t, "ipv6_compare", S("fe80::2"), S("fe80::1")))
	assert.Equal(t, L(0), call(t, "ipv6_compare", S("fe80::2"), S("fe80::3"), L(127)))
	assert.Equal(t, B(false), call(t, "ipv6_is_match", S("fe80::2"), S("fe80::3")))
	assert.Equal(t, N(tables.Long), call(t, "ipv6_compare", S("nope"), S("fe80::1")))
	assert.Equal(t, N(tables.Bool), call(t, "ipv6_is_match", S("fe80::1"), S("fe80::1"), L(129)))
}

func TestIPv6Ranges(t *testing.T) {
	ip := S("a5e:f127:8a9d:146d:e102:b5d3:c755:abcd")
	assert.Equal(t, B(true), call(t, "ipv6_is_in_range", ip, S("a5e:f127:8a9d:146d:e102:b5d3:c755:0000/112")))
	assert.Equal(t, B(false), call(t, "ipv6_is_in_range", ip, S("0:0:0:0:0:ffff:c0a8:ac/60")))
	assert.Equal(t, B(true), call(t, "ipv6_is_in_any_range", ip, D(`["::1/128","a5e:f127::/32"]`)))
	assert.Equal(t, B(false), call(t, "ipv6_is_in_any_range", ip, S("::1/128"), S("fe80::/10")))
	assert.Equal(t, N(tables.Bool), call(t, "ipv6_is_in_range", S("x"), S("::/0")))
}

func TestParseIPv6(t *testing.T) {
	assert.Equal(t, S("0000:0000:0000:0000:0000:ffff:c0a8:ff00"), call(t, "parse_ipv6", S("192.168.255.255/24")))
	assert.Equal(t, S("fe80:0000:0000:0000:085d:e82c:9446:7994"), call(t, "parse_ipv6", S("fe80::85d:e82c:9446:7994")))
	assert.Equal(t, S("fe80:0000:0000:0000:085d:e82c:9446:7900"), call(t, "parse_ipv6_mask", S("fe80::85d:e82c:9446:7994/120"), L(124)))
	assert.Equal(t, S("0000:0000:0000:0000:0000:ffff:c0a8:ff00"), call(t, "parse_ipv6_mask", S("::192.168.255.255/24"), L(128)))
	assert.Equal(t, N(tables.String), call(t, "parse_ipv6", S("1.2.3")))
	assert.Equal(t, N(tables.String), call(t, "parse_ipv6_mask", S("::1"), L(200)))
}

func TestFormatIPv4AndRanges(t *testing.T) {
	assert.Equal(t, S("192.168.1.0"), call(t, "format_ipv4", S("192.168.1.1"), L(24)))
	assert.Equal(t, S("192.168.1.0/24"), call(t, "format_ipv4_mask", S("192.168.1.1/24"), L(32)))
	assert.Equal(t, S("192.168.1.1/32"), call(t, "format_ipv4_mask", S("192.168.1.1")))
	assert.Equal(t, S("10.0.0.1"), call(t, "format_ipv4", L(167772161)))
	assert.Equal(t, S(""), call(t, "format_ipv4", S("192.168.1.1"), L(-1)))
	assert.Equal(t, S(""), call(t, "format_ipv4", S("300.1.1.1")))
	assert.Equal(t, L(3232235776), call(t, "parse_ipv4_mask", S("192.168.1.9"), L(24)))
	assert.Equal(t, N(tables.Long), call(t, "parse_ipv4_mask", S("192.168.1.9"), L(33)))

	assertJSON(t, `["1.1.128.0/21","1.1.136.0/22","1.1.140.0/24"]`,
		call(t, "ipv4_range_to_cidr_list", S("1.1.128.0"), S("1.1.140.255")))
	assertJSON(t, `["0.0.0.0/0"]`, call(t, "ipv4_range_to_cidr_list", S("0.0.0.0"), S("255.255.255.255")))
	assertJSON(t, `["10.0.0.5/32"]`, call(t, "ipv4_range_to_cidr_list", S("10.0.0.5"), S("10.0.0.5")))
	assertJSON(t, "null", call(t, "ipv4_range_to_cidr_list", S("10.0.0.6"), S("10.0.0.5")))
}
