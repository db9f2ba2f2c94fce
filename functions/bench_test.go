package functions

import (
	"testing"

	"github.com/kql-offline/kql/tables"
)

// benchImpl compiles name for per-row use with the argument types of args.
func benchImpl(b *testing.B, name string, args ...tables.Value) (Impl, []tables.Value) {
	f, _ := Lookup(name)
	types := make([]tables.Type, len(args))
	consts := make([]*tables.Value, len(args))
	for i := range args {
		types[i] = args[i].Type()
		if f.ParamFor(i).Const {
			consts[i] = &args[i]
		}
	}
	impl, err := f.Compile(&Call{Env: &Env{}, Types: types, Consts: consts})
	if err != nil {
		b.Fatal(err)
	}
	return impl, args
}

func BenchmarkToStringDynamic(b *testing.B) {
	impl, args := benchImpl(b, "tostring", D(`"contoso.com"`))
	b.ReportAllocs()
	for b.Loop() {
		impl(args)
	}
}

func BenchmarkToLowerASCII(b *testing.B) {
	impl, args := benchImpl(b, "tolower", S("User@Contoso.COM"))
	b.ReportAllocs()
	for b.Loop() {
		impl(args)
	}
}

func BenchmarkSplitIndex(b *testing.B) {
	impl, args := benchImpl(b, "split", S("user@contoso.com"), S("@"))
	b.ReportAllocs()
	for b.Loop() {
		impl(args).Index(1)
	}
}

func BenchmarkIsNotEmpty(b *testing.B) {
	impl, args := benchImpl(b, "isnotempty", D(`"x"`))
	b.ReportAllocs()
	for b.Loop() {
		impl(args)
	}
}

func BenchmarkMakeSet(b *testing.B) {
	f, _ := Lookup("make_set")
	newState, _ := f.NewAgg(&Call{Types: []tables.Type{tables.String}, Consts: make([]*tables.Value, 1)})
	vals := []tables.Value{S("a"), S("b"), S("c"), S("a")}
	b.ReportAllocs()
	for b.Loop() {
		st := newState()
		for i := range vals {
			st.Add(vals[i : i+1])
		}
		st.Result()
	}
}
