package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
)

// dataConfig writes a --config file whose aws section points at the
// test servers.
func dataConfig(t *testing.T) string {
	t.Helper()
	a := dt.AWS(t)
	path := filepath.Join(t.TempDir(), "datapipe.yaml")
	writeFile(t, path, fmt.Sprintf("aws:\n  region: us-east-1\n  s3ForcePathStyle: true\n  accessKeyId: %s\n  secretAccessKey: %s\n"+
		"  endpoints:\n    s3: %s\n    dynamodb: %s\n", a.AccessKeyID, a.SecretAccessKey, a.Endpoints["s3"], a.Endpoints["dynamodb"]))
	return path
}

// dataPipeline copies s3://bucket/in (CSV, guarded by S3PrefixNotEmpty)
// into PostgreSQL with COPY, then the table (transformed by the node's
// selectQuery) back to s3://bucket/out/result.csv, logging to
// s3://bucket/logs/.
const dataPipeline = `{"objects":[
 {"id":"Default","scheduleType":"ondemand","workerGroup":"wg-data","pipelineLogUri":"s3://%[1]s/logs/","maximumRetries":"0"},
 {"id":"Csv","type":"CSV","column":["id INT","name STRING","amount DOUBLE"]},
 {"id":"Db","type":"JdbcDatabase","connectionString":"%[2]s","jdbcDriverClass":"org.postgresql.Driver","username":"%[3]s","*password":"%[4]s"},
 {"id":"InputReady","type":"S3PrefixNotEmpty","s3Prefix":"s3://%[1]s/in/","role":"DataPipelineDefaultRole"},
 {"id":"Input","type":"S3DataNode","directoryPath":"s3://%[1]s/in","dataFormat":{"ref":"Csv"},"precondition":{"ref":"InputReady"}},
 {"id":"Sales","type":"SqlDataNode","database":{"ref":"Db"},"table":"sales",
  "createTableSql":"CREATE TABLE sales (id INT PRIMARY KEY, name TEXT, amount NUMERIC)",
  "selectQuery":"SELECT id, upper(name) AS name, amount * 2 AS amount FROM sales ORDER BY id"},
 {"id":"Load","type":"CopyActivity","input":{"ref":"Input"},"output":{"ref":"Sales"}},
 {"id":"Output","type":"S3DataNode","filePath":"s3://%[1]s/out/result.csv"},
 {"id":"Unload","type":"CopyActivity","input":{"ref":"Sales"},"output":{"ref":"Output"}}
]}`

func TestRun_DataCopy(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	pg := dt.NewPostgres(t)
	dt.Put(t, c, bucket, "in/part-1.csv", "1,alpha,1.5\n2,\"be,ta\",2\n")
	dt.Put(t, c, bucket, "in/part-2.csv", "3,gamma,")
	jdbc, _ := pg.DB.StringValue("connectionString")
	user, _ := pg.DB.StringValue("username")
	pass, _ := pg.DB.StringValue("*password")
	if pass == "" {
		pass = "unused" // the test server trusts loopback connections
	}
	def := writeDef(t, fmt.Sprintf(dataPipeline, bucket, jdbc, user, pass))
	code, out, errOut := runMain(t, def, "--config", dataConfig(t), "--timeout", "120s")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if got := pg.Rows(t, "SELECT * FROM sales ORDER BY id"); !slices.Equal(got, []string{"1,alpha,1.5", "2,be,ta,2", `3,gamma,\N`}) {
		t.Errorf("sales = %q", got)
	}
	got, _ := dt.Get(t, c, bucket, "out/result.csv")
	if want := "1,ALPHA,3.0\n2,\"BE,TA\",4\n3,GAMMA,\n"; got != want {
		t.Errorf("result.csv = %q; want %q", got, want)
	}
	logs := strings.Join(dt.Keys(t, c, bucket, "logs/"), "\n")
	if !strings.Contains(logs, "/Load/") || !strings.Contains(logs, "/Activity.log") {
		t.Errorf("uploaded logs:\n%s", logs)
	}
}
