package functions

// How Kusto names the column of an unnamed call in extend, project and
// summarize by: strlen(x) gives strlen_x, tostring(d.a) gives d_a, and a
// call of most functions gives no name (the column is then Column1, ...).
// The kind of each function comes from Microsoft's Kusto.Language (its
// functions' ResultNameKind), read with ../shared/oracle's package; a
// function not listed gives no name.

// nameRule is one function's naming: kind, and the prefix of the
// prefix kinds.
type nameRule struct {
	kind   nameKind
	prefix string
}

type nameKind int

const (
	nameFirstArg        nameKind = iota + 1 // the first argument's name
	nameFuncAndFirstArg                     // function_firstArgument
	nameOnlyArg                             // the argument's name when there is exactly one
	namePrefixFirstArg                      // prefix + the first argument's name
	namePrefixOnly                          // the prefix alone
)

var nameRules = map[string]nameRule{
	"abs":                  {kind: nameFirstArg},
	"acos":                 {kind: nameFirstArg},
	"asin":                 {kind: nameFirstArg},
	"atan":                 {kind: nameFirstArg},
	"atan2":                {kind: nameFirstArg},
	"bin":                  {kind: nameFirstArg},
	"bin_at":               {kind: nameFirstArg},
	"binary_and":           {kind: nameFirstArg},
	"binary_not":           {kind: nameFirstArg},
	"binary_or":            {kind: nameFirstArg},
	"binary_shift_left":    {kind: nameFirstArg},
	"binary_shift_right":   {kind: nameFirstArg},
	"binary_xor":           {kind: nameFirstArg},
	"bitset_count_ones":    {kind: nameFirstArg},
	"ceiling":              {kind: nameFirstArg},
	"cos":                  {kind: nameFirstArg},
	"exp":                  {kind: nameFirstArg},
	"exp10":                {kind: nameFirstArg},
	"exp2":                 {kind: nameFirstArg},
	"floor":                {kind: nameFirstArg},
	"format_bytes":         {kind: nameFirstArg},
	"format_datetime":      {kind: nameFirstArg},
	"format_timespan":      {kind: nameFirstArg},
	"gamma":                {kind: nameFirstArg},
	"log":                  {kind: nameFirstArg},
	"log10":                {kind: nameFirstArg},
	"log2":                 {kind: nameFirstArg},
	"loggamma":             {kind: nameFirstArg},
	"parse_csv":            {kind: nameFirstArg},
	"parse_json":           {kind: nameFirstArg},
	"parse_xml":            {kind: nameFirstArg},
	"parsejson":            {kind: nameFirstArg},
	"pow":                  {kind: nameFirstArg},
	"rand":                 {kind: nameFirstArg},
	"round":                {kind: nameFirstArg},
	"series_fill_backward": {kind: nameFirstArg},
	"series_fill_const":    {kind: nameFirstArg},
	"series_fill_forward":  {kind: nameFirstArg},
	"sin":                  {kind: nameFirstArg},
	"split":                {kind: nameFirstArg},
	"sqrt":                 {kind: nameFirstArg},
	"startofday":           {kind: nameFirstArg},
	"tan":                  {kind: nameFirstArg},
	"tobool":               {kind: nameFirstArg},
	"toboolean":            {kind: nameFirstArg},
	"todatetime":           {kind: nameFirstArg},
	"todecimal":            {kind: nameFirstArg},
	"todouble":             {kind: nameFirstArg},
	"todynamic":            {kind: nameFirstArg},
	"toguid":               {kind: nameFirstArg},
	"tohex":                {kind: nameFirstArg},
	"toint":                {kind: nameFirstArg},
	"tolong":               {kind: nameFirstArg},
	"toobject":             {kind: nameFirstArg},
	"toreal":               {kind: nameFirstArg},
	"tostring":             {kind: nameFirstArg},
	"totime":               {kind: nameFirstArg},
	"totimespan":           {kind: nameFirstArg},
	"strlen":               {kind: nameFuncAndFirstArg}, "string_size": {kind: nameFuncAndFirstArg},
	"make_datetime": {kind: nameOnlyArg}, "make_timespan": {kind: nameOnlyArg},
	"gettype": {namePrefixFirstArg, "type_"}, "repeat": {namePrefixFirstArg, "repeat_"},
	"treepath":       {namePrefixFirstArg, "tree_"},
	"ingestion_time": {namePrefixOnly, "$IngestionTime"},
}

// ResultName returns the column name Kusto gives an unnamed call of the
// function written as name (whose registered name is canonical) over
// arguments whose own names are args ("" for an argument without one), or
// "" when Kusto gives it none.
func ResultName(name, canonical string, args []string) string {
	r, ok := nameRules[name]
	if !ok {
		r = nameRules[canonical]
	}
	first := ""
	if len(args) > 0 {
		first = args[0]
	}
	switch r.kind {
	case nameFirstArg:
		return first
	case nameFuncAndFirstArg:
		return name + "_" + first
	case nameOnlyArg:
		if len(args) == 1 {
			return first
		}
	case namePrefixFirstArg:
		return r.prefix + first
	case namePrefixOnly:
		return r.prefix
	}
	return ""
}
