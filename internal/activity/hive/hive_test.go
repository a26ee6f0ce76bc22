package hive_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/activity/hive"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// hiveTask is a HiveCopyActivity task from in to out.
func hiveTask(t *testing.T, in, out pipeline.Object, filter string, more ...pipeline.Object) *activity.Task {
	fields := []pipeline.Field{dt.Str("type", "HiveCopyActivity"), dt.Ref("@componentParent", "Copy"), dt.Ref("input", in.ID), dt.Ref("output", out.ID)}
	if filter != "" {
		fields = append(fields, dt.Str("filterSql", filter))
	}
	return dt.Task(t, fields, append([]pipeline.Object{in, out}, more...)...)
}

// run executes tk.
func run(t *testing.T, tk *activity.Task) (string, error) {
	t.Helper()
	env, log := dt.NewEnv()
	_, err := hive.New(dt.Opener(t)).Execute(dt.Context(), tk, env)
	return log.String(), err
}

func TestExecutor_Execute(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	home, away := dt.DynamoDB(t, ""), dt.DynamoDB(t, dt.OtherRegion)
	src, dst := dt.Table(t, home), dt.Table(t, away)
	dt.PutItems(t, home, src, map[string]string{"id": "a", "kind": "keep", "x": "1"}, map[string]string{"id": "b", "kind": "drop"},
		map[string]string{"id": "c", "kind": "keep", "x": "3"})
	dt.Put(t, c, bucket, "in/part-0", `{"id":{"s":"n1"},"score":{"n":"5"},"extra":{"s":"e"}}`+"\n"+`{"id":{"s":"n2"},"score":{"n":"50"}}`+"\n")
	export := dt.Obj("Export", "DynamoDBExportDataFormat", dt.Str("column", "id string"), dt.Str("column", "score bigint"))
	t.Run("OKDynamoDBToS3Filtered", func(t *testing.T) {
		in := dt.Obj("Src", "DynamoDBDataNode", dt.Str("tableName", src))
		out := dt.Obj("Out", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/out"))
		log, err := run(t, hiveTask(t, in, out, "kind = 'keep' AND x IS NOT NULL"))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := dt.Get(t, c, bucket, "out/part-00000.json")
		want := `{"id":{"s":"a"},"kind":{"s":"keep"},"x":{"s":"1"}}` + "\n" + `{"id":{"s":"c"},"kind":{"s":"keep"},"x":{"s":"3"}}` + "\n"
		if sorted(got) != sorted(want) || !strings.Contains(log, "copied 2 of 3 items") {
			t.Errorf("out = %q; log %q", got, log)
		}
	})
	t.Run("OKS3ToDynamoDBProjected", func(t *testing.T) {
		in := dt.Obj("In", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/in"), dt.Ref("dataFormat", "Export"))
		out := dt.Obj("Dst", "DynamoDBDataNode", dt.Str("tableName", dst), dt.Str("region", dt.OtherRegion), dt.Ref("dataFormat", "Export"))
		if _, err := run(t, hiveTask(t, in, out, "score < 10", export)); err != nil {
			t.Fatal(err)
		}
		if got, want := dt.Items(t, away, dst), []map[string]string{{"id": "n1", "score": "N:5"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("items %v; want %v", got, want)
		}
	})
	t.Run("OKDynamoDBToDynamoDB", func(t *testing.T) {
		in := dt.Obj("Src", "DynamoDBDataNode", dt.Str("tableName", src))
		out := dt.Obj("Dst", "DynamoDBDataNode", dt.Str("tableName", dst), dt.Str("region", dt.OtherRegion))
		if _, err := run(t, hiveTask(t, in, out, "id IN ('b')")); err != nil {
			t.Fatal(err)
		}
		if got := dt.Items(t, away, dst); len(got) != 2 || got[0]["id"] != "b" {
			t.Errorf("items %v", got)
		}
	})
	for _, tc := range []struct {
		name    string
		in, out pipeline.Object
		filter  string
		want    string
	}{
		{"ErrBadFilter", dt.Obj("Src", "DynamoDBDataNode", dt.Str("tableName", src)), dt.Obj("Dst", "DynamoDBDataNode", dt.Str("tableName", dst)), "count(*) > 1", "filterSql"},
		{"ErrS3ToS3", dt.Obj("In", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/in")), dt.Obj("Out", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/o")), "", "must be a DynamoDBDataNode"},
		{"ErrMissingTable", dt.Obj("Src", "DynamoDBDataNode", dt.Str("tableName", "dp-none")), dt.Obj("Out", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/o")), "", "DynamoDBDataNode Src"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, hiveTask(t, tc.in, tc.out, tc.filter))
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "HiveCopyActivity Copy") {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
}

// sorted sorts lines, as a scan returns items in any order.
func sorted(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
