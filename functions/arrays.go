package functions

import (
	"sort"

	"github.com/kql-offline/kql/tables"
)

// Array reshaping functions: element-wise choice, rotation, shifting and
// splitting of dynamic arrays, plus bag_zip, jaccard_index and treepath.
// A first argument that is not an array gives null, as in Kusto.

func init() {
	scalar("array_iff", params(req("condition_array", DynOnly), req("when_true", AnyType),
		req("when_false", AnyType)), Fixed(tables.Dynamic),
		"Element-wise iff over a condition array; array branches are read element by element.",
		arrayIff, "array_iif")
	scalar("array_rotate_left", params(req("array", DynOnly), req("rotate_count", Integer)),
		Fixed(tables.Dynamic), "Rotates an array's elements left (right for a negative count).",
		func(a []tables.Value) tables.Value { return arrayRotate(a, 1) })
	scalar("array_rotate_right", params(req("array", DynOnly), req("rotate_count", Integer)),
		Fixed(tables.Dynamic), "Rotates an array's elements right (left for a negative count).",
		func(a []tables.Value) tables.Value { return arrayRotate(a, -1) })
	scalar("array_shift_left", params(req("array", DynOnly), req("shift_count", Integer),
		opt("default_value", AnyType)), Fixed(tables.Dynamic),
		"Shifts an array's elements left, filling with default_value (null by default).",
		func(a []tables.Value) tables.Value { return arrayShift(a, 1) })
	scalar("array_shift_right", params(req("array", DynOnly), req("shift_count", Integer),
		opt("default_value", AnyType)), Fixed(tables.Dynamic),
		"Shifts an array's elements right, filling with default_value (null by default).",
		func(a []tables.Value) tables.Value { return arrayShift(a, -1) })
	scalar("array_split", params(req("array", DynOnly), req("indices", Integer|DynOnly)),
		Fixed(tables.Dynamic), "Splits an array into sub-arrays at the given index or indices.",
		arraySplit)
	scalar("bag_zip", params(req("keys", DynOnly), req("values", DynOnly)), Fixed(tables.Dynamic),
		"Pairs an array of keys with an array of values into a bag; non-string keys are skipped.",
		bagZip)
	scalar("jaccard_index", params(req("set1", DynOnly), req("set2", DynOnly)), Fixed(tables.Real),
		"Size of the intersection over size of the union of two arrays' distinct elements.",
		jaccardIndex)
	scalar("treepath", params(req("object", DynOnly)), Fixed(tables.Dynamic),
		"Every path ['key'] / [0] in a dynamic value; array elements share the path [0].",
		treePath)
}

// elementTruth reads one condition element: a bool as itself, a number as
// non-zero, and anything else as unknown.
func elementTruth(e tables.Value) (bool, bool) {
	switch e.DynKind() {
	case tables.DynBool:
		return e.Str() == "true", true
	case tables.DynLong, tables.DynReal:
		f, ok := e.AsFloat()
		return f != 0, ok
	}
	return false, false
}

// branchAt is element i of a branch that is an array, or the branch itself
// when it is a scalar.
func branchAt(branch tables.Value, el []tables.Value, i int) tables.Value {
	if !isArray(branch) {
		return branch
	}
	if i < len(el) {
		return el[i]
	}
	return tables.Null(tables.Dynamic)
}

