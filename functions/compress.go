package functions

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"hash/adler32"
	"hash/crc32"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/kql-offline/kql/tables"
)

// Base64 conversions of guids and byte arrays, and gzip/zlib compression to
// and from base64 text.

// maxDecompressed caps what a decompression may produce, so a hostile
// input cannot exhaust memory.
const maxDecompressed = 64 << 20

func init() {
	scalar("base64_encode_fromarray", params(req("base64_string_decoded_as_a_byte_array", DynOnly)),
		Fixed(tables.String), "Base64 of an array of byte values; \"\" when an element is not a byte.",
		func(a []tables.Value) tables.Value {
			b, ok := bytesOf(a[0])
			if !ok {
				return tables.NewString("")
			}
			return tables.NewString(base64.StdEncoding.EncodeToString(b))
		})
	scalar("base64_decode_toguid", params(req("base64_string", AnyType)), Fixed(tables.GUID),
		"The guid whose 16 bytes (in .NET order) the base64 text holds; null otherwise.",
		func(a []tables.Value) tables.Value {
			b, ok := decodeBase64(str(a[0]))
			if !ok || len(b) != 16 {
				return tables.Null(tables.GUID)
			}
			return tables.NewGUID(guidFromBytes(b))
		})
	scalar("base64_encode_fromguid", params(req("guid", Of(tables.GUID))), Fixed(tables.String),
		"Base64 of a guid's 16 bytes in .NET order.",
		func(a []tables.Value) tables.Value {
			b, ok := guidBytes(a[0].Str())
			if a[0].IsNull() || !ok {
				return tables.NewString("")
			}
			return tables.NewString(base64.StdEncoding.EncodeToString(b))
		})
	scalar("gzip_compress_to_base64_string", params(req("string", AnyType)), Fixed(tables.String),
		"Gzip-compresses the string's UTF-8 bytes and encodes them as base64.",
		func(a []tables.Value) tables.Value { return tables.NewString(gzipBase64(str(a[0]))) })
	scalar("gzip_decompress_from_base64_string", params(req("string", AnyType)), Fixed(tables.String),
		"Decodes base64 and gunzips it to a UTF-8 string; \"\" when the input is not valid.",
		func(a []tables.Value) tables.Value {
			return tables.NewString(decompressBase64(str(a[0]), func(r io.Reader) (io.Reader, error) {
				return gzip.NewReader(r)
			}))
		})
	scalar("zlib_compress_to_base64_string", params(req("string", AnyType)), Fixed(tables.String),
		"Zlib-compresses the string's UTF-8 bytes and encodes them as base64.",
		func(a []tables.Value) tables.Value { return tables.NewString(zlibBase64(str(a[0]))) },
		"zlib_base64_compress")
	scalar("zlib_decompress_from_base64_string", params(req("string", AnyType)), Fixed(tables.String),
		"Decodes base64 and inflates zlib data to a UTF-8 string; \"\" when the input is not valid.",
		func(a []tables.Value) tables.Value {
			return tables.NewString(decompressBase64(str(a[0]), func(r io.Reader) (io.Reader, error) {
				return zlib.NewReader(r)
			}))
		}, "zlib_base64_decompress")
}

// bytesOf reads a dynamic array of numbers 0..255.
func bytesOf(v tables.Value) ([]byte, bool) {
	if !isArray(v) {
		return nil, false
	}
	var out []byte
	for _, e := range elements(v) {
		n, ok := toI(e)
		if !ok || n < 0 || n > 255 {
			return nil, false
		}
		out = append(out, byte(n))
	}
	return out, true
}

// guidFromBytes formats 16 bytes as .NET does: the first three groups are
// little-endian.
func guidFromBytes(b []byte) string {
	var o [16]byte
	o[0], o[1], o[2], o[3] = b[3], b[2], b[1], b[0]
	o[4], o[5] = b[5], b[4]
	o[6], o[7] = b[7], b[6]
	copy(o[8:], b[8:])
	h := hex.EncodeToString(o[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// guidBytes is the inverse of guidFromBytes.
func guidBytes(canonical string) ([]byte, bool) {
	raw, err := hex.DecodeString(strings.ReplaceAll(canonical, "-", ""))
	if err != nil || len(raw) != 16 {
		return nil, false
	}
	b := make([]byte, 16)
	b[0], b[1], b[2], b[3] = raw[3], raw[2], raw[1], raw[0]
	b[4], b[5] = raw[5], raw[4]
	b[6], b[7] = raw[7], raw[6]
	copy(b[8:], raw[8:])
	return b, true
}

// deflateKusto compresses data at the fastest level, but stores it
// uncompressed (one final stored block) when compressing saves nothing:
// the documented outputs of both compress functions are stored blocks
// for short text.
func deflateKusto(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	_, _ = w.Write(data)
	_ = w.Close()
	if buf.Len() < len(data) {
		return buf.Bytes()
	}
	var out []byte
	for len(data) > 0 || out == nil {
		n := min(len(data), 0xffff)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		out = append(out, final, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		out = append(out, data[:n]...)
		data = data[n:]
	}
	return out
}

// gzipBase64 writes a gzip member with no name and no time, OS "unknown",
// which is the header of the documented output.
func gzipBase64(s string) string {
	data := []byte(s)
	out := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}
	out = append(out, deflateKusto(data)...)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(data))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(data)))
	return base64.StdEncoding.EncodeToString(out)
}

// zlibBase64 writes a zlib stream with the fastest-level header (78 01).
func zlibBase64(s string) string {
	data := []byte(s)
	out := []byte{0x78, 0x01}
	out = append(out, deflateKusto(data)...)
	out = binary.BigEndian.AppendUint32(out, adler32.Checksum(data))
	return base64.StdEncoding.EncodeToString(out)
}

// decompressBase64 decodes and inflates; any failure, or a result that is
// not UTF-8, gives "".
func decompressBase64(s string, open func(io.Reader) (io.Reader, error)) string {
	raw, ok := decodeBase64(s)
	if !ok {
		return ""
	}
	r, err := open(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	out, err := io.ReadAll(io.LimitReader(r, maxDecompressed+1))
	if err != nil || len(out) > maxDecompressed || !utf8.Valid(out) {
		return ""
	}
	return string(out)
}
