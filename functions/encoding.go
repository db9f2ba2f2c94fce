package functions

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/kql-offline/kql/tables"
)

func init() {
	scalar("base64_encode_tostring", params(req("string", AnyType)), Fixed(tables.String),
		"Base64 of the string's UTF-8 bytes.",
		func(a []tables.Value) tables.Value {
			return tables.NewString(base64.StdEncoding.EncodeToString([]byte(str(a[0]))))
		}, "base64_encodestring")
	scalar("base64_decode_tostring", params(req("base64_string", AnyType)), Fixed(tables.String),
		"Decodes base64 to a UTF-8 string; \"\" when the bytes are not valid UTF-8.",
		func(a []tables.Value) tables.Value {
			b, ok := decodeBase64(str(a[0]))
			if !ok || !utf8.Valid(b) {
				return tables.NewString("")
			}
			return tables.NewString(string(b))
		}, "base64_decodestring")
	scalar("base64_decode_toarray", params(req("base64_string", AnyType)), Fixed(tables.Dynamic),
		"Decodes base64 to a dynamic array of byte values.",
		func(a []tables.Value) tables.Value {
			b, ok := decodeBase64(str(a[0]))
			if !ok {
				return tables.Null(tables.Dynamic)
			}
			vals := make([]tables.Value, len(b))
			for i, c := range b {
				vals[i] = tables.NewLong(int64(c))
			}
			return arrayOf(vals)
		})
	scalar("url_encode", params(req("url", AnyType)), Fixed(tables.String),
		"Percent-encodes a URL; a space becomes '+'.",
		func(a []tables.Value) tables.Value { return tables.NewString(urlEncode(str(a[0]), "+")) })
	scalar("url_encode_component", params(req("url", AnyType)), Fixed(tables.String),
		"Percent-encodes a URL component; a space becomes %20.",
		func(a []tables.Value) tables.Value { return tables.NewString(urlEncode(str(a[0]), "%20")) })
	scalar("url_decode", params(req("encoded_url", AnyType)), Fixed(tables.String),
		"Decodes %xx escapes and '+' in a URL.",
		func(a []tables.Value) tables.Value { return tables.NewString(urlDecode(str(a[0]))) })
	scalar("parse_url", params(req("url", AnyType)), Fixed(tables.Dynamic),
		"Splits a URL into a bag: Scheme, Host, Port, Path, Username, Password, Query Parameters, Fragment.",
		parseURL)
	scalar("parse_urlquery", params(req("query", AnyType)), Fixed(tables.Dynamic),
		"Parses a query string into {\"Query Parameters\": {...}}.",
		func(a []tables.Value) tables.Value {
			var b bag
			b.set("Query Parameters", queryBag(strings.TrimPrefix(str(a[0]), "?")))
			return b.value()
		})
}

// decodeBase64 accepts standard base64 with its padding, as .NET's decoder
// does: the documented base64_decode_toarray of an unpadded text is empty.
func decodeBase64(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	return b, err == nil
}

// urlEncode escapes everything except letters, digits and -_.!*() with
// lower-case hex, as the documented examples show.
func urlEncode(s, space string) string {
	const hexd = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("-_.!*()", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteString(space)
		default:
			b.WriteByte('%')
			b.WriteByte(hexd[c>>4])
			b.WriteByte(hexd[c&15])
		}
	}
	return b.String()
}

// urlDecode decodes leniently: a malformed escape is kept as it is.
func urlDecode(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// parseURL splits scheme://user:password@host:port/path?query#fragment
// by hand rather than with net/url, which rejects URLs that Kusto still
// splits (spaces, odd characters in the host). Text without "://" gives
// null. Path follows the documented example, which shows it without its
// leading slash ("this/is/a/path").
func parseURL(a []tables.Value) tables.Value {
	s := strings.TrimSpace(str(a[0]))
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || scheme == "" {
		return tables.Null(tables.Dynamic)
	}
	rest, fragment, _ := strings.Cut(rest, "#")
	rest, query, _ := strings.Cut(rest, "?")
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i+1:]
	}
	var user, password string
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		user, password, _ = strings.Cut(authority[:i], ":")
		authority = authority[i+1:]
	}
	host, port := splitHostPort(authority)
	var b bag
	b.set("Scheme", tables.NewString(scheme))
	b.set("Host", tables.NewString(host))
	b.set("Port", tables.NewString(port))
	b.set("Path", tables.NewString(path))
	b.set("Username", tables.NewString(user))
	b.set("Password", tables.NewString(password))
	b.set("Query Parameters", queryBag(query))
	b.set("Fragment", tables.NewString(fragment))
	return b.value()
}

// splitHostPort separates a trailing :port (digits only); a bracketed IPv6
// host keeps its colons.
func splitHostPort(s string) (string, string) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || strings.LastIndexByte(s, ']') > i {
		return s, ""
	}
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' {
			return s, ""
		}
	}
	return s[:i], s[i+1:]
}

// queryBag turns k1=v1&k2=v2 into a bag, keeping the order of the keys.
func queryBag(q string) tables.Value {
	var b bag
	for _, pair := range strings.Split(q, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		b.set(urlDecode(k), tables.NewString(urlDecode(v)))
	}
	return b.value()
}
