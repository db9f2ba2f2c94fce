package functions

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/tables"
)

func TestGuidBase64(t *testing.T) {
	g := tables.NewGUID("ae3133f2-6e22-49ae-b06a-16e6a9b212eb")
	assert.Equal(t, S("8jMxriJurkmwahbmqbIS6w=="), call(t, "base64_encode_fromguid", g))
	assert.Equal(t, g, call(t, "base64_decode_toguid", S("8jMxriJurkmwahbmqbIS6w==")), "round trip")
	assert.Equal(t, N(tables.GUID), call(t, "base64_decode_toguid", S("S3VzdG8=")), "not 16 bytes")
	assert.Equal(t, S(""), call(t, "base64_encode_fromguid", N(tables.GUID)))

	assert.Equal(t, S("S3VzdG8="), call(t, "base64_encode_fromarray", D("[75,117,115,116,111]")))
	assert.Equal(t, S(""), call(t, "base64_encode_fromarray", D("[]")))
	assert.Equal(t, S(""), call(t, "base64_encode_fromarray", D("[256]")))
	assert.Equal(t, S(""), call(t, "base64_encode_fromarray", N(tables.Dynamic)))
}

func TestCompressBase64(t *testing.T) {
	in := S("1234567890qwertyuiop")
	assert.Equal(t, S("H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA=="),
		call(t, "gzip_compress_to_base64_string", in))
	assert.Equal(t, S("eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw=="),
		call(t, "zlib_compress_to_base64_string", in))
	assert.Equal(t, S("Test string 123"),
		call(t, "zlib_decompress_from_base64_string", S("eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=")))
	assert.Equal(t, S(""), call(t, "gzip_decompress_from_base64_string", S("x0x0x0")))
	assert.Equal(t, S(""), call(t, "zlib_decompress_from_base64_string", S("")))

	// Compressible text is compressed, and both forms round-trip.
	long := strings.Repeat("abcdefgh", 500)
	for _, pair := range [][2]string{
		{"gzip_compress_to_base64_string", "gzip_decompress_from_base64_string"},
		{"zlib_compress_to_base64_string", "zlib_decompress_from_base64_string"},
	} {
		packed := call(t, pair[0], S(long))
		assert.Less(t, len(packed.Str()), len(long)/10, pair[0])
		assert.Equal(t, S(long), call(t, pair[1], packed), pair[1])
		assert.Equal(t, S(""), call(t, pair[1], call(t, pair[0], S(""))), "empty round trip")
	}
	big := strings.Repeat("x", 70000) // more than one stored block when not compressed
	assert.Equal(t, S(big), call(t, "gzip_decompress_from_base64_string", S(gzipBase64(big))))
	assert.Len(t, deflateKusto([]byte(strings.Repeat("\x00\x01", 0))), 5, "empty input is one empty final block")
}
