package functions

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kql-offline/kql/tables"
)

// TestEveryFunctionIsComplete checks each declaration the binder relies on.
func TestEveryFunctionIsComplete(t *testing.T) {
	names := Names()
	require.Greater(t, len(names), 150)
	for _, name := range names {
		f, _ := Lookup(name)
		assert.NotNil(t, f.Result, "%s: Result", name)
		assert.NotEmpty(t, strings.TrimSpace(f.Doc), "%s: Doc", name)
		assert.NotContains(t, f.Doc, "\n", "%s: Doc is one line", name)
		switch f.Kind {
		case Scalar:
			if len(f.Outputs) > 0 {
				assert.NotNil(t, f.CompileMulti, "%s: CompileMulti", name)
				continue
			}
			assert.NotNil(t, f.Compile, "%s: Compile", name)
		case Aggregate:
			assert.NotNil(t, f.NewAgg, "%s: NewAgg", name)
		}
		checkParams(t, f)
	}
}

// checkParams verifies that optional parameters come last and only the
// last parameter is variadic.
func checkParams(t *testing.T, f *Func) {
	seenOptional := false
	for i, p := range f.Params {
		if p.Variadic {
			assert.Equal(t, len(f.Params)-1, i, "%s: variadic %s is not last", f.Name, p.Name)
		}
		if p.Optional {
			seenOptional = true
		} else {
			assert.False(t, seenOptional, "%s: required %s after an optional one", f.Name, p.Name)
		}
		assert.NotZero(t, p.Types, "%s: %s accepts no type", f.Name, p.Name)
	}
}

func TestMustHaveNamesAreRegistered(t *testing.T) {
	for _, name := range strings.Fields(`tostring toint tolong todouble toreal tobool toboolean
		todatetime totimespan todynamic parse_json parsejson toobject tohex gettype split strcat
		strcat_delim strcat_array strlen tolower toupper substring trim trim_start trim_end
		replace_string replace_regex replace indexof extract extract_all isempty isnotempty isnull
		isnotnull coalesce iff iif case not array_length array_sort_asc array_sort_desc
		array_concat array_slice array_index_of pack_array pack bag_pack bag_keys bag_merge
		set_difference set_has_element set_union set_intersect hash_sha256 hash_md5 hash_sha1 hash
		parse_url url_decode url_encode base64_encode_tostring base64_decode_tostring countof
		reverse strrep ago now bin floor bin_at datetime_diff datetime_add datetime_part startofday
		startofweek startofmonth startofyear endofday endofweek endofmonth endofyear dayofweek
		dayofmonth dayofyear hourofday getmonth getyear monthofyear weekofyear format_datetime
		format_timespan unixtime_seconds_todatetime unixtime_milliseconds_todatetime abs round
		ceiling log log10 log2 exp pow sqrt min_of max_of isnan isfinite rand ipv4_is_private
		ipv4_is_in_range parse_ipv4 ipv4_is_match has_ipv4 count countif dcount dcountif sum sumif
		avg avgif min max minif maxif arg_max arg_min make_list make_list_if make_set make_set_if
		make_bag make_bag_if make_list_with_nulls take_any any take_anyif percentile stdev variance
		count_distinct makeset makelist`) {
		_, ok := Lookup(name)
		assert.True(t, ok, name)
	}
}

func TestSignatureAndArity(t *testing.T) {
	f, _ := Lookup("substring")
	assert.Equal(t, "substring(source, startingIndex, [length])", f.Signature())
	lo, hi := f.Arity()
	assert.Equal(t, []int{2, 3}, []int{lo, hi})
	f, _ = Lookup("strcat")
	lo, hi = f.Arity()
	assert.Equal(t, []int{1, -1}, []int{lo, hi})
}

