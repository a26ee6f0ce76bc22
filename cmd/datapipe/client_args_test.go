package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// testInput returns an input over words parsed for cmd.
func testInput(t *testing.T, cmd *clientCommand, words ...string) *input {
	t.Helper()
	c, err := NewMain(nil, nil, nil).newClientCall(cmd, words)
	if err != nil {
		t.Fatal(err)
	}
	return c.input()
}

func TestParseShorthand(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]any
		err  string
	}{
		{in: "key=a,value=b", want: map[string]any{"key": "a", "value": "b"}},
		{in: " key = a , value= ", want: map[string]any{"key": "a", "value": ""}},
		{in: "key=a=b,value=c", want: map[string]any{"key": "a=b", "value": "c"}},
		{in: `key="a,b",value='c d'`, want: map[string]any{"key": "a,b", "value": "c d"}},
		{in: `key=a\,b,value=c`, want: map[string]any{"key": "a,b", "value": "c"}},
		{in: `key="say \"hi\"",value=x`, want: map[string]any{"key": `say "hi"`, "value": "x"}},
		{in: "key=a,value=b,c,d=e", want: map[string]any{"key": "a", "value": []any{"b", "c"}, "d": "e"}},
		{in: "key", err: "expected key=value"},
		{in: "=a", err: "empty key"},
		{in: `key="a`, err: "unterminated quote"},
		{in: `key="a"b`, err: "expected ','"},
	}
	for _, tc := range tests {
		got, err := parseShorthand(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("parseShorthand(%q): err %v, want %q", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || !reflect.DeepEqual(got, tc.want)):
			t.Errorf("parseShorthand(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestInput_Tags(t *testing.T) {
	cmd := pipelineCommands()[0] // create-pipeline
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	tests := []struct {
		name  string
		words []string
		want  []types.Tag
		err   string
	}{
		{name: "OKShorthand", words: []string{"key=a,value=b", "key=c,value="}, want: []types.Tag{tag("a", "b"), tag("c", "")}},
		{name: "OKJSONList", words: []string{`[{"key":"a","value":"b"}]`}, want: []types.Tag{tag("a", "b")}},
		{name: "OKJSONObjects", words: []string{`{"key":"a","value":"b"}`, `{"key":"c","value":"d"}`}, want: []types.Tag{tag("a", "b"), tag("c", "d")}},
		{name: "ErrMissing", words: []string{"key=a"}, err: "Missing required parameter in tags[0]: \"value\""},
		{name: "ErrUnknown", words: []string{"Key=a,Value=b"}, err: "Unknown parameter in tags[0]: \"Key\", must be one of: key, value"},
		{name: "ErrType", words: []string{`[{"key":"a","value":true}]`}, err: "Invalid type for parameter tags[0].value, value: True, type: <class 'bool'>"},
		{name: "ErrJSON", words: []string{`[{"key":`}, err: "Invalid JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := testInput(t, cmd, append([]string{"--name", "n", "--unique-id", "u", "--tags"}, tc.words...)...)
			got := in.tags("tags")
			if tc.err != "" {
				if in.err == nil || !strings.Contains(in.err.Error(), tc.err) {
					t.Errorf("err %v, want %q", in.err, tc.err)
				}
				return
			}
			if in.err != nil || fmt.Sprint(tagStrings(got)) != fmt.Sprint(tagStrings(tc.want)) {
				t.Errorf("got %v %v, want %v", tagStrings(got), in.err, tagStrings(tc.want))
			}
		})
	}
}

// tagStrings renders tags for comparison.
func tagStrings(tags []types.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	return out
}

func TestInput_ParameterValues(t *testing.T) {
	cmd := pipelineCommands()[2] // activate-pipeline
	tests := []struct {
		name  string
		words []string
		want  []pipeline.ParameterValue
		given bool
		err   string
	}{
		{name: "OKNone"},
		{name: "OKInline", words: []string{"--parameter-values", "a=1", "b=x=y", "a=3"}, given: true,
			want: []pipeline.ParameterValue{{ID: "a", Value: "1"}, {ID: "a", Value: "3"}, {ID: "b", Value: "x=y"}}},
		{name: "OKURI", words: []string{"--parameter-values-uri", "file://testdata/client/input/vals.json"}, given: true,
			want: []pipeline.ParameterValue{{ID: "myGreeting", Value: "v1"}, {ID: "myGreeting", Value: "v2"}, {ID: "myX", Value: "1"}}},
		{name: "ErrBoth", words: []string{"--parameter-values", "a=1", "--parameter-values-uri", "file://x"}, err: "Only parameter-values or parameter-values-uri is allowed"},
		{name: "ErrFormat", words: []string{"--parameter-values", "a"}, err: "Error in parameter: Invalid inline parameter format: a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := testInput(t, cmd, append([]string{"--pipeline-id", "df-1"}, tc.words...)...)
			got, given := in.parameterValues()
			if tc.err != "" {
				if in.err == nil || in.err.Error() != tc.err {
					t.Errorf("err %v, want %q", in.err, tc.err)
				}
				return
			}
			if in.err != nil || given != tc.given || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v %v %v, want %v %v", got, given, in.err, tc.want, tc.given)
			}
		})
	}
}

