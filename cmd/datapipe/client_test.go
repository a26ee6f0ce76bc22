package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// goldenCase is one case of testdata/client/cases.json.
type goldenCase struct {
	Name string   `json:"name"`
	Args []string `json:"args"`
}

// TestMain_ClientGolden runs each case of testdata/client/cases.json
// against the fake service and compares what datapipe prints and sends
// with what the real aws CLI printed and sent for the same arguments and
// responses (testdata/client/golden, made by awscli_golden.sh).
func TestMain_ClientGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/client/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			clientEnv(t)
			f := newFakeAWS(t)
			code, out, errOut := runAgainst(t, f, tc.Args...)
			if code != exitOK {
				t.Fatalf("exit %d\n%s", code, errOut)
			}
			want, err := os.ReadFile("testdata/client/golden/" + tc.Name + ".out")
			if err != nil {
				t.Fatal(err)
			}
			if out != string(want) {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
			}
			compareRequests(t, tc.Name, f.received())
		})
	}
}

// compareRequests compares the requests sent with the aws CLI's. The
// default list-runs interval depends on the clock, so only its operations
// are compared.
func compareRequests(t *testing.T, name string, got []fakeCall) {
	t.Helper()
	want := readCalls(t, "testdata/client/golden/"+name+".requests")
	if len(got) != len(want) {
		t.Fatalf("sent %d requests, the aws CLI %d:\n%v\n%v", len(got), len(want), got, want)
	}
	for i := range want {
		if name == "list-runs" {
			got[i].Body, want[i].Body = nil, nil
		}
		if got[i].Op != want[i].Op || !reflect.DeepEqual(got[i].Body, want[i].Body) {
			g, _ := json.Marshal(got[i])
			w, _ := json.Marshal(want[i])
			t.Errorf("request %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// readCalls reads a .requests golden file.
func readCalls(t *testing.T, path string) []fakeCall {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var calls []fakeCall
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c fakeCall
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	return calls
}

// lastBody returns the body of the last request for op.
func lastBody(t *testing.T, f *fakeAWS, op string) map[string]any {
	t.Helper()
	calls := f.received()
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Op == op {
			return calls[i].Body
		}
	}
	t.Fatalf("no %s request in %v", op, calls)
	return nil
}

// wantExit checks the exit code and that stderr holds each of wants.
func wantExit(t *testing.T, code int, errOut string, wantCode int, wants ...string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("exit %d, want %d\n%s", code, wantCode, errOut)
	}
	for _, w := range wants {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
}

func TestMain_CreatePipeline(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, out, errOut := runAgainst(t, f, "create-pipeline", "--name", "n", "--unique-id", "u")
		if code != exitOK || out != "{\n    \"pipelineId\": \"df-0123456789ABCDEFGHIJ\"\n}\n" {
			t.Errorf("exit %d\n%s%s", code, out, errOut)
		}
		if body := lastBody(t, f, "CreatePipeline"); !reflect.DeepEqual(body, map[string]any{"name": "n", "uniqueId": "u"}) {
			t.Errorf("body %v", body)
		}
	})
	t.Run("OKGlobalsFirst", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, out, errOut := run(t, "--endpoint-url", f.URL, "--output=text", "create-pipeline", "--name", "n", "--unique-id", "u")
		if code != exitOK || out != "df-0123456789ABCDEFGHIJ\n" {
			t.Errorf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("OKDefaultOutputEnv", func(t *testing.T) {
		clientEnv(t)
		t.Setenv("AWS_DEFAULT_OUTPUT", "text")
		f := newFakeAWS(t)
		t.Setenv("AWS_ENDPOINT_URL_DATA_PIPELINE", f.URL)
		code, out, _ := run(t, "create-pipeline", "--name", "n", "--unique-id", "u")
		if code != exitOK || out != "df-0123456789ABCDEFGHIJ\n" {
			t.Errorf("exit %d %q", code, out)
		}
	})
	t.Run("ErrMissingArguments", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "create-pipeline", "--description", "d")
		wantExit(t, code, errOut, exitClientUsage, "datapipe: error: the following arguments are required: --name, --unique-id", "usage: datapipe create-pipeline")
	})
	t.Run("ErrUnknownOption", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "create-pipeline", "--name", "n", "--unique-id", "u", "--bogus", "x", "stray")
		wantExit(t, code, errOut, exitClientUsage, "Unknown options: --bogus, stray")
	})
	t.Run("ErrBadTags", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "create-pipeline", "--name", "n", "--unique-id", "u", "--tags", "key=a")
		wantExit(t, code, errOut, exitClientUsage, "Parameter validation failed:\nMissing required parameter in tags[0]: \"value\"")
		if len(f.received()) != 0 {
			t.Error("a request was sent")
		}
	})
	t.Run("ErrService", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		f.override("CreatePipeline", 400, `{"__type":"com.amazon.setl.webservice#InvalidRequestException","message":"limit exceeded"}`)
		code, out, errOut := runAgainst(t, f, "create-pipeline", "--name", "n", "--unique-id", "u")
		if out != "" || errOut != "\nAn error occurred (InvalidRequestException) when calling the CreatePipeline operation: limit exceeded\n" {
			t.Errorf("stdout %q stderr %q", out, errOut)
		}
		wantExit(t, code, errOut, exitClientService)
	})
	t.Run("ErrServiceRetried", func(t *testing.T) {
		clientEnv(t)
		t.Setenv("AWS_MAX_ATTEMPTS", "2")
		t.Setenv("AWS_RETRY_MODE", "standard")
		f := newFakeAWS(t)
		f.override("CreatePipeline", 400, `{"__type":"ThrottlingException","message":"slow down"}`)
		code, _, errOut := runAgainst(t, f, "create-pipeline", "--name", "n", "--unique-id", "u")
		wantExit(t, code, errOut, exitClientService, "An error occurred (ThrottlingException) when calling the CreatePipeline operation (reached max retries: 1): slow down")
	})
}

