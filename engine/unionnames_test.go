package engine_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kql-offline/kql/engine"
)

func TestUnionNamesAndFuzzyViews(t *testing.T) {
	got := runText(`let V1 = view () { print x=1 };
let V2 = view () { print x=toint(2) };
let V3 = view () { print x_long=3 };
union withsource=T V1, V2, V3`, engine.NewCatalog())
	assert.Equal(t, "T:string | x_long1:long | x_int:int | x_long:long\n"+
		"\"V1\" | 1 | null | null\n\"V2\" | null | 2 | null\n\"V3\" | null | null | 3\n", got)

	views := "let View_1 = view () { print x=1 };\nlet View_2 = view () { print x=1 };\nlet Other_1 = view () { print x=1 };\n"
	assert.Equal(t, "Count:long\n2\n", runText(views+
		"union isfuzzy=true (View_1 | where x > 0), (View_2 | where x > 0), (View_3 | where x > 0) | count", engine.NewCatalog()))
	assert.Equal(t, "Count:long\n3\n", runText(views+"union isfuzzy=true View*, Some*, Other* | count", engine.NewCatalog()))
	assert.Contains(t, runText(views+"union (View_3 | where x > 0) | count", engine.NewCatalog()), "View_3",
		"without isfuzzy a missing source is still an error")
}