func TestRunsQueryArgs(t *testing.T) {
	tests := []struct {
		words []string
		want  runsQuery
		err   string
	}{
		{words: nil, want: runsQuery{}},
		{words: []string{"--status", "running, failed ,waiting_for_runner"}, want: runsQuery{statuses: []string{"running", "failed", "waiting_for_runner"}}},
		{words: []string{"--start-interval", "a, b", "--schedule-interval", "c,d"}, want: runsQuery{startInterval: []string{"a", "b"}, scheduleInterval: []string{"c", "d"}}},
		{words: []string{"--status", "running,FINISHED"}, err: "Invalid status: FINISHED, must be one of: waiting, pending, cancelled, running, finished, failed, waiting_for_runner, waiting_on_dependencies, shutting_down"},
		{words: []string{"--schedule-interval", "a,b,c"}, err: "'--schedule-interval': expected two"},
	}
	for _, tc := range tests {
		a, err := parseArgs(append([]string{"--pipeline-id", "df-1"}, tc.words...), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := runsQueryArgs(a)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%v: err %v, want %q", tc.words, err, tc.err)
		case tc.err == "" && (err != nil || !reflect.DeepEqual(got, tc.want)):
			t.Errorf("%v: got %+v %v, want %+v", tc.words, got, err, tc.want)
		}
	}
}

func TestBuildRunsQuery(t *testing.T) {
	now := time.Date(2024, 3, 5, 6, 7, 8, 999, time.UTC)
	render := func(q *types.Query) string {
		var parts []string
		for _, s := range q.Selectors {
			parts = append(parts, fmt.Sprintf("%s %s %v", aws.ToString(s.FieldName), s.Operator.Type, s.Operator.Values))
		}
		return strings.Join(parts, "; ")
	}
	tests := []struct {
		q    runsQuery
		want string
	}{
		{runsQuery{}, "@actualStartTime BETWEEN [2024-03-01T06:07:08 2024-03-05T06:07:08]"},
		{runsQuery{statuses: []string{"cancelled", "waiting_for_runner"}},
			"@actualStartTime BETWEEN [2024-03-01T06:07:08 2024-03-05T06:07:08]; @status EQ [CANCELLED WAITING_FOR_RUNNER]"},
		{runsQuery{scheduleInterval: []string{"c", "d"}, startInterval: []string{"a", "b"}},
			"@actualStartTime BETWEEN [a b]; @scheduledStartTime BETWEEN [c d]"},
		{runsQuery{scheduleInterval: []string{"c", "d"}}, "@scheduledStartTime BETWEEN [c d]"},
	}
	for _, tc := range tests {
		if got := render(buildRunsQuery(tc.q, now)); got != tc.want {
			t.Errorf("%+v:\n got %s\nwant %s", tc.q, got, tc.want)
		}
	}
}

func TestSortRuns(t *testing.T) {
	run := func(id, start string) *object {
		o := newObject().set("@id", id).set("name", id)
		if start != "" {
			o.set("@scheduledStartTime", start)
		}
		return o
	}
	runs := []*object{run("b", "2024-01-02"), run("a", "2024-01-02"), run("c", "2024-01-01"), run("d", "")}
	sortRuns(runs)
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.vals["@id"].(string))
	}
	if strings.Join(ids, " ") != "d c a b" {
		t.Errorf("order %v", ids)
	}
}

func TestFlattenRun(t *testing.T) {
	o := types.PipelineObject{Id: aws.String("@X_1"), Name: aws.String("@X_1"), Fields: []types.Field{
		{Key: aws.String("@status"), StringValue: aws.String("WAITING")},
		{Key: aws.String("@componentParent"), RefValue: aws.String("X")},
		{Key: aws.String("@status"), StringValue: aws.String("RUNNING")},
		{Key: aws.String("odd")},
	}}
	var b bytes.Buffer
	if err := writeJSON(&b, flattenRun(o)); err != nil {
		t.Fatal(err)
	}
	want := "{\n    \"@id\": \"@X_1\",\n    \"name\": \"@X_1\",\n    \"@status\": \"RUNNING\",\n    \"@componentParent\": \"X\",\n    \"odd\": null\n}\n"
	if b.String() != want {
		t.Errorf("got\n%s", b.String())
	}
}

