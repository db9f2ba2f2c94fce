package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// FileProfileTable is the name of the table `invoke FileProfile()` reads
// its profiles from: Microsoft's file data, exported to a local file.
const FileProfileTable = "FileProfile"

// fileProfileSchema is what FileProfile() adds, in the documented order
// with the documented types (Defender XDR, advanced-hunting-fileprofile-
// function).
var fileProfileSchema = tables.Schema{
	{Name: "SHA1", Type: tables.String},
	{Name: "SHA256", Type: tables.String},
	{Name: "MD5", Type: tables.String},
	{Name: "FileSize", Type: tables.Int},
	{Name: "GlobalPrevalence", Type: tables.Int},
	{Name: "GlobalFirstSeen", Type: tables.DateTime},
	{Name: "GlobalLastSeen", Type: tables.DateTime},
	{Name: "Signer", Type: tables.String},
	{Name: "Issuer", Type: tables.String},
	{Name: "SignerHash", Type: tables.String},
	{Name: "IsCertificateValid", Type: tables.Bool},
	{Name: "IsRootSignerMicrosoft", Type: tables.Bool},
	{Name: "SignatureState", Type: tables.String},
	{Name: "IsExecutable", Type: tables.Bool},
	{Name: "ThreatName", Type: tables.String},
	{Name: "Publisher", Type: tables.String},
	{Name: "SoftwareName", Type: tables.String},
	{Name: "ProfileAvailability", Type: tables.String},
}

// The documented defaults and bound of FileProfile(x, y).
const (
	fileProfileKey        = "SHA1"
	fileProfileDefaultMax = 100
	fileProfileMax        = 1000
)

// fileProfilePlan enriches each input row with the profile of the file
// whose SHA1 or SHA256 its key column holds. The output is the input's
// columns, then those of fileProfileSchema the input lacks (a column the
// input has keeps the input's values). Only the first max distinct file
// IDs are looked up.
type fileProfilePlan struct {
	in       plan
	profiles *tables.Table
	key      int
	max      int
	added    []int // indexes into fileProfileSchema
	out      tables.Schema
}

// fileProfile binds `T | invoke FileProfile(x, y)`.
func (b *binder) fileProfile(in plan, op *parser.InvokeOp) plan {
	c := op.Call
	if len(c.Args) > 2 {
		b.errorf(parser.PhaseType, c, "FileProfile() takes at most 2 arguments, not %d; usage: invoke FileProfile([column], [limit])", len(c.Args))
		return emptyPlan{}
	}
	profiles, ok := b.cat.Table(FileProfileTable)
	if !ok && b.opts.checking {
		profiles, ok = tables.Empty(FileProfileTable, fileProfileSchema), true
	}
	if !ok {
		b.errorf(parser.PhaseName, c.Fun, "FileProfile() reads Microsoft's file profiles, and none are loaded: "+
			"load them as a table named FileProfile (for example -t FileProfile=profiles.csv) with a SHA1 or SHA256 column")
		return emptyPlan{}
	}
	if profiles.Schema.Index("SHA1") < 0 && profiles.Schema.Index("SHA256") < 0 {
		b.errorf(parser.PhaseName, c.Fun, "FileProfile(): the FileProfile table has neither a SHA1 nor a SHA256 column to find profiles by")
		return emptyPlan{}
	}
	p := &fileProfilePlan{in: in, profiles: profiles, key: -1, max: fileProfileDefaultMax}
	sch := in.schema()
	p.key = b.fileProfileKey(c, sch)
	if len(c.Args) == 2 {
		p.max = b.fileProfileLimit(c.Args[1])
	}
	if p.key < 0 || p.max < 0 {
		return emptyPlan{}
	}
	p.out = append(p.out, sch...)
	for i, f := range fileProfileSchema {
		if sch.Index(f.Name) < 0 {
			p.added = append(p.added, i)
			p.out = append(p.out, f)
		}
	}
	return p
}