func TestMain_DescribePipelines(t *testing.T) {
	t.Run("OKJSONList", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "describe-pipelines", "--pipeline-ids", `["df-1","df-2"]`)
		if code != exitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		if ids := anyStrings(lastBody(t, f, "DescribePipelines")["pipelineIds"]); !reflect.DeepEqual(ids, []string{"df-1", "df-2"}) {
			t.Errorf("ids %v", ids)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "describe-pipelines", "--pipeline-ids", "df-missing")
		wantExit(t, code, errOut, exitClientService, "An error occurred (PipelineNotFoundException) when calling the DescribePipelines operation: Pipeline df-missing does not exist.")
	})
}

func TestMain_DeletePipeline(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		if code, out, errOut := runAgainst(t, f, "delete-pipeline", "--pipeline-id", "df-1"); code != exitOK || out != "" {
			t.Errorf("exit %d %q %s", code, out, errOut)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "delete-pipeline", "--pipeline-id", "df-missing")
		wantExit(t, code, errOut, exitClientService, "(PipelineNotFoundException) when calling the DeletePipeline operation")
	})
}

func TestMain_PutPipelineDefinition(t *testing.T) {
	const def = "file://testdata/client/input/def.json"
	t.Run("OKValuesOverrideFile", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "put-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-definition", def,
			"--parameter-values-uri", "file://testdata/client/input/vals.json")
		if code != exitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		vals := lastBody(t, f, "PutPipelineDefinition")["parameterValues"].([]any)
		if len(vals) != 3 || vals[0].(map[string]any)["stringValue"] != "v1" {
			t.Errorf("values %v", vals)
		}
	})
	t.Run("ErrBothValueOptions", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "put-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-definition", def,
			"--parameter-values", "a=1", "--parameter-values-uri", "file://testdata/client/input/vals.json")
		wantExit(t, code, errOut, exitClientUsage, "\nOnly parameter-values or parameter-values-uri is allowed\n")
	})
	t.Run("ErrInlineFormat", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "put-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-definition", def, "--parameter-values", "a")
		wantExit(t, code, errOut, exitClientUsage, "Error in parameter: Invalid inline parameter format: a")
	})
	t.Run("ErrNoObjects", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "put-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-definition", "file://testdata/client/input/params.json")
		wantExit(t, code, errOut, exitClientUsage, `Error in pipeline definition: Missing "objects" key`)
	})
	t.Run("ErrNoFile", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "put-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-definition", "file://testdata/nope.json")
		wantExit(t, code, errOut, exitClientUsage, "Error parsing parameter '--pipeline-definition': Unable to load paramfile file://testdata/nope.json")
	})
	t.Run("ErrSyntax", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "put-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-definition", `{"objects": [}`)
		wantExit(t, code, errOut, exitClientUsage, "Error parsing parameter '--pipeline-definition': --pipeline-definition:1:")
	})
}

