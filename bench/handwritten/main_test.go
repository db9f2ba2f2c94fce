package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// obj marshals v to one line of JSON.
func obj(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// agentRow builds an AIAgentsInfo row; tools and topics are JSON text (or any
// other value to store as is).
func agentRow(t *testing.T, id, ts, src, status string, tools, topics any) string {
	return obj(t, map[string]any{
		"Timestamp": ts, "RegistrySource": src, "AIAgentId": id, "AIAgentName": "n-" + id,
		"AgentCreationTime": "2025-01-01T00:00:00.0000000Z", "CreatorAccountUpn": "c@contoso.com",
		"OwnerAccountUpns": `["c@contoso.com"]`, "AgentStatus": status,
		"AgentToolsDetails": tools, "AgentTopicsDetails": topics,
	})
}

func tool(op string, inputs ...string) string {
	return fmt.Sprintf(`{"action":{"kind":"InvokeConnectorTaskAction","operationId":%q},"inputs":[%s]}`,
		op, strings.Join(inputs, ","))
}

func input(name, literal string) string {
	return fmt.Sprintf(`{"propertyName":%q,"value":{"literalValue":%s}}`, name, literal)
}

func topic(actions ...string) string {
	return `{"displayName":"t","beginDialog":{"kind":"OnRecognizedIntent","actions":[` +
		strings.Join(actions, ",") + `]}}`
}

func action(op, binding string) string {
	return fmt.Sprintf(`{"kind":"InvokeConnectorAction","operationId":%q,"input":{"binding":%s}}`,
		op, binding)
}

// fixture is a hand-made export that exercises each rule of the query.
func fixture(t *testing.T) (identities, agents []string) {
	identities = []string{
		obj(t, map[string]any{"AccountUpn": "a@contoso.com"}),
		obj(t, map[string]any{"AccountUpn": "b@fabrikam.com"}),
		obj(t, map[string]any{"AccountUpn": "no-at-sign"}),
	}
	send := func(to string) string { return "[" + tool("SendEmailV2", input("To", to)) + "]" }
	agents = []string{
		// 1: the newest row is A365, so the tools leg takes the older one.
		agentRow(t, "1", "2025-11-01T00:00:00.0000000Z", "CopilotStudio", "Published",
			send(`"x@gmail.com"`), "[]"),
		agentRow(t, "1", "2025-11-02T00:00:00.0000000Z", "A365", "Published",
			send(`"y@yahoo.com"`), "[]"),
		// 2: deleted in its newest row.
		agentRow(t, "2", "2025-11-01T00:00:00.0000000Z", "CopilotStudio", "Published",
			send(`"x@gmail.com"`), "[]"),
		agentRow(t, "2", "2025-11-03T00:00:00.0000000Z", "CopilotStudio", "Deleted",
			send(`"x@gmail.com"`), "[]"),
		// 3: topics, newest row A365 (no filter in this leg).
		agentRow(t, "3", "2025-11-03T00:00:00.0000000Z", "A365", "Draft", "[]", "["+topic(
			action("sendemailv3", `{"to":{"literalValue":"z@partner1.example.net"}}`),
			action("SendEmail", `{"To":{"literalValue":"decoy@gmail.com"}}`),
			action("| W", `{"To":{"literalValue":"q@Contoso.com"}}`),
			action("SendEmailV4", `{"To":{"expression":"=Topic.x"}}`),
			action("SendEmailV2", `{"To":{"literalValue":"a@contoso.com"}}`),
			action("SendEmailV2", `{"To":{"literalValue":"a@contoso.com;bob@x.com"}}`),
		)+`,{"displayName":"no actions","beginDialog":{"kind":"x"}}]`),
		// 4: details that are not JSON arrays.
		agentRow(t, "4", "2025-11-01T00:00:00.0000000Z", "CopilotStudio", "Published",
			"not json [", ""),
		// 5: recipients without a domain, and a lower-case propertyName.
		agentRow(t, "5", "2025-11-01T00:00:00.0000000Z", "CopilotStudio", "Published",
			"["+tool("SendEmailV2", input("To", `"nobody"`), input("To", "42"),
				input("to", `"x@gmail.com"`), input("To", `"w@a@b"`))+"]", "[]"),
		// 6: instants, not text: .1 s after the hour beats the hour itself,
		// and 12:00+05:00 (07:00Z) loses to 08:00Z.
		agentRow(t, "6", "2025-11-01T10:00:00.1Z", "CopilotStudio", "Published",
			send(`"new@gmail.com"`), "[]"),
		agentRow(t, "6", "2025-11-01T10:00:00Z", "CopilotStudio", "Published",
			send(`"old@gmail.com"`), "[]"),
		agentRow(t, "7", "2025-11-01T12:00:00+05:00", "CopilotStudio", "Published",
			send(`"old@gmail.com"`), "[]"),
		agentRow(t, "7", "2025-11-01T08:00:00Z", "CopilotStudio", "Published",
			send(`"new@gmail.com"`), "[]"),
		// 8: a single topic bag: mv-expand yields one-key bags, and the
		// {"beginDialog": ...} one still reaches the actions.
		agentRow(t, "8", "2025-11-01T00:00:00.0000000Z", "CopilotStudio", "Published", "[]",
			topic(action("SendEmailV2", `{"To":{"literalValue":"bag@gmail.com"}}`))),
		// 9: a send op spelled with a \u escape inside the JSON text.
		agentRow(t, "9", "2025-11-01T00:00:00.0000000Z", "CopilotStudio", "Published",
			`[{"action":{"operationId":"\u0053endEmailV2"},"inputs":[`+
				input("To", `"esc@gmail.com"`)+`]}]`, "[]"),
	}
	return identities, agents
}

// summary renders rows as sorted "id source to domain" lines.
func summary(rows []resultRow) []string {
	var s []string
	for _, r := range rows {
		s = append(s, strings.Join([]string{r[0], r[colSource], r[colMail], r[colTo], r[colDomain],
			r[3]}, " "))
	}
	sort.Strings(s)
	return s
}

var want = []string{
	"1 AgentToolsDetails SendEmailV2 x@gmail.com gmail.com CopilotStudio",
	"3 AgentTopicsDetails SendEmailV2 a@contoso.com;bob@x.com contoso.com;bob A365",
	"3 AgentTopicsDetails sendemailv3 z@partner1.example.net partner1.example.net A365",
	"3 AgentTopicsDetails | W q@Contoso.com Contoso.com A365",
	"5 AgentToolsDetails SendEmailV2 w@a@b a CopilotStudio",
	"6 AgentToolsDetails SendEmailV2 new@gmail.com gmail.com CopilotStudio",
	"7 AgentToolsDetails SendEmailV2 new@gmail.com gmail.com CopilotStudio",
	"8 AgentTopicsDetails SendEmailV2 bag@gmail.com gmail.com CopilotStudio",
	"9 AgentToolsDetails SendEmailV2 esc@gmail.com gmail.com CopilotStudio",
}

func TestComputeNDJSON(t *testing.T) {
	dir := t.TempDir()
	ids, agents := fixture(t)
	write(t, filepath.Join(dir, "IdentityInfo.ndjson"), strings.Join(ids, "\n")+"\n")
	write(t, filepath.Join(dir, "AIAgentsInfo.ndjson"), strings.Join(agents, "\n"))
	rows, err := compute(dir)
	require.NoError(t, err)
	assert.Equal(t, want, summary(rows))
}

func TestComputeJSONArray(t *testing.T) {
	dir := t.TempDir()
	ids, agents := fixture(t)
	write(t, filepath.Join(dir, "IdentityInfo.json"), "[\n"+strings.Join(ids, ",\n")+"\n]\n")
	write(t, filepath.Join(dir, "AIAgentsInfo.json"), "["+strings.Join(agents, ",\n")+"]")
	rows, err := compute(dir)
	require.NoError(t, err)
	assert.Equal(t, want, summary(rows))
}

func TestComputeMissingTable(t *testing.T) {
	_, err := compute(t.TempDir())
	assert.ErrorContains(t, err, "no IdentityInfo.ndjson or IdentityInfo.json")
}

func write(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

func TestParseTicks(t *testing.T) {
	for _, s := range []string{"2025-11-03T10:00:00Z", "2025-11-03T10:00:00.5Z",
		"2025-11-03T10:00:00.1234567Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.9Z",
		"2025-11-03T12:00:00+02:00", "2025-11-03T10:00:00.123456789Z"} {
		want, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		got, ok := parseTicks(s)
		assert.True(t, ok, s)
		assert.Equal(t, want.Unix()*ticksPerSecond+int64(want.Nanosecond()/100), got, s)
	}
	for _, s := range []string{"", "yesterday", "2025-13-03T10:00:00Z"} {
		_, ok := parseTicks(s)
		assert.False(t, ok, s)
	}
}

func TestAtDomain(t *testing.T) {
	assert.Equal(t, "", atDomain("nobody"))
	assert.Equal(t, "", atDomain(""))
	assert.Equal(t, "b.com", atDomain("a@b.com"))
	assert.Equal(t, "b", atDomain("a@b@c"))
	assert.Equal(t, "", atDomain("a@"))
}

func TestEachField(t *testing.T) {
	var got []string
	eachField(`{"a":"x\\","b" : {"c":["}",1]} ,"d":true,"e":"q\"}"}`, func(k, raw string) bool {
		got = append(got, k+"="+raw)
		return true
	})
	assert.Equal(t, []string{`a="x\\"`, `b={"c":["}",1]}`, `d=true`, `e="q\"}"`}, got)
}

func TestMayHoldSendOp(t *testing.T) {
	assert.True(t, mayHoldSendOp(`[{\"operationId\":\"SENDEMAILV3\"}]`))
	assert.True(t, mayHoldSendOp(`x | w`))
	assert.True(t, mayHoldSendOp(`\\u0053end`))
	assert.True(t, mayHoldSendOp(`sharedmailboxSendEmailv2`))
	assert.False(t, mayHoldSendOp(`[{\"operationId\":\"SendEmail\",\"x\":\"mail\"}]`))
	assert.False(t, mayHoldSendOp(`SendEmailWithOptions`))
}

// TestReferenceSmall runs the shared generator's small set and checks the
// reference result of shared/gen/README.md.
func TestReferenceSmall(t *testing.T) {
	gen := filepath.Join("..", "..", "..", "shared", "gen")
	if _, err := os.Stat(filepath.Join(gen, "main.go")); err != nil {
		t.Skip("shared/gen not found beside the repository")
	}
	if testing.Short() {
		t.Skip("generates data; skipped with -short")
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "run", ".", "-agents", "1000", "-snapshots", "3",
		"-identities", "1000", "-seed", "1", "-format", "ndjson", "-out", dir)
	cmd.Dir = gen
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))

	rows, err := compute(dir)
	require.NoError(t, err)
	var sum uint64
	for _, r := range rows {
		sum += r.hash()
	}
	assert.Len(t, rows, 20)
	assert.Equal(t, "9db15ceda7286f1f", fmt.Sprintf("%016x", sum))
}
