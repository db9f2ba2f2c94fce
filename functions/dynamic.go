package functions

import (
	"fmt"
	"sort"

	"github.com/kql-offline/kql/tables"
)

// maxRange is how many elements range() produces at most, as in Kusto.
const maxRange = 1 << 20

func init() {
	scalar("array_length", params(req("array", DynOnly)), Fixed(tables.Long),
		"Number of elements of a dynamic array; null for anything else.",
		func(a []tables.Value) tables.Value {
			if !isArray(a[0]) {
				return tables.Null(tables.Long)
			}
			return tables.NewLong(int64(a[0].Len()))
		})
	scalar("pack_array", params(many("value", AnyType)), Fixed(tables.Dynamic),
		"Packs its arguments into a dynamic array.",
		func(a []tables.Value) tables.Value { return arrayOf(a) }, "make_array")
	Register(&Func{
		Name: "bag_pack", Aliases: []string{"pack", "pack_dictionary"}, Kind: Scalar,
		Params: params(req("key", AnyType), req("value", AnyType), optMany("more", AnyType)),
		Result: Fixed(tables.Dynamic), Compile: compileBagPack,
		Doc: "Builds a property bag from alternating keys and values.",
	})
	scalar("bag_keys", params(req("bag", DynOnly)), Fixed(tables.Dynamic),
		"The keys of a property bag as a dynamic array; null for a non-bag.", bagKeys)
	scalar("bag_merge", params(req("bag", DynOnly), many("more", DynOnly)), Fixed(tables.Dynamic),
		"Merges property bags; on a duplicate key the earlier bag wins.", bagMerge)
	scalar("bag_has_key", params(req("bag", DynOnly), req("key", AnyType)), Fixed(tables.Bool),
		"True when the bag has the key (or the '$.a.b' path).", bagHasKey)
	scalar("bag_remove_keys", params(req("bag", DynOnly), req("keys", DynOnly)), Fixed(tables.Dynamic),
		"Removes top-level keys from a property bag.", bagRemoveKeys)
	scalar("bag_set_key", params(req("bag", DynOnly), req("key", AnyType), req("value", AnyType)),
		Fixed(tables.Dynamic), "Sets a top-level key of a property bag.", bagSetKey)
	scalar("array_concat", params(many("array", DynOnly)), Fixed(tables.Dynamic),
		"Concatenates dynamic arrays; null if any argument is not an array.", arrayConcat)
	scalar("array_slice", params(req("array", DynOnly), req("start", Integer), req("end", Integer)),
		Fixed(tables.Dynamic), "Elements start..end (inclusive; negatives count from the end).",
		arraySlice)
	scalar("array_reverse", params(req("array", DynOnly)), Fixed(tables.Dynamic),
		"Reverses a dynamic array.", arrayReverse)
	scalar("array_sum", params(req("array", DynOnly)), Fixed(tables.Real),
		"Sum of the numeric elements of an array.", arraySum)
	scalar("array_index_of", params(req("array", DynOnly), req("lookup", AnyType),
		opt("start", Integer), opt("length", Integer), opt("occurrence", Integer)),
		Fixed(tables.Long), "Index of the n-th element equal to lookup, or -1.", arrayIndexOf)
	scalar("array_sort_asc", params(req("array", DynOnly), optMany("more", AnyType)),
		Fixed(tables.Dynamic), "Sorts an array ascending; nulls last unless false is passed.",
		arraySort(1))
	scalar("array_sort_desc", params(req("array", DynOnly), optMany("more", AnyType)),
		Fixed(tables.Dynamic), "Sorts an array descending; nulls last unless false is passed.",
		arraySort(-1))
	scalar("set_has_element", params(req("set", DynOnly), req("value", AnyType)), Fixed(tables.Bool),
		"True when the array holds the value.",
		func(a []tables.Value) tables.Value {
			if !isArray(a[0]) {
				return tables.Null(tables.Bool)
			}
			return tables.NewBool(indexOfValue(elements(a[0]), a[1], 0, 1) >= 0)
		})
	scalar("set_union", params(req("set1", DynOnly), many("sets", DynOnly)), Fixed(tables.Dynamic),
		"The distinct elements of all the arrays.", setOp(unionOp))
	scalar("set_intersect", params(req("set1", DynOnly), many("sets", DynOnly)), Fixed(tables.Dynamic),
		"The distinct elements present in every array.", setOp(intersectOp))
	scalar("set_difference", params(req("set1", DynOnly), many("sets", DynOnly)), Fixed(tables.Dynamic),
		"The distinct elements of the first array that are in none of the others.",
		setOp(differenceOp))
	scalar("zip", params(req("array1", DynOnly), many("arrays", DynOnly)), Fixed(tables.Dynamic),
		"Pairs up the elements of arrays; shorter arrays are padded with null.", zip)
	scalar("range", params(req("start", NumOrTime), req("stop", NumOrTime), opt("step", NumOrSpan)),
		Fixed(tables.Dynamic), "A dynamic array from start to stop by step (at most 1,048,576).",
		rangeArray)
}