func TestMain_GetPipelineDefinition(t *testing.T) {
	t.Run("OKText", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, out, errOut := runAgainst(t, f, "get-pipeline-definition", "--pipeline-id", "df-1", "--output", "text")
		// The aws CLI's text formatter fails on lists mixing strings and
		// {"ref"} objects; datapipe prints them.
		if code != exitOK || !strings.Contains(out, "SCHEDULE\tSched\nOBJECTS\t\t\tSched\tEvery day\t1 day") || !strings.Contains(out, "STEP\tDefault\n") {
			t.Errorf("exit %d\n%s%s", code, out, errOut)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "get-pipeline-definition", "--pipeline-id", "df-missing")
		wantExit(t, code, errOut, exitClientService, "GetPipelineDefinition operation")
	})
}

func TestMain_ValidatePipelineDefinition(t *testing.T) {
	t.Run("OKWireObject", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "validate-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-objects",
			`{"pipelineObjects":[{"id":"a","name":"a","fields":[]}],"parameterValues":[{"id":"myA","stringValue":"1"}]}`)
		if code != exitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		body := lastBody(t, f, "ValidatePipelineDefinition")
		if len(body["pipelineObjects"].([]any)) != 1 || len(body["parameterValues"].([]any)) != 1 {
			t.Errorf("body %v", body)
		}
	})
	t.Run("ErrMissingName", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "validate-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-objects", `[{"id":"a","fields":[]}]`)
		wantExit(t, code, errOut, exitClientUsage, "Parameter validation failed:", "PipelineObjects[0].Name")
	})
	t.Run("ErrUnknownMember", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "validate-pipeline-definition", "--pipeline-id", "df-1", "--pipeline-objects", `[{"id":"a","name":"a","fields":[],"bogus":1}]`)
		wantExit(t, code, errOut, exitClientUsage, `unknown field "bogus"`)
	})
}

func TestMain_ActivatePipeline(t *testing.T) {
	t.Run("OKEpochTimestamp", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		if code, _, errOut := runAgainst(t, f, "activate-pipeline", "--pipeline-id", "df-1", "--start-timestamp", "1704164645"); code != exitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		if ts := lastBody(t, f, "ActivatePipeline")["startTimestamp"]; ts != 1704164645.0 {
			t.Errorf("startTimestamp %v", ts)
		}
	})
	t.Run("OKBackfill", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		code, _, errOut := runAgainst(t, f, "activate-pipeline", "--pipeline-id", "df-1",
			"--backfill-from", "2024-01-01T00:00:00Z", "--backfill-to", "2024-01-02T00:00:00Z")
		if code != exitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		body := lastBody(t, f, "ActivatePipeline")
		if body["backfillFrom"] != 1704067200.0 || body["backfillTo"] != 1704153600.0 || body["pipelineId"] != "df-1" {
			t.Errorf("body %v", body)
		}
	})
	t.Run("ErrTimestamp", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "activate-pipeline", "--pipeline-id", "df-1", "--start-timestamp", "yesterday")
		wantExit(t, code, errOut, exitClientUsage, "Invalid timestamp value")
	})
}

func TestMain_QueryObjects(t *testing.T) {
	t.Run("ErrNoPaginateConflict", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "query-objects", "--pipeline-id", "df-1", "--sphere", "INSTANCE", "--no-paginate", "--max-items", "1")
		wantExit(t, code, errOut, exitClientUsage, "Cannot specify --no-paginate along with pagination arguments: --max-items")
	})
	t.Run("ErrStartingToken", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "query-objects", "--pipeline-id", "df-1", "--sphere", "INSTANCE", "--starting-token", "!!")
		wantExit(t, code, errOut, exitClientUsage, "Bad starting token: !!")
	})
	t.Run("ErrPageSize", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "query-objects", "--pipeline-id", "df-1", "--sphere", "INSTANCE", "--page-size", "x")
		wantExit(t, code, errOut, exitClientUsage, "argument --page-size: invalid positive int value")
	})
	t.Run("ErrRepeatedMarker", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		f.override("QueryObjects", 200, `{"ids":["a"],"marker":"same","hasMoreResults":true}`)
		code, _, errOut := runAgainst(t, f, "query-objects", "--pipeline-id", "df-1", "--sphere", "INSTANCE")
		wantExit(t, code, errOut, exitClientOther, "The same next token was received twice: {'marker': 'same'}")
	})
}

