package dynamodb_test

import (
	"context"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	"github.com/datapipe/datapipe/internal/datanode/dynamodb"
	"github.com/datapipe/datapipe/internal/datanode/file"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

func TestExport(t *testing.T) {
	c := testClient(t)
	ctx := context.Background()
	src := node(t, c, dynamodb.Config{}, "tableName", newTable(t, c, 10000, 10000))
	items := datanodetest.Rows(0, 250)
	items[3] = append(items[3], format.Field{Name: "tags", Value: format.Value{Kind: format.StringSet, List: []format.Value{format.Str("a"), format.Str("b")}}})
	datanodetest.WriteTable(t, src, datanode.Append, items)

	o, lookup := datanodetest.Node("S3Temp", "directoryPath", t.TempDir()+"/export")
	dir, err := file.New(o, lookup)
	if err != nil {
		t.Fatal(err)
	}
	res, err := dynamodb.Export(ctx, src, dir, dynamodb.ExportOptions{FileItems: 100})
	if err != nil || res.Items != 250 || len(res.Files) != 3 {
		t.Fatalf("Export = %+v, %v", res, err)
	}
	listed, _ := dir.List(ctx)
	if len(listed) != 4 { // three data files and the manifest; _SUCCESS is hidden
		t.Errorf("listed %d files", len(listed))
	}
	raw := string(datanodetest.ReadRaw(t, dir, res.Files[0]))
	if !strings.HasPrefix(raw, `{"id":{"n":"`) {
		t.Errorf("data file starts %q", raw[:min(40, len(raw))])
	}

	dst := node(t, c, dynamodb.Config{}, "tableName", newTable(t, c, 10000, 10000))
	n, err := dynamodb.Import(ctx, dir, dst)
	if err != nil || n != 250 {
		t.Fatalf("Import = %d, %v", n, err)
	}
	got := datanodetest.ReadTable(t, dst)
	if len(got) != 250 {
		t.Fatalf("imported %d items", len(got))
	}
	if v, _ := got[3].Get("tags"); v.Kind != format.StringSet || len(v.List) != 2 {
		t.Errorf("tags = %+v", v)
	}
}