func TestPageToken(t *testing.T) {
	tests := []struct {
		tok  pageToken
		want string
	}{
		{pageToken{truncate: 1, hasTruncate: true}, `{"marker": null, "boto_truncate_amount": 1}`},
		{pageToken{marker: aws.String("page2")}, `{"marker": "page2"}`},
		{pageToken{marker: aws.String("ü\"€😀"), truncate: 3, hasTruncate: true}, `{"marker": "\u00fc\"\u20ac\ud83d\ude00", "boto_truncate_amount": 3}`},
	}
	for _, tc := range tests {
		enc := tc.tok.encode()
		if got := string(mustBase64(t, enc)); got != tc.want {
			t.Errorf("encode %+v = %s, want %s", tc.tok, got, tc.want)
		}
		back, err := decodeToken(enc)
		if err != nil || aws.ToString(back.marker) != aws.ToString(tc.tok.marker) || back.truncate != tc.tok.truncate {
			t.Errorf("decode %s = %+v %v", enc, back, err)
		}
	}
	if _, err := decodeToken("bm90IGpzb24="); err == nil {
		t.Error("decoded a token that is not JSON")
	}
}

func TestParseTimestamp(t *testing.T) {
	want := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, in := range []string{"2024-01-02T03:04:05", "2024-01-02T03:04:05Z", "2024-01-02T04:04:05+01:00", "2024-01-02 03:04:05", "1704164645", "2024-01-02T03:04:05.000"} {
		if got, err := parseTimestamp(in); err != nil || !got.Equal(want) {
			t.Errorf("parseTimestamp(%q) = %v, %v", in, got, err)
		}
	}
	if got, err := parseTimestamp("2024-01-02"); err != nil || !got.Equal(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date only: %v %v", got, err)
	}
	if _, err := parseTimestamp("tomorrow"); err == nil {
		t.Error("parsed tomorrow")
	}
}

func TestSkipGlobals(t *testing.T) {
	tests := []struct {
		words []string
		want  int
	}{
		{[]string{"list-pipelines"}, 0},
		{[]string{"--region", "r", "--output=text", "--no-sign-request", "list-pipelines"}, 4},
		{[]string{"--bogus", "list-pipelines"}, 0},
		{[]string{"--region"}, 2},
	}
	for _, tc := range tests {
		if got := skipGlobals(tc.words); got != tc.want {
			t.Errorf("skipGlobals(%v) = %d, want %d", tc.words, got, tc.want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"http://localhost:8080": true, "http://127.0.0.1:1": true, "http://[::1]:80/": true, "https://api.localhost": true,
		"http://127.1.2.3": true, "https://datapipeline.us-east-1.amazonaws.com": false, "http://10.0.0.1": false, "": false,
	}
	for in, want := range tests {
		if got := isLoopback(in); got != want {
			t.Errorf("isLoopback(%q) = %v", in, got)
		}
	}
}

func TestMain_ClientError(t *testing.T) {
	cmd := listRunsCommand()
	tests := []struct {
		name string
		err  error
		code int
		want string
	}{
		{"ErrArg", argError("bad"), exitClientUsage, "datapipe: error: bad\n"},
		{"ErrParam", paramError("bad value"), exitClientUsage, "\nbad value\n"},
		{"ErrConfig", configError("no creds"), exitClientConfig, "\nno creds\n"},
		{"ErrInvalidParams", fmt.Errorf("op: %w", &smithy.InvalidParamsError{Context: "In"}), exitClientUsage, "\nParameter validation failed:\n"},
		{"ErrService", &smithy.OperationError{ServiceID: "Data Pipeline", OperationName: "QueryObjects",
			Err: &smithy.GenericAPIError{Code: "PipelineDeletedException", Message: "gone"}}, exitClientService,
			"\nAn error occurred (PipelineDeletedException) when calling the QueryObjects operation: gone\n"},
		{"ErrOther", errors.New("boom"), exitClientOther, "\nboom\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			m := NewMain(nil, nil, &stderr)
			if code := m.clientError(cmd, tc.err); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("code %d, stderr %q; want %d, %q", code, stderr.String(), tc.code, tc.want)
			}
		})
	}
}

// mustBase64 decodes standard base64.
func mustBase64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
