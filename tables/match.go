package tables

import (
	"encoding/json"
	"math"
	"strings"
)

// MatchJSON reports whether v equals an expected value written as decoded
// JSON (nil, bool, float64 or json.Number, string, []any, map[string]any), the
// way test expectations and documented results are written:
//   - reals match within a relative tolerance of 1e-9 (and NaN matches NaN);
//   - datetimes and timespans match as instants and durations whatever the
//     expected text's form ("2025-01-01" matches 2025-01-01T00:00:00Z);
//   - guids match case-insensitively;
//   - dynamic values match by content: bags regardless of key order;
//   - null matches null, and also the empty string, which is how a string
//     column shows an absent value.
func MatchJSON(v Value, want any) bool {
	return MatchJSONWithin(v, want, 1e-9)
}

// MatchJSONWithin is MatchJSON with a given relative tolerance for reals,
// for expectations whose numbers were rounded when written down. Reals may
// also be expected as the strings "NaN", "Infinity" and "-Infinity".
func MatchJSONWithin(v Value, want any, tol float64) bool {
	if want == nil {
		return v.IsNull() || (v.t == String && v.s == "")
	}
	if v.IsNull() {
		return false
	}
	switch v.t {
	case Dynamic:
		var got any
		if err := decodeJSON(v.s, &got); err != nil {
			return false
		}
		return jsonEqual(got, want)
	case DateTime:
		s, ok := want.(string)
		if !ok {
			return false
		}
		ticks, ok := ParseDateTime(s)
		return ok && ticks == v.i
	case Timespan:
		s, ok := want.(string)
		if !ok {
			return false
		}
		ticks, ok := ParseTimespan(s)
		return ok && ticks == v.i
	case GUID:
		s, ok := want.(string)
		return ok && strings.EqualFold(s, v.s)
	case String:
		s, ok := want.(string)
		return ok && s == v.s
	case Bool:
		b, ok := want.(bool)
		return ok && b == v.Bool()
	}
	f, ok := number(want)
	if !ok {
		f, ok = specialFloat(want)
	}
	if !ok {
		return false
	}
	g, _ := v.AsFloat()
	return floatsWithin(g, f, tol)
}

// specialFloat reads the strings that stand for the reals JSON lacks.
func specialFloat(x any) (float64, bool) {
	switch x {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(1), true
	case "-Infinity":
		return math.Inf(-1), true
	}
	return 0, false
}

func decodeJSON(s string, out *any) error {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	return d.Decode(out)
}

func number(x any) (float64, bool) {
	switch n := x.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func floatsClose(a, b float64) bool { return floatsWithin(a, b, 1e-9) }

func floatsWithin(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if a == b {
		return true
	}
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

// jsonEqual compares decoded JSON values by content.
func jsonEqual(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := number(b)
		return ok && floatsClose(fa, fb)
	}
	switch a := a.(type) {
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !jsonEqual(a[i], bl[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, av := range a {
			bv, ok := bm[k]
			if !ok || !jsonEqual(av, bv) {
				return false
			}
		}
		return true
	}
	return a == b
}