func TestMain_ListRuns(t *testing.T) {
	t.Run("OKDefaultInterval", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		if code, _, errOut := runAgainst(t, f, "list-runs", "--pipeline-id", "df-1"); code != exitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		sel := lastBody(t, f, "QueryObjects")["query"].(map[string]any)["selectors"].([]any)
		op := sel[0].(map[string]any)["operator"].(map[string]any)
		vals := anyStrings(op["values"])
		if len(sel) != 1 || op["type"] != "BETWEEN" || len(vals) != 2 || !regexpMatch(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`, vals[0]) {
			t.Errorf("selectors %v", sel)
		}
	})
	t.Run("ErrStatus", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "list-runs", "--pipeline-id", "df-1", "--status", "RUNNING")
		wantExit(t, code, errOut, exitClientUsage, "Invalid status: RUNNING, must be one of: waiting, pending, cancelled,")
	})
	t.Run("ErrInterval", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "list-runs", "--pipeline-id", "df-1", "--start-interval", "2024-01-01T00:00:00")
		wantExit(t, code, errOut, exitClientUsage, "'--start-interval': expected two comma-separated times")
	})
	t.Run("ErrMissingComponentParent", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		f.override("DescribeObjects", 200, `{"pipelineObjects":[{"id":"@X_1","name":"@X_1","fields":[]}],"hasMoreResults":false}`)
		code, out, errOut := runAgainst(t, f, "list-runs", "--pipeline-id", "df-1")
		wantExit(t, code, errOut, exitClientOther, "'@componentParent'")
		if !strings.HasPrefix(out, "       Name") {
			t.Errorf("stdout %q", out)
		}
	})
}

func TestMain_ClientConfig(t *testing.T) {
	t.Run("OKLoopbackDummyCredentials", func(t *testing.T) {
		clientEnv(t)
		t.Setenv("AWS_ACCESS_KEY_ID", "")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "")
		f := newFakeAWS(t)
		if code, _, errOut := runAgainst(t, f, "list-pipelines"); code != exitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		if auth := f.received()[0].auth; !strings.Contains(auth, "Credential="+localAccessKey+"/") || !strings.Contains(auth, "/us-east-1/datapipeline/") {
			t.Errorf("Authorization %q", auth)
		}
	})
	t.Run("OKNoSignRequest", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		if code, _, errOut := runAgainst(t, f, "list-pipelines", "--no-sign-request", "--region", "eu-west-1"); code != exitOK {
			t.Fatalf("exit %d %s", code, errOut)
		}
		if auth := f.received()[0].auth; auth != "" {
			t.Errorf("Authorization %q", auth)
		}
	})
	t.Run("OKHelp", func(t *testing.T) {
		code, out, _ := run(t, "list-runs", "help")
		if code != exitOK || !strings.Contains(out, "usage: datapipe list-runs --pipeline-id <value> [--status <value>]") {
			t.Errorf("exit %d %s", code, out)
		}
	})
	t.Run("ErrNoCredentials", func(t *testing.T) {
		clientEnv(t)
		t.Setenv("AWS_ACCESS_KEY_ID", "")
		code, _, errOut := run(t, "list-pipelines", "--endpoint-url", "http://datapipe.example.com")
		wantExit(t, code, errOut, exitClientConfig, "Unable to locate credentials")
	})
	t.Run("ErrProfile", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "list-pipelines", "--profile", "nope", "--endpoint-url", "http://localhost:1")
		wantExit(t, code, errOut, exitClientConfig, "The config profile (nope) could not be found")
	})
	t.Run("ErrEndpoint", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "list-pipelines", "--endpoint-url", "localhost:8080")
		wantExit(t, code, errOut, exitClientUsage, `Bad value for --endpoint-url "localhost:8080": scheme is missing.`)
	})
	t.Run("ErrConnect", func(t *testing.T) {
		clientEnv(t)
		f := newFakeAWS(t)
		url := f.URL
		f.Close()
		code, _, errOut := run(t, "list-pipelines", "--endpoint-url", url)
		wantExit(t, code, errOut, exitClientOther, `Could not connect to the endpoint URL: "`+url+`/"`)
	})
	t.Run("ErrOutput", func(t *testing.T) {
		clientEnv(t)
		code, _, errOut := run(t, "list-pipelines", "--output", "yaml")
		wantExit(t, code, errOut, exitClientUsage, `argument --output: Invalid choice "yaml"`)
	})
}
