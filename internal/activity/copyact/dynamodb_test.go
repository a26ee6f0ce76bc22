package copyact_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity/data"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
)

func TestExecutor_Execute_DynamoDB(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	home, away := dt.DynamoDB(t, ""), dt.DynamoDB(t, dt.OtherRegion)
	src, dst := dt.Table(t, home), dt.Table(t, away)
	dt.PutItems(t, home, src, map[string]string{"id": "a", "v": "1"}, map[string]string{"id": "b", "w": "x,y"})
	t.Run("OKTableToS3ToTableInOtherRegion", func(t *testing.T) {
		in := dt.Obj("Src", "DynamoDBDataNode", dt.Str("tableName", src))
		mid := s3Node("Mid", "directoryPath", "s3://"+bucket+"/export")
		if _, err := run(t, copyTask(t, in, mid)); err != nil {
			t.Fatal(err)
		}
		got, _ := dt.Get(t, c, bucket, "export/part-00000.json")
		if !strings.Contains(got, `{"id":{"s":"a"},"v":{"s":"1"}}`) || strings.Count(got, "\n") != 2 {
			t.Fatalf("export = %q", got)
		}
		out := dt.Obj("Dst", "DynamoDBDataNode", dt.Str("tableName", dst), dt.Str("region", dt.OtherRegion))
		if _, err := run(t, copyTask(t, mid, out)); err != nil {
			t.Fatal(err)
		}
		want := []map[string]string{{"id": "a", "v": "1"}, {"id": "b", "w": "x,y"}}
		if items := dt.Items(t, away, dst); !reflect.DeepEqual(items, want) {
			t.Errorf("items %v; want %v", items, want)
		}
	})
	t.Run("OKCSVWithColumnsToTable", func(t *testing.T) {
		dt.Put(t, c, bucket, "csv/x.csv", "c,3\n")
		in := s3Node("In", "filePath", "s3://"+bucket+"/csv/x.csv", dt.Ref("dataFormat", "Csv"))
		csv := dt.Obj("Csv", "CSV", dt.Str("column", "id STRING"), dt.Str("column", "n INT"))
		out := dt.Obj("Dst", "DynamoDBDataNode", dt.Str("tableName", src))
		if _, err := run(t, copyTask(t, in, out, csv)); err != nil {
			t.Fatal(err)
		}
		if items := dt.Items(t, home, src); len(items) != 3 || items[2]["n"] != "N:3" {
			t.Errorf("items %v", items)
		}
	})
	t.Run("ErrMissingTable", func(t *testing.T) {
		in := dt.Obj("Src", "DynamoDBDataNode", dt.Str("tableName", "dp-no-such-table"))
		_, err := run(t, copyTask(t, in, s3Node("Mid", "directoryPath", "s3://"+bucket+"/never")))
		dt.WantID(t, err, data.IDNotFound)
		if !strings.Contains(err.Error(), "DynamoDBDataNode Src") || !strings.Contains(err.Error(), "dp-no-such-table") {
			t.Errorf("err = %v", err)
		}
		if keys := dt.Keys(t, c, bucket, "never/"); len(keys) != 0 {
			t.Errorf("keys %v written", keys)
		}
	})
	t.Run("ErrMalformedItemNamesRow", func(t *testing.T) {
		dt.Put(t, c, bucket, "badjson/x.json", `{"id":{"s":"z"}}`+"\n{not json\n")
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/badjson")
		out := dt.Obj("Dst", "DynamoDBDataNode", dt.Str("tableName", dst), dt.Str("region", dt.OtherRegion))
		_, err := run(t, copyTask(t, in, out))
		dt.WantID(t, err, data.IDMalformed)
		if !strings.Contains(err.Error(), "badjson/x.json row 2") {
			t.Errorf("err = %v", err)
		}
	})
}
