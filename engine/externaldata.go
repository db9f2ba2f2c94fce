package engine

import (
	"strings"

	"github.com/kql-offline/kql/parser"
	"github.com/kql-offline/kql/tables"
)

// ExternalDataRequest is what an externaldata operator asks for: the rows
// of one URL, read with the declared columns and format.
type ExternalDataRequest struct {
	URL    string
	Schema tables.Schema
	// Format is the with(format=...) property, lower case, or "" when the
	// query does not give one.
	Format string
	// IgnoreFirstRecord is with(ignoreFirstRecord=true): the file's first
	// record is a header to skip.
	IgnoreFirstRecord bool
	// Mapping is the ingestionMapping property's text, or "".
	Mapping string
	// ZipPattern is the zipPattern property: the URL is a zip archive.
	ZipPattern string
	// Properties holds every with(...) property as text, keyed by its
	// lower-case name.
	Properties map[string]string
}

// ExternalDataFunc returns the table an externaldata operator reads. kql
// never fetches a URL: the caller maps URLs to local files.
type ExternalDataFunc func(ExternalDataRequest) (*tables.Table, error)

// externalData binds externaldata(cols) [urls] with (props): the declared
// schema is known now; the rows are asked of Options.ExternalData when the
// query runs, one request per URL, and concatenated.
func (b *binder) externalData(e *parser.ExternalDataExpr) plan {
	p := &externalPlan{span: e.Span}
	for _, c := range e.Columns {
		p.req.Schema = append(p.req.Schema, tables.Field{Name: c.Name.Name, Type: b.typeName(c.Type)})
	}
	if len(p.req.Schema) == 0 {
		b.errorf(parser.PhaseType, e, "externaldata needs at least one column")
		return emptyPlan{}
	}
	p.req.Properties = map[string]string{}
	for _, prop := range e.Params {
		name := strings.ToLower(prop.Name.Name)
		if why, ok := unreadProperties[name]; ok {
			b.errorf(parser.PhaseType, prop, "externaldata property %s is not supported: %s", prop.Name.Name, why)
			continue
		}
		// A bare word is the property's text, as in with(format=csv).
		if id, ok := prop.Value.(*parser.Ident); ok && !id.Bracketed {
			p.req.Properties[name] = id.Name
			continue
		}
		x := b.scalar(prop.Value, nil)
		if x.konst == nil {
			b.errorf(parser.PhaseType, prop.Value, "externaldata properties must be constants")
			continue
		}
		p.req.Properties[name] = x.konst.String()
	}
	p.req.Format = strings.ToLower(p.req.Properties["format"])
	p.req.IgnoreFirstRecord = strings.EqualFold(p.req.Properties["ignorefirstrecord"], "true")
	p.req.Mapping = p.req.Properties["ingestionmapping"]
	p.req.ZipPattern = p.req.Properties["zippattern"]
	for _, u := range e.URIs {
		x := b.scalar(u, nil)
		if x.konst == nil || x.konst.Type() != tables.String {
			b.errorf(parser.PhaseType, u, "externaldata URLs must be constant strings")
			continue
		}
		p.urls = append(p.urls, x.konst.Str())
		p.spans = append(p.spans, u.Pos())
	}
	if len(p.urls) == 0 {
		b.errorf(parser.PhaseType, e, "externaldata needs a URL in [ ]")
		return emptyPlan{}
	}
	return p
}

// unreadProperties are the externaldata properties that change how a file
// is read and that kql does not implement; a query naming one is refused
// rather than read another way.
var unreadProperties = map[string]string{
	"ingestionmappingreference": "kql has no stored ingestion mappings",
}

// externalPlan reads the URLs of one externaldata operator.
type externalPlan struct {
	span  parser.Span
	req   ExternalDataRequest
	urls  []string
	spans []parser.Span
}

func (p *externalPlan) schema() tables.Schema { return p.req.Schema }

func (p *externalPlan) run(rc *runCtx) (*tables.Table, error) {
	resolve := rc.limits.ExternalData
	parts := make([][]*tables.Column, len(p.req.Schema))
	for i, u := range p.urls {
		if resolve == nil {
			return nil, parser.Errorf(parser.PhaseRuntime, p.spans[i],
				"externaldata: kql never fetches %s; map it to a local file with --externaldata URL=PATH", u)
		}
		req := p.req
		req.URL = u
		t, err := resolve(req)
		if err != nil {
			return nil, parser.Errorf(parser.PhaseRuntime, p.spans[i], "externaldata: %v", err)
		}
		if len(t.Columns) != len(p.req.Schema) {
			return nil, parser.Errorf(parser.PhaseInternal, p.spans[i],
				"externaldata: %s gave %d columns, not the %d declared", u, len(t.Columns), len(p.req.Schema))
		}
		for c := range p.req.Schema {
			parts[c] = append(parts[c], t.Columns[c])
		}
	}
	cols := make([]*tables.Column, len(p.req.Schema))
	for c, f := range p.req.Schema {
		cols[c] = tables.Concat(f.Type, parts[c]...)
	}
	return tables.NewTable("", p.req.Schema, cols), nil
}

// checkExternalData stands in for the files while checking: each URL gives
// no rows, so that operators which look at their input's rows while binding
// (pivot, bag_unpack) can be checked without the files.
func checkExternalData(req ExternalDataRequest) (*tables.Table, error) {
	return tables.Empty("", req.Schema), nil
}
