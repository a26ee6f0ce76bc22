package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

const samples = "../../testdata/samples/aws-samples/"

// run runs the real Main with args and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	m := NewMain(strings.NewReader(""), &stdout, &stderr)
	defer m.Close()
	code := m.Run(context.Background(), args)
	return code, stdout.String(), stderr.String()
}

func TestMain_Validate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		code, out, errOut := run(t, "validate", "../../examples/hello.json")
		if code != exitOK || !strings.Contains(out, "hello.json: valid (0 errors") {
			t.Errorf("code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
	})
	t.Run("OKParameterValues", func(t *testing.T) {
		code, out, _ := run(t, "validate", samples+"helloworld__helloworld.json", "--parameter-values", "myS3LogsPath=s3://bucket/logs")
		if code != exitOK {
			t.Errorf("code %d\n%s", code, out)
		}
	})
	t.Run("OKSeparateFiles", func(t *testing.T) {
		code, out, _ := run(t, "validate", samples+"oracle-backup__definition.json",
			"--parameter-objects", "file://"+samples+"oracle-backup__parameters.json",
			"--parameter-values", "myBackupLocation=s3://b/backup", "myOracleDriverLocation=s3://b/ojdbc.jar",
			"myOracleHost=db", "myOraclePort=1521", "myOracleDatabase=ORCL", "myOracleUser=scott",
			"myOraclePassword=tiger", "myOracleTable=emp", "myTerminateAfter=2 Hours", "myPipelineLogUri=s3://b/logs")
		if code != exitOK {
			t.Errorf("code %d\n%s", code, out)
		}
		code, out, _ = run(t, "validate", samples+"dynamo-db-export__DynamoDB-export.json",
			"--parameter-values-uri", "file://"+samples+"dynamo-db-export__example-parameters.json")
		if code != exitOK {
			t.Errorf("code %d\n%s", code, out)
		}
		code, out, _ = run(t, "validate", samples+"dynamo-db-export__DynamoDB-export.json", samples+"dynamo-db-export__example-parameters.json")
		if code != exitOK {
			t.Errorf("values file as a positional argument: code %d\n%s", code, out)
		}
	})
	t.Run("OKLenient", func(t *testing.T) {
		code, out, _ := run(t, "validate", "--lenient", samples+"OnDemandWithLamdaFunctions__ondemand.json", "--parameter-values", "myS3LogsPath=s3://b/l")
		if code != exitOK || !strings.Contains(out, "note: accepted") {
			t.Errorf("code %d\n%s", code, out)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		code, out, _ := run(t, "validate", samples+"kinesis__kinesis-to-s3.json", "--parameter-values", "myS3LogsPath=s3://l", "myS3Output=s3://o")
		if code != exitInvalid || !strings.Contains(out, "kinesis__kinesis-to-s3.json:") ||
			!strings.Contains(out, "DefaultSchedule: INVALID_FIELD_VALUE: 'period'") {
			t.Errorf("code %d\n%s", code, out)
		}
	})
	t.Run("ErrInvalidJSON", func(t *testing.T) {
		code, out, _ := run(t, "validate", "--output", "json", samples+"kinesis__kinesis-to-s3.json", "--parameter-values", "myS3LogsPath=s3://l", "myS3Output=s3://o")
		var got struct {
			Errored          bool `json:"errored"`
			ValidationErrors []struct {
				ID     string   `json:"id"`
				Errors []string `json:"errors"`
			} `json:"validationErrors"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if code != exitInvalid || !got.Errored || len(got.ValidationErrors) == 0 || got.ValidationErrors[0].ID != "DefaultSchedule" {
			t.Errorf("code %d\n%s", code, out)
		}
	})
	t.Run("ErrStrictJSON", func(t *testing.T) {
		code, _, errOut := run(t, "validate", samples+"ShellCommandWithFTP__pipeline.json")
		if code != exitUsage || !regexpMatch(`ShellCommandWithFTP__pipeline.json:\d+:\d+:`, errOut) {
			t.Errorf("code %d\n%s", code, errOut)
		}
	})
	t.Run("ErrMissingFile", func(t *testing.T) {
		code, _, errOut := run(t, "validate", filepath.Join(t.TempDir(), "nope.json"))
		if code != exitUsage || !strings.Contains(errOut, "nope.json") {
			t.Errorf("code %d\n%s", code, errOut)
		}
	})
	t.Run("ErrMaxObjects", func(t *testing.T) {
		code, out, _ := run(t, "validate", "--max-objects", "2", "../../examples/hello.json")
		if code != exitInvalid || !strings.Contains(out, "limit is 2") {
			t.Errorf("code %d\n%s", code, out)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		if code, _, _ := run(t, "validate"); code != exitUsage {
			t.Errorf("code %d", code)
		}
		if code, _, _ := run(t, "validate", "--bogus", "x", "f.json"); code != exitUsage {
			t.Errorf("code %d", code)
		}
	})
}

func TestMain_Run(t *testing.T) {
	if code, _, _ := run(t); code != exitUsage {
		t.Errorf("no args: code %d", code)
	}
	if code, _, errOut := run(t, "frobnicate"); code != exitUsage || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown: code %d %s", code, errOut)
	}
	if code, out, _ := run(t, "version"); code != exitOK || !strings.Contains(out, "datapipe") {
		t.Errorf("version: code %d %s", code, out)
	}
}