// fileProfileKey resolves x: a column, named bare or as a string; SHA1
// when left out.
func (b *binder) fileProfileKey(c *parser.CallExpr, sch tables.Schema) int {
	name, at := fileProfileKey, parser.Node(c.Fun)
	if len(c.Args) > 0 {
		at = c.Args[0]
		switch e := unparen(c.Args[0]).(type) {
		case *parser.Ident:
			name = e.Name
		default:
			v := b.constArg("FileProfile()", e)
			if v == nil {
				return -1
			}
			if v.Type() != tables.String {
				b.errorf(parser.PhaseType, e, "FileProfile(): the first argument names the file ID column (SHA1, SHA256, InitiatingProcessSHA1...)")
				return -1
			}
			name = v.Str()
		}
	}
	i := sch.Index(name)
	if i < 0 {
		b.errorf(parser.PhaseName, at, "FileProfile(): the input has no column '%s'%s; name the column that holds the SHA1 or SHA256: invoke FileProfile(SHA256)",
			name, suggest(name, sch.Names()))
	}
	return i
}

// fileProfileLimit reads y, the number of files to enrich: documented as
// 1 to 1000; a larger value enriches 1000.
func (b *binder) fileProfileLimit(e parser.Expr) int {
	v := b.constArg("FileProfile()", e)
	if v == nil {
		return -1
	}
	n, ok := v.AsInt64()
	if !ok || v.IsNull() || n < 1 || v.Type() == tables.Real || v.Type() == tables.String {
		b.errorf(parser.PhaseType, e, "FileProfile(): the limit must be a whole number from 1 to %d", fileProfileMax)
		return -1
	}
	return int(min(n, fileProfileMax))
}

func (p *fileProfilePlan) schema() tables.Schema { return p.out }

func (p *fileProfilePlan) run(rc *runCtx) (*tables.Table, error) {
	t, err := p.in.run(rc)
	if err != nil {
		return nil, err
	}
	index := p.index()
	// row[r] is the profile row of input row r: >= 0 found, -1 missing,
	// -2 not looked up (not a file ID, or past the limit).
	row := make([]int, t.Rows())
	looked := map[string]bool{}
	for r := range row {
		if r%checkEvery == checkEvery-1 {
			if err := rc.check(); err != nil {
				return nil, err
			}
		}
		id, ok := fileID(t.Columns[p.key].Value(r))
		if !ok || (!looked[id] && len(looked) >= p.max) {
			row[r] = -2
			continue
		}
		looked[id] = true
		if pr, ok := index[id]; ok {
			row[r] = pr
		} else {
			row[r] = -1
		}
	}
	cols := append([]*tables.Column{}, t.Columns...)
	for _, i := range p.added {
		cols = append(cols, p.column(fileProfileSchema[i], row))
	}
	out := tables.NewTable("", p.out, cols)
	out.SetRows(t.Rows())
	return out, nil
}

// index maps each profile's SHA1 and SHA256, in lower case, to its row;
// the first row of a file wins.
func (p *fileProfilePlan) index() map[string]int {
	m := map[string]int{}
	for _, name := range []string{"SHA1", "SHA256"} {
		c := p.profiles.Schema.Index(name)
		if c < 0 {
			continue
		}
		for r := 0; r < p.profiles.Rows(); r++ {
			if id, ok := fileID(p.profiles.Columns[c].Value(r)); ok {
				if _, dup := m[id]; !dup {
					m[id] = r
				}
			}
		}
	}
	return m
}

// column builds one added column. ProfileAvailability is the profile's own
// value when it has one, else Available for a profile found, Missing for a
// file with none, and empty for a row not looked up, as documented.
func (p *fileProfilePlan) column(f tables.Field, row []int) *tables.Column {
	src := p.profiles.Schema.Index(f.Name)
	col := tables.NewColumn(f.Type, len(row))
	for _, pr := range row {
		var v tables.Value
		switch {
		case pr >= 0 && src >= 0:
			v = tables.Convert(p.profiles.Columns[src].Value(pr), f.Type)
		default:
			v = tables.Null(f.Type)
		}
		if f.Name == "ProfileAvailability" && v.Str() == "" {
			v = tables.NewString(availability(pr))
		}
		col.Append(v)
	}
	return col
}

func availability(pr int) string {
	switch {
	case pr >= 0:
		return "Available"
	case pr == -1:
		return "Missing"
	}
	return ""
}

// fileID returns a SHA1 (40 hex digits) or SHA256 (64) in lower case.
func fileID(v tables.Value) (string, bool) {
	if v.IsNull() {
		return "", false
	}
	s := strings.TrimSpace(v.String())
	if len(s) != 40 && len(s) != 64 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return "", false
		}
	}
	return strings.ToLower(s), true
}