func TestResultTypes(t *testing.T) {
	cases := []struct {
		name string
		args []tables.Type
		want tables.Type
	}{
		{"iff", []tables.Type{tables.Bool, tables.Long, tables.Real}, tables.Real},
		{"iff", []tables.Type{tables.Bool, tables.String, tables.String}, tables.String},
		{"coalesce", []tables.Type{tables.Unknown, tables.Long}, tables.Long},
		{"case", []tables.Type{tables.Bool, tables.String, tables.Bool, tables.String, tables.String}, tables.String},
		{"bin", []tables.Type{tables.DateTime, tables.Timespan}, tables.DateTime},
		{"bin", []tables.Type{tables.Real, tables.Long}, tables.Real},
		{"bin", []tables.Type{tables.Dynamic, tables.Timespan}, tables.DateTime},
		{"abs", []tables.Type{tables.Long}, tables.Long},
		{"abs", []tables.Type{tables.Dynamic}, tables.Real},
		{"sum", []tables.Type{tables.Int}, tables.Long},
		{"sum", []tables.Type{tables.Real}, tables.Real},
		{"avg", []tables.Type{tables.Long}, tables.Real},
		{"max", []tables.Type{tables.DateTime}, tables.DateTime},
		{"count", nil, tables.Long},
		{"make_set", []tables.Type{tables.String}, tables.Dynamic},
		{"extract", []tables.Type{tables.String, tables.Long, tables.String}, tables.String},
		{"todynamic", []tables.Type{tables.String}, tables.Dynamic},
		{"getmonth", []tables.Type{tables.DateTime}, tables.Int},
	}
	for _, c := range cases {
		f, ok := Lookup(c.name)
		require.True(t, ok, c.name)
		assert.Equal(t, c.want, f.Result(c.args), "%s%v", c.name, c.args)
	}
}

func TestExtractResultOf(t *testing.T) {
	f, _ := Lookup("extract")
	typ := S("int")
	c := &Call{Types: []tables.Type{tables.String, tables.Long, tables.String, tables.String},
		Consts: []*tables.Value{nil, nil, nil, &typ}}
	assert.Equal(t, tables.Int, f.ResultType(c))
	c.Consts[3] = nil
	assert.Equal(t, tables.String, f.ResultType(c))
}

func TestAggregateColumns(t *testing.T) {
	want := map[string]string{
		"count": "count_", "countif": "countif_", "sum": "sum_", "make_set": "set_",
		"make_list": "list_", "make_list_if": "list_", "dcount": "dcount_", "avg": "avg_",
		"min": "min_", "max": "max_", "make_bag": "bag_", "any": "any_", "stdev": "stdev_",
		"variancep": "variancep_", "makeset": "set_",
	}
	for name, col := range want {
		f, _ := Lookup(name)
		assert.Equal(t, col, f.Column, name)
	}
	f, _ := Lookup("take_any")
	assert.True(t, f.KeepName)
	f, _ = Lookup("arg_max")
	assert.Equal(t, "", f.Column)
}

// The documented examples of the functions with several results.
func TestSeriesMultiResults(t *testing.T) {
	run := func(name string, args ...tables.Value) []string {
		f, ok := Lookup(name)
		require.True(t, ok)
		impl, err := f.CompileMulti(&Call{})
		require.NoError(t, err)
		out := make([]tables.Value, len(f.Outputs))
		impl(args, out)
		var got []string
		for k, o := range f.Outputs {
			got = append(got, o.Name+"="+tables.ToJSON(out[k]))
		}
		return got
	}
	assert.Equal(t, []string{"min=2", "min_idx=8", "max=87", "max_idx=3", "avg=32.8",
		"stdev=28.503633853548266", "variance=812.4571428571428"},
		run("series_stats", tables.NewDynamic("[23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29]")))
	got := run("series_fit_line", tables.NewDynamic("[2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30]"))
	assert.Equal(t, []string{"rsquare=0.982900730884447", "slope=2.7307692307692313",
		"variance=98.62878787878786", "rvariance=1.6864801864801868", "interception=-1.6666666666666714"}, got[:5])
	for _, in := range []string{"[]", "[1]", `[1, "a"]`, `{"a": 1}`} {
		assert.Equal(t, []string{"rsquare=null", "slope=null", "variance=null", "rvariance=null",
			"interception=null", "line_fit=null"}, run("series_fit_line", tables.NewDynamic(in)), in)
	}
}