func compileBagPack(c *Call) (Impl, error) {
	if len(c.Types)%2 != 0 {
		return nil, fmt.Errorf("bag_pack() needs an even number of arguments (key, value pairs)")
	}
	return func(a []tables.Value) tables.Value {
		var b bag
		for i := 0; i+1 < len(a); i += 2 {
			b.set(str(a[i]), a[i+1])
		}
		return b.value()
	}, nil
}

func bagKeys(a []tables.Value) tables.Value {
	if !isBag(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	var keys []string
	a[0].Elements(func(k string, _ tables.Value) bool {
		keys = append(keys, k)
		return true
	})
	return stringArray(keys)
}

func bagMerge(a []tables.Value) tables.Value {
	var b bag
	for _, v := range a {
		b.merge(v)
	}
	return b.value()
}

func bagHasKey(a []tables.Value) tables.Value {
	if !isBag(a[0]) {
		return tables.Null(tables.Bool)
	}
	v := a[0]
	for _, k := range keyPath(str(a[1])) {
		v = v.Member(k)
	}
	return tables.NewBool(!v.IsNull())
}

// keyPath splits a '$.a.b' path into its keys; a plain key is one step.
func keyPath(k string) []string {
	if len(k) < 2 || k[:2] != "$." {
		return []string{k}
	}
	var out []string
	start := 2
	for i := 2; i <= len(k); i++ {
		if i == len(k) || k[i] == '.' {
			out = append(out, k[start:i])
			start = i + 1
		}
	}
	return out
}

// bagRemoveKeys removes top-level keys, and nested ones named by a
// '$.a.b' path.
func bagRemoveKeys(a []tables.Value) tables.Value {
	if !isBag(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	out := a[0]
	a[1].Elements(func(_ string, e tables.Value) bool {
		out = removePath(out, keyPath(e.String()))
		return true
	})
	return out
}

// removePath returns bag without the property at path; a path that does
// not lead to a property leaves the bag as it is.
func removePath(bagV tables.Value, path []string) tables.Value {
	var b bag
	bagV.Elements(func(k string, e tables.Value) bool {
		switch {
		case k != path[0]:
			b.set(k, e)
		case len(path) > 1 && isBag(e):
			b.set(k, removePath(e, path[1:]))
		case len(path) > 1:
			b.set(k, e)
		}
		return true
	})
	return b.value()
}

// bagSetKey sets a top-level key, or a nested one named by a '$.a.b'
// path, creating the bags on the way (a non-bag value on the way is
// replaced by a bag).
func bagSetKey(a []tables.Value) tables.Value {
	if !isBag(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	return setPath(a[0], keyPath(str(a[1])), a[2])
}

func setPath(bagV tables.Value, path []string, v tables.Value) tables.Value {
	var b bag
	b.merge(bagV)
	if len(path) > 1 {
		child := bagV.Member(path[0])
		if !isBag(child) {
			child = tables.NewDynamic("{}")
		}
		v = setPath(child, path[1:], v)
	}
	b.put(path[0], v)
	return b.value()
}

func arrayConcat(a []tables.Value) tables.Value {
	var all []tables.Value
	for _, v := range a {
		if !isArray(v) {
			return tables.Null(tables.Dynamic)
		}
		all = append(all, elements(v)...)
	}
	return arrayOf(all)
}

func arraySlice(a []tables.Value) tables.Value {
	if !isArray(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	el := elements(a[0])
	n := int64(len(el))
	start, ok1 := toI(a[1])
	end, ok2 := toI(a[2])
	if !ok1 || !ok2 {
		return tables.Null(tables.Dynamic)
	}
	if start < 0 {
		start = max(n+start, 0)
	}
	if end < 0 {
		end += n
	}
	end = min(end, n-1)
	if start > end {
		return emptyArray
	}
	return arrayOf(el[start : end+1])
}

func arrayReverse(a []tables.Value) tables.Value {
	if !isArray(a[0]) {
		return tables.Null(tables.Dynamic)
	}
	el := elements(a[0])
	for i, j := 0, len(el)-1; i < j; i, j = i+1, j-1 {
		el[i], el[j] = el[j], el[i]
	}
	return arrayOf(el)
}

func arraySum(a []tables.Value) tables.Value {
	if !isArray(a[0]) {
		return tables.Null(tables.Real)
	}
	sum := 0.0
	ok := true
	a[0].Elements(func(_ string, e tables.Value) bool {
		f, good := e.AsFloat()
		if !good {
			ok = false
			return false
		}
		sum += f
		return true
	})
	if !ok {
		return tables.Null(tables.Real)
	}
	return tables.NewReal(sum)
}

// indexOfValue finds the occurrence-th element equal to v from index from.
func indexOfValue(el []tables.Value, v tables.Value, from, occurrence int) int {
	key := dynKey(asDynamic(v))
	for i := from; i < len(el); i++ {
		if dynKey(el[i]) == key {
			occurrence--
			if occurrence == 0 {
				return i
			}
		}
	}
	return -1
}

// arrayIndexOf searches elements start..start+length-1 (array_index_of's
// range excludes its end, unlike indexof's; both follow the docs' examples).
func arrayIndexOf(a []tables.Value) tables.Value {
	if !isArray(a[0]) {
		return tables.Null(tables.Long)
	}
	el := elements(a[0])
	n := int64(len(el))
	var start, length, occ int64 = 0, -1, 1
	if len(a) > 2 && !a[2].IsNull() {
		start, _ = toI(a[2])
	}
	if len(a) > 3 && !a[3].IsNull() {
		length, _ = toI(a[3])
	}
	if len(a) > 4 && !a[4].IsNull() {
		occ, _ = toI(a[4])
	}
	if length < -1 || occ <= 0 {
		return tables.Null(tables.Long)
	}
	if start < 0 {
		start = max(n+start, 0)
	}
	if start >= n {
		return tables.NewLong(-1)
	}
	end := n
	if length >= 0 {
		end = min(start+length, n)
	}
	return tables.NewLong(int64(indexOfValue(el[:end], a[1], int(start), int(occ))))
}

// arraySort sorts one array, or (array_sort_asc(a1, a2, ...)) sorts a1 and
// reorders the other arrays the same way, returning an array of the
// sorted arrays. A final bool argument says whether nulls go last.
func arraySort(dir int) Impl {
	return func(a []tables.Value) tables.Value {
		nullsLast := true
		arrays := a
		if last := a[len(a)-1]; len(a) > 1 && last.Type() == tables.Bool {
			nullsLast = last.IsNull() || last.Bool()
			arrays = a[:len(a)-1]
		}
		for _, v := range arrays {
			if !isArray(v) {
				return tables.Null(tables.Dynamic)
			}
		}
		keys := elements(arrays[0])
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(x, y int) bool {
			kx, ky := keys[order[x]], keys[order[y]]
			nx, ny := kx.IsNull(), ky.IsNull()
			switch {
			case nx && ny:
				return false
			case nx || ny:
				return ny == nullsLast
			}
			return compareDyn(kx, ky)*dir < 0
		})
		if len(arrays) == 1 {
			return arrayOf(permute(keys, order))
		}
		sorted := make([]tables.Value, len(arrays))
		for i, arr := range arrays {
			sorted[i] = arrayOf(permute(elements(arr), order))
		}
		return arrayOf(sorted)
	}
}

// permute returns el reordered by order; positions past el's end are null.
func permute(el []tables.Value, order []int) []tables.Value {
	out := make([]tables.Value, len(order))
	for i, j := range order {
		if j < len(el) {
			out[i] = el[j]
		} else {
			out[i] = tables.Null(tables.Dynamic)
		}
	}
	return out
}

type setKind int

const (
	unionOp setKind = iota
	intersectOp
	differenceOp
)

func setOp(kind setKind) Impl {
	return func(a []tables.Value) tables.Value {
		for _, v := range a {
			if !isArray(v) {
				return tables.Null(tables.Dynamic)
			}
		}
		var out []tables.Value
		seen := map[string]bool{}
		add := func(e tables.Value) {
			if k := dynKey(e); !seen[k] {
				seen[k] = true
				out = append(out, e)
			}
		}
		if kind == unionOp {
			for _, v := range a {
				v.Elements(func(_ string, e tables.Value) bool { add(e); return true })
			}
			return arrayOf(out)
		}
		others := make([]map[string]bool, len(a)-1)
		for i, v := range a[1:] {
			others[i] = map[string]bool{}
			v.Elements(func(_ string, e tables.Value) bool { others[i][dynKey(e)] = true; return true })
		}
		a[0].Elements(func(_ string, e tables.Value) bool {
			k := dynKey(e)
			in := 0
			for _, o := range others {
				if o[k] {
					in++
				}
			}
			if kind == intersectOp && in == len(others) || kind == differenceOp && in == 0 {
				add(e)
			}
			return true
		})
		if out == nil {
			return emptyArray
		}
		return arrayOf(out)
	}
}

func zip(a []tables.Value) tables.Value {
	lists := make([][]tables.Value, len(a))
	longest := 0
	for i, v := range a {
		if !isArray(v) {
			return tables.Null(tables.Dynamic)
		}
		lists[i] = elements(v)
		longest = max(longest, len(lists[i]))
	}
	rows := make([]tables.Value, longest)
	tuple := make([]tables.Value, len(a))
	for r := range rows {
		for i, l := range lists {
			if r < len(l) {
				tuple[i] = l[r]
			} else {
				tuple[i] = tables.Null(tables.Dynamic)
			}
		}
		rows[r] = arrayOf(tuple)
	}
	return arrayOf(rows)
}

// rangeArray is range(): numbers step by 1 by default, timespans and
// datetimes by one hour.
func rangeArray(a []tables.Value) tables.Value {
	t := a[0].Type()
	if t == tables.DateTime || t == tables.Timespan {
		start, ok1 := toTicks(a[0], t)
		stop, ok2 := toTicks(a[1], t)
		step := tables.Hour
		if len(a) > 2 {
			step, _ = toTicks(a[2], tables.Timespan)
		}
		if !ok1 || !ok2 || step == 0 {
			return tables.Null(tables.Dynamic)
		}
		var out []tables.Value
		for x := start; (step > 0 && x <= stop || step < 0 && x >= stop) && len(out) < maxRange; x += step {
			out = append(out, tables.Value(tables.NewTimespan(x)))
			if t == tables.DateTime {
				out[len(out)-1] = tables.NewDateTime(x)
			}
		}
		return arrayOf(out)
	}
	return numericRange(a)
}

func numericRange(a []tables.Value) tables.Value {
	isInt := a[0].Type() != tables.Real && a[1].Type() != tables.Real &&
		(len(a) < 3 || a[2].Type() != tables.Real)
	start, ok1 := toF(a[0])
	stop, ok2 := toF(a[1])
	step := 1.0
	if len(a) > 2 {
		step, _ = toF(a[2])
	}
	if !ok1 || !ok2 || step == 0 {
		return tables.Null(tables.Dynamic)
	}
	var out []tables.Value
	for x := start; (step > 0 && x <= stop || step < 0 && x >= stop) && len(out) < maxRange; x += step {
		if isInt {
			out = append(out, tables.NewLong(int64(x)))
		} else {
			out = append(out, tables.NewReal(x))
		}
	}
	return arrayOf(out)
}
