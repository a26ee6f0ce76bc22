package emr_test

import (
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity/emr"
)

// The steps of the shared samples, as the service hands them over once
// their expressions are evaluated.
const (
	sampleExport = "s3://dynamodb-emr-us-east-1/emr-ddb-storage-handler/2.1.0/emr-ddb-2.1.0.jar,org.apache.hadoop.dynamodb.tools.DynamoDbExport,s3://bucket/tmp/2024-01-01-00-00-00,Source,0.25"
	sampleImport = "s3://dynamodb-emr-eu-west-1/emr-ddb-storage-handler/2.1.0/emr-ddb-2.1.0.jar,org.apache.hadoop.dynamodb.tools.DynamoDbImport,s3://bucket/tmp/2024-01-01-00-00-00,Dest,0.5"
)

func TestParseStep(t *testing.T) {
	for _, tc := range []struct {
		name   string
		raw    string
		tool   emr.Tool
		params []string
	}{
		{"OKExport", sampleExport, emr.Export, []string{"s3://bucket/tmp/2024-01-01-00-00-00", "Source", "0.25"}},
		{"OKImport", sampleImport, emr.Import, []string{"s3://bucket/tmp/2024-01-01-00-00-00", "Dest", "0.5"}},
		{"OKConnectorSpelling", "/usr/share/aws/emr/ddb/lib/emr-dynamodb-tools.jar,org.apache.hadoop.dynamodb.tools.DynamoDBExport,s3://b/x,T", emr.Export, []string{"s3://b/x", "T"}},
		{"OKGenericOptions", "x.jar,org.apache.hadoop.dynamodb.tools.DynamoDbExport,-D,mapred.output.compress=true,-Dk=v,s3://b/x,T", emr.Export, []string{"s3://b/x", "T"}},
		{"OKEscapedComma", `x.jar,org.apache.hadoop.dynamodb.tools.DynamoDbImport,s3://b/a\,b,T`, emr.Import, []string{"s3://b/a,b", "T"}},
		{"OKUnknown", "s3://elasticmapreduce/libs/script-runner/script-runner.jar,s3://b/run.sh,x", emr.Unknown, nil},
		{"OKSpark", "command-runner.jar,spark-submit,--class,org.apache.spark.examples.SparkPi", emr.Unknown, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := emr.ParseStep(1, tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if s.Tool != tc.tool || strings.Join(s.Params, "|") != strings.Join(tc.params, "|") {
				t.Fatalf("ParseStep = tool %v params %q; want %v %q", s.Tool, s.Params, tc.tool, tc.params)
			}
		})
	}
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := emr.ParseStep(2, " "); err == nil || !strings.Contains(err.Error(), "step 2 is empty") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrBadGenericOption", func(t *testing.T) {
		if _, err := emr.ParseStep(1, "x.jar,org.apache.hadoop.dynamodb.tools.DynamoDbExport,-Dnovalue,s3://b/x,T"); err == nil {
			t.Fatal("want an error")
		}
	})
}

func TestStep_Export(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      emr.ExportArgs
		wantErr   string
	}{
		{"OK", sampleExport, emr.ExportArgs{Path: "s3://bucket/tmp/2024-01-01-00-00-00", Table: "Source", Ratio: 0.25}, ""},
		{"OKSegments", "j,org.apache.hadoop.dynamodb.tools.DynamoDbExport,s3://b/x,T,1.0,8", emr.ExportArgs{Path: "s3://b/x", Table: "T", Ratio: 1, Segments: 8}, ""},
		{"OKGeneric", "j,org.apache.hadoop.dynamodb.tools.DynamoDbExport,-Ddynamodb.endpoint=x,s3://b/x,T", emr.ExportArgs{Path: "s3://b/x", Table: "T"}, ""},
		{"ErrTooFew", "j,org.apache.hadoop.dynamodb.tools.DynamoDbExport,s3://b/x", emr.ExportArgs{}, "Usage: Export <path> <table-name>"},
		{"ErrRatio", "j,org.apache.hadoop.dynamodb.tools.DynamoDbExport,s3://b/x,T,lots", emr.ExportArgs{}, "could not parse read ratio (value: lots)"},
		{"ErrSegments", "j,org.apache.hadoop.dynamodb.tools.DynamoDbExport,s3://b/x,T,0.5,0", emr.ExportArgs{}, "could not parse segment count (value: 0)"},
		{"ErrEmptyTable", "j,org.apache.hadoop.dynamodb.tools.DynamoDbExport,s3://b/x, ", emr.ExportArgs{}, "table name (argument 2) is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := emr.ParseStep(1, tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Export()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "step 1 (DynamoDbExport)") {
					t.Fatalf("err = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Export() = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestStep_Import(t *testing.T) {
	s, err := emr.ParseStep(1, sampleImport)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := s.Import()
		if want := (emr.ImportArgs{Path: "s3://bucket/tmp/2024-01-01-00-00-00", Table: "Dest", Ratio: 0.5}); err != nil || got != want {
			t.Fatalf("Import() = %+v, %v; want %+v", got, err, want)
		}
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		s, _ := emr.ParseStep(1, sampleImport+",4")
		if _, err := s.Import(); err == nil || !strings.Contains(err.Error(), "Usage: Import") {
			t.Fatalf("err = %v", err)
		}
	})
}
