package precondition_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/activity/precondition"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// check runs executor e on a precondition attempt of type typ.
func check(t *testing.T, e activity.Executor, typ string, fields []pipeline.Field, objs ...pipeline.Object) (activity.Outcome, error) {
	t.Helper()
	fields = append([]pipeline.Field{dt.Str("type", typ), dt.Ref("@componentParent", "Ready")}, fields...)
	env, _ := dt.NewEnv()
	return e.Execute(dt.Context(), dt.Task(t, fields, objs...), env)
}

// want checks an outcome, or an error id when id is not "".
func want(t *testing.T, got activity.Outcome, err error, out activity.Outcome, id string) {
	t.Helper()
	if id != "" {
		dt.WantID(t, err, id)
		return
	}
	if err != nil || got != out {
		t.Fatalf("Execute = %v, %v; want %v", got, err, out)
	}
}

func TestS3(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	dt.Put(t, c, bucket, "logs/2024-01.csv", "x")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	open := dt.Opener(t)
	aws := dt.AWS(t)
	aws.SecretAccessKey = "wrong"
	badCreds := data.New(data.Config{AWS: awsclient.New(awsclient.Config{AWS: aws})})
	for _, tc := range []struct {
		name, typ, key, value string
		open                  *data.Opener
		out                   activity.Outcome
		id                    string
	}{
		{"OKKey", "S3KeyExists", "s3Key", "s3://" + bucket + "/logs/2024-01.csv", open, activity.Finished, ""},
		{"OKKeyMissing", "S3KeyExists", "s3Key", "s3://" + bucket + "/logs/2024-02.csv", open, activity.False, ""},
		{"OKKeyMissingBucket", "S3KeyExists", "s3Key", "s3://dp-no-such-bucket-p/k", open, activity.False, ""},
		{"OKKeyLocal", "S3KeyExists", "s3Key", "file://" + filepath.Join(dir, "f"), open, activity.Finished, ""},
		{"OKPrefix", "S3PrefixNotEmpty", "s3Prefix", "s3://" + bucket + "/logs/2024-", open, activity.Finished, ""},
		{"OKPrefixEmpty", "S3PrefixNotEmpty", "s3Prefix", "s3://" + bucket + "/logs/2025-", open, activity.False, ""},
		{"OKPrefixMissingBucket", "S3PrefixNotEmpty", "s3Prefix", "s3://dp-no-such-bucket-p/x", open, activity.False, ""},
		{"OKPrefixLocal", "S3PrefixNotEmpty", "s3Prefix", dir, open, activity.Finished, ""},
		{"ErrKeyWrongCredentials", "S3KeyExists", "s3Key", "s3://" + bucket + "/logs/2024-01.csv", badCreds, 0, data.IDAccessDenied},
		{"ErrPrefixWrongCredentials", "S3PrefixNotEmpty", "s3Prefix", "s3://" + bucket + "/logs/", badCreds, 0, data.IDAccessDenied},
		{"ErrKeyNotSet", "S3KeyExists", "other", "x", open, 0, activity.IDInvalidTask},
		{"ErrKeyNoObject", "S3KeyExists", "s3Key", "s3://" + bucket + "/", open, 0, data.IDInvalidNode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e activity.Executor = precondition.NewS3KeyExists(tc.open)
			if tc.typ == "S3PrefixNotEmpty" {
				e = precondition.NewS3PrefixNotEmpty(tc.open)
			}
			got, err := check(t, e, tc.typ, []pipeline.Field{dt.Str(tc.key, tc.value)})
			want(t, got, err, tc.out, tc.id)
		})
	}
}

func TestDynamoDB(t *testing.T) {
	home, away := dt.DynamoDB(t, ""), dt.DynamoDB(t, dt.OtherRegion)
	empty, full := dt.Table(t, home), dt.Table(t, away)
	dt.PutItems(t, away, full, map[string]string{"id": "1"})
	open := dt.Opener(t)
	node := dt.Obj("Node", "DynamoDBDataNode", dt.Str("tableName", full), dt.Str("region", dt.OtherRegion))
	for _, tc := range []struct {
		name, typ string
		fields    []pipeline.Field
		out       activity.Outcome
		id        string
	}{
		{"OKTableExists", "DynamoDBTableExists", []pipeline.Field{dt.Str("tableName", empty)}, activity.Finished, ""},
		{"OKTableMissing", "DynamoDBTableExists", []pipeline.Field{dt.Str("tableName", "dp-none")}, activity.False, ""},
		{"OKTableInRegion", "DynamoDBTableExists", []pipeline.Field{dt.Str("tableName", full), dt.Str("region", dt.OtherRegion)}, activity.Finished, ""},
		{"OKTableNotInDefaultRegion", "DynamoDBTableExists", []pipeline.Field{dt.Str("tableName", full)}, activity.False, ""},
		{"OKDataExistsNodeRegion", "DynamoDBDataExists", []pipeline.Field{dt.Str("tableName", full), dt.Ref("node", "Node")}, activity.Finished, ""},
		{"OKDataEmpty", "DynamoDBDataExists", []pipeline.Field{dt.Str("tableName", empty)}, activity.False, ""},
		{"OKDataMissingTable", "DynamoDBDataExists", []pipeline.Field{dt.Str("tableName", "dp-none")}, activity.False, ""},
		{"ErrNoTableName", "DynamoDBDataExists", nil, 0, activity.IDInvalidTask},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e activity.Executor = precondition.NewDynamoDBTableExists(open)
			if tc.typ == "DynamoDBDataExists" {
				e = precondition.NewDynamoDBDataExists(open)
			}
			got, err := check(t, e, tc.typ, tc.fields, node)
			want(t, got, err, tc.out, tc.id)
		})
	}
}

func TestRdsSqlPrecondition(t *testing.T) {
	pg := dt.NewPostgres(t)
	pg.Exec(t, "CREATE TABLE batches (day TEXT, done BOOLEAN)", "INSERT INTO batches VALUES ('2024-01-01', true), ('2024-01-02', false)")
	e := precondition.NewRdsSqlPrecondition(dt.Opener(t))
	for _, tc := range []struct {
		name, query string
		out         activity.Outcome
		id          string
	}{
		{"OKTrue", "SELECT done FROM batches WHERE day = '2024-01-01'", activity.Finished, ""},
		{"OKFalse", "SELECT done FROM batches WHERE day = '2024-01-02'", activity.False, ""},
		{"OKNoRow", "SELECT done FROM batches WHERE day = '2024-01-03'", activity.False, ""},
		{"OKCount", "SELECT count(*) FROM batches", activity.Finished, ""},
		{"OKZero", "SELECT count(*) FROM batches WHERE false", activity.False, ""},
		{"ErrBadQuery", "SELECT nope FROM batches", 0, activity.IDRunnerError},
		{"ErrNoQuery", "", 0, activity.IDInvalidTask},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := check(t, e, "RdsSqlPrecondition", []pipeline.Field{dt.Ref("database", "Db"), dt.Str("query", tc.query)}, pg.DB)
			want(t, got, err, tc.out, tc.id)
		})
	}
}
