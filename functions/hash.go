package functions

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math"
	"math/bits"

	"github.com/kql-offline/kql/tables"
)

// The cryptographic hashes read the value's string form (tostring), which
// is what the documented examples give for datetimes:
// hash_md5(datetime(2020-01-01)) is the MD5 of "2020-01-01T00:00:00.0000000Z".

func init() {
	Register(&Func{
		Name: "hash", Aliases: []string{"hash_xxhash64"}, Kind: Scalar,
		Params: params(req("source", AnyType), opt("mod", Integer)),
		Result: Fixed(tables.Long), Compile: fixed(hashImpl),
		Doc: "xxHash64 of the value, optionally modulo mod.",
	})
	cryptoHash("hash_md5", "MD5 of the value's string form, as hex.", md5.New)
	cryptoHash("hash_sha1", "SHA-1 of the value's string form, as hex.", sha1.New)
	cryptoHash("hash_sha256", "SHA-256 of the value's string form, as hex.", sha256.New)
}

func hashImpl(a []tables.Value) tables.Value {
	if a[0].IsNull() && a[0].Type() != tables.String {
		return tables.Null(tables.Long)
	}
	h := int64(xxh64(hashBytes(a[0]), 0))
	if len(a) > 1 && !a[1].IsNull() {
		m, _ := toI(a[1])
		if m <= 0 {
			return tables.Null(tables.Long)
		}
		r := h % m
		if r < 0 {
			r += m
		}
		return tables.NewLong(r)
	}
	return tables.NewLong(h)
}

// hashBytes is what hash() reads: text as UTF-8, and numbers, datetimes
// and timespans as their 8 little-endian bytes (a datetime as .NET ticks),
// which reproduces the documented hash(datetime("2015-01-01")). The
// encodings of int, real and bool are assumptions.
func hashBytes(v tables.Value) []byte {
	var b [8]byte
	switch v.Type() {
	case tables.Long, tables.Timespan:
		binary.LittleEndian.PutUint64(b[:], uint64(v.Int64()))
	case tables.DateTime:
		binary.LittleEndian.PutUint64(b[:], uint64(v.Int64()+epochTicks))
	case tables.Int:
		binary.LittleEndian.PutUint32(b[:], uint32(v.Int64()))
		return b[:4]
	case tables.Real, tables.Decimal:
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v.Float()))
	case tables.Bool:
		return []byte{byte(v.Int64())}
	default:
		return []byte(v.String())
	}
	return b[:]
}

// hashText is the text the cryptographic hash functions read.
func hashText(v tables.Value) string { return v.String() }

func cryptoHash(name, doc string, newHash func() hash.Hash) {
	scalar(name, params(req("source", AnyType)), Fixed(tables.String), doc,
		func(a []tables.Value) tables.Value {
			h := newHash()
			h.Write([]byte(hashText(a[0])))
			return tables.NewString(hex.EncodeToString(h.Sum(nil)))
		})
}

// xxHash64, from the published algorithm (github.com/Cyan4973/xxHash,
// doc/xxhash_spec.md); small enough to keep here rather than add a module.
const (
	xxP1 uint64 = 11400714785074694791
	xxP2 uint64 = 14029467366897019727
	xxP3 uint64 = 1609587929392839161
	xxP4 uint64 = 9650029242287828579
	xxP5 uint64 = 2870177450012600261
)

func xxRound(acc, lane uint64) uint64 {
	acc += lane * xxP2
	acc = bits.RotateLeft64(acc, 31)
	return acc * xxP1
}

func xxMerge(acc, v uint64) uint64 {
	acc ^= xxRound(0, v)
	return acc*xxP1 + xxP4
}

func xxh64(b []byte, seed uint64) uint64 {
	n := len(b)
	var h uint64
	if n >= 32 {
		v1, v2, v3, v4 := seed+xxP1+xxP2, seed+xxP2, seed, seed-xxP1
		for len(b) >= 32 {
			v1 = xxRound(v1, binary.LittleEndian.Uint64(b[0:]))
			v2 = xxRound(v2, binary.LittleEndian.Uint64(b[8:]))
			v3 = xxRound(v3, binary.LittleEndian.Uint64(b[16:]))
			v4 = xxRound(v4, binary.LittleEndian.Uint64(b[24:]))
			b = b[32:]
		}
		h = bits.RotateLeft64(v1, 1) + bits.RotateLeft64(v2, 7) +
			bits.RotateLeft64(v3, 12) + bits.RotateLeft64(v4, 18)
		h = xxMerge(h, v1)
		h = xxMerge(h, v2)
		h = xxMerge(h, v3)
		h = xxMerge(h, v4)
	} else {
		h = seed + xxP5
	}
	h += uint64(n)
	for ; len(b) >= 8; b = b[8:] {
		h ^= xxRound(0, binary.LittleEndian.Uint64(b))
		h = bits.RotateLeft64(h, 27)*xxP1 + xxP4
	}
	if len(b) >= 4 {
		h ^= uint64(binary.LittleEndian.Uint32(b)) * xxP1
		h = bits.RotateLeft64(h, 23)*xxP2 + xxP3
		b = b[4:]
	}
	for _, c := range b {
		h ^= uint64(c) * xxP5
		h = bits.RotateLeft64(h, 11) * xxP1
	}
	h ^= h >> 33
	h *= xxP2
	h ^= h >> 29
	h *= xxP3
	h ^= h >> 32
	return h
}