func arrayIff(a []tables.Value) tables.Value {
	if !isArray(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	cond := elements(a[0])
	yes, no := elements(a[1]), elements(a[2])
	out := make([]tables.Value, len(cond))
	for i, c := range cond {
		t, ok := elementTruth(c)
		switch {
		case !ok:
			out[i] = tables.Null(tables.Dynamic)
		case t:
			out[i] = branchAt(a[1], yes, i)
		default:
			out[i] = branchAt(a[2], no, i)
		}
	}
	return arrayOf(out)
}

// arrayRotate rotates left by the count times dir (dir -1 rotates right).
func arrayRotate(a []tables.Value, dir int64) tables.Value {
	n, ok := toI(a[1])
	if !isArray(a[0]) || !ok {
		return tables.Null(tables.Dynamic)
	}
	el := elements(a[0])
	if len(el) == 0 {
		return emptyArray
	}
	k := ((n*dir)%int64(len(el)) + int64(len(el))) % int64(len(el))
	out := append(append([]tables.Value{}, el[k:]...), el[:k]...)
	return arrayOf(out)
}

// arrayShift shifts left by the count times dir, filling the vacated places.
func arrayShift(a []tables.Value, dir int64) tables.Value {
	n, ok := toI(a[1])
	if !isArray(a[0]) || !ok {
		return tables.Null(tables.Dynamic)
	}
	fill := tables.Null(tables.Dynamic)
	if len(a) > 2 {
		fill = a[2]
	}
	el := elements(a[0])
	shift := n * dir
	out := make([]tables.Value, len(el))
	for i := range out {
		src := int64(i) + shift
		if src >= 0 && src < int64(len(el)) {
			out[i] = el[src]
		} else {
			out[i] = fill
		}
	}
	return arrayOf(out)
}

func arraySplit(a []tables.Value) tables.Value {
	if !isArray(a[0]) || a[1].IsNull() {
		return tables.Null(tables.Dynamic)
	}
	el := elements(a[0])
	n := int64(len(el))
	var cuts []int64
	if a[1].Type() == tables.Dynamic && isArray(a[1]) {
		for _, e := range elements(a[1]) {
			i, ok := toI(e)
			if !ok {
				return tables.Null(tables.Dynamic)
			}
			cuts = append(cuts, i)
		}
	} else {
		i, ok := toI(a[1])
		if !ok {
			return tables.Null(tables.Dynamic)
		}
		cuts = []int64{i}
	}
	for i, c := range cuts {
		if c < 0 {
			c += n
		}
		cuts[i] = min(max(c, 0), n)
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i] < cuts[j] })
	var parts []tables.Value
	from := int64(0)
	for _, c := range append(cuts, n) {
		parts = append(parts, arrayOf(el[from:c]))
		from = c
	}
	return arrayOf(parts)
}

func bagZip(a []tables.Value) tables.Value {
	if !isArray(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	vals := elements(a[1])
	var b bag
	for i, k := range elements(a[0]) {
		key, ok := k.DynString()
		if !ok {
			continue
		}
		if i < len(vals) {
			b.set(key, vals[i])
		} else {
			b.set(key, tables.Null(tables.Dynamic))
		}
	}
	return b.value()
}

func jaccardIndex(a []tables.Value) tables.Value {
	if !isArray(a[0]) || !isArray(a[1]) {
		return tables.Null(tables.Real)
	}
	s1, s2 := map[string]bool{}, map[string]bool{}
	for _, e := range elements(a[0]) {
		s1[dynKey(e)] = true
	}
	for _, e := range elements(a[1]) {
		s2[dynKey(e)] = true
	}
	inter := 0
	for k := range s1 {
		if s2[k] {
			inter++
		}
	}
	union := len(s1) + len(s2) - inter
	if union == 0 {
		return tables.NewReal(0)
	}
	return tables.NewReal(float64(inter) / float64(union))
}

func treePath(a []tables.Value) tables.Value {
	if a[0].IsNull() {
		return tables.Null(tables.Dynamic)
	}
	var paths []string
	seen := map[string]bool{}
	var walk func(v tables.Value, path string)
	add := func(p string, child tables.Value) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
		walk(child, p)
	}
	walk = func(v tables.Value, path string) {
		switch {
		case isBag(v):
			v.Elements(func(k string, e tables.Value) bool {
				add(path+"['"+k+"']", e)
				return true
			})
		case isArray(v):
			v.Elements(func(_ string, e tables.Value) bool {
				add(path+"[0]", e)
				return true
			})
		}
	}
	walk(a[0], "")
	if paths == nil {
		return emptyArray
	}
	return stringArray(paths)
}
