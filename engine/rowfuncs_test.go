package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/engine"
)

func TestRowFunctions(t *testing.T) {
	cases := []struct{ name, query, want string }{
		{"prev next with offset and default",
			`datatable(a:int)[1,2,3] | serialize | extend p=prev(a), n=next(a, 2, -1)`,
			"a:int | p:int | n:int\n1 | null | 3\n2 | 1 | -1\n3 | 2 | -1\n"},
		{"row_number with start and restart",
			`datatable(g:string)["x","x","y"] | serialize | extend r=row_number(), s=row_number(10, g != prev(g))`,
			"g:string | r:long | s:long\n\"x\" | 1 | 10\n\"x\" | 2 | 11\n\"y\" | 3 | 10\n"},
		{"row_cumsum skips nulls and restarts",
			`datatable(g:string, v:long)["x",1,"x",long(null),"x",2,"y",5] | serialize | extend c=row_cumsum(v, g != prev(g))`,
			"g:string | v:long | c:long\n\"x\" | 1 | 1\n\"x\" | null | 1\n\"x\" | 2 | 3\n\"y\" | 5 | 5\n"},
		{"row_rank_min and row_rank_dense",
			`datatable(v:int)[5,10,10,20] | serialize | extend m=row_rank_min(v), d=row_rank_dense(v)`,
			"v:int | m:long | d:long\n5 | 1 | 1\n10 | 2 | 2\n10 | 2 | 2\n20 | 4 | 3\n"},
		{"row_window_session",
			`datatable(t:datetime)[datetime(2024-01-01 10:00), datetime(2024-01-01 10:04), datetime(2024-01-01 10:20)]
			| serialize | extend s=row_window_session(t, 1h, 5m)`,
			"t:datetime | s:datetime\n\"2024-01-01T10:00:00.0000000Z\" | \"2024-01-01T10:00:00.0000000Z\"\n" +
				"\"2024-01-01T10:04:00.0000000Z\" | \"2024-01-01T10:00:00.0000000Z\"\n" +
				"\"2024-01-01T10:20:00.0000000Z\" | \"2024-01-01T10:20:00.0000000Z\"\n"},
		{"column_names_of a let table and a function call",
			`let T = datatable(A:string, B:int) []; let F = (n:int) { print C=n }; print a=column_names_of(T), b=column_names_of(F(1))`,
			"a:dynamic | b:dynamic\n[\"A\",\"B\"] | [\"C\"]\n"},
		{"bag_pack_columns",
			`datatable(Id:string, V:long)["a",1] | extend P=bag_pack_columns(Id, V)`,
			"Id:string | V:long | P:dynamic\n\"a\" | 1 | {\"Id\":\"a\",\"V\":1}\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, runText(c.query, engine.NewCatalog()))
		})
	}
}

func TestRowFunctionErrors(t *testing.T) {
	for q, want := range map[string]string{
		`print x=1 | extend p=prev(x, x)`:              "prev(): argument 2 must be a constant integer",
		`print x=1 | extend p=prev()`:                  "prev() takes 1 to 3 arguments",
		`print x="a" | extend c=row_cumsum(x)`:         "the term must be a number or timespan, not string",
		`print x=1 | extend b=bag_pack_columns(x + 1)`: "argument 1 must be a column of the input",
		`print c=column_names_of(1)`:                   "column_names_of() takes one tabular expression",
	} {
		assert.Contains(t, runText(q, engine.NewCatalog()), want, q)
	}
}
