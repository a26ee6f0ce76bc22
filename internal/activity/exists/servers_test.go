package exists_test

import (
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/activity/exists"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Exists on S3, SQL and DynamoDB nodes, against the real servers.
func TestExecutor_Execute_Servers(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	dt.Put(t, c, bucket, "dir/part-0", "x")
	pg := dt.NewPostgres(t)
	pg.Exec(t, "CREATE TABLE here (id INT)")
	ddb := dt.DynamoDB(t, dt.OtherRegion)
	table := dt.Table(t, ddb)
	for _, tc := range []struct {
		name string
		node pipeline.Object
		want activity.Outcome
	}{
		{"OKS3File", dt.Obj("N", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/dir/part-0")), activity.Finished},
		{"OKS3FileMissing", dt.Obj("N", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/dir/part-1")), activity.False},
		{"OKS3Prefix", dt.Obj("N", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/dir")), activity.Finished},
		{"OKS3PrefixEmpty", dt.Obj("N", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/none")), activity.False},
		{"OKS3MissingBucket", dt.Obj("N", "S3DataNode", dt.Str("filePath", "s3://dp-no-such-bucket-e/k")), activity.False},
		{"OKSqlTable", dt.Obj("N", "SqlDataNode", dt.Ref("database", "Db"), dt.Str("table", "here")), activity.Finished},
		{"OKSqlTableMissing", dt.Obj("N", "SqlDataNode", dt.Ref("database", "Db"), dt.Str("table", "gone")), activity.False},
		{"OKDynamoDBTable", dt.Obj("N", "DynamoDBDataNode", dt.Str("tableName", table), dt.Str("region", dt.OtherRegion)), activity.Finished},
		{"OKDynamoDBTableOtherRegion", dt.Obj("N", "DynamoDBDataNode", dt.Str("tableName", table)), activity.False},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := dt.Task(t, []pipeline.Field{dt.Str("type", "Exists"), dt.Ref("node", "N")}, tc.node, pg.DB)
			env, _ := dt.NewEnv()
			got, err := exists.New(dt.Opener(t)).Execute(dt.Context(), tk, env)
			if err != nil || got != tc.want {
				t.Fatalf("Execute = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
	t.Run("ErrWrongCredentials", func(t *testing.T) {
		aws := dt.AWS(t)
		aws.SecretAccessKey = "wrong"
		open := data.New(data.Config{AWS: awsclient.New(awsclient.Config{AWS: aws})})
		tk := dt.Task(t, []pipeline.Field{dt.Str("type", "Exists"), dt.Ref("node", "N")}, dt.Obj("N", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/dir/part-0")))
		env, _ := dt.NewEnv()
		_, err := exists.New(open).Execute(dt.Context(), tk, env)
		dt.WantID(t, err, data.IDAccessDenied)
	})
}
