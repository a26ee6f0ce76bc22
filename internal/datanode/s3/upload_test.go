package s3_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	"github.com/datapipe/datapipe/internal/datanode/s3"
)

func TestUpload_Abort(t *testing.T) {
	c := testClient(t)
	bucket := newBucket(t, c)
	ctx := context.Background()
	o, lookup := datanodetest.Node("Out", "filePath", "s3://"+bucket+"/big.csv")
	n, err := s3.New(o, lookup, c, smallParts)
	if err != nil {
		t.Fatal(err)
	}
	datanodetest.WriteRaw(t, n, "", []byte("old\n"))
	out, err := n.Create(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write(bytes.Repeat([]byte("0123456789abcdef"), 1<<20)); err != nil { // 16 MiB: three parts sent
		t.Fatal(err)
	}
	if err := out.Abort(ctx); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	got, err := c.GetObject(ctx, &awss3.GetObjectInput{Bucket: &bucket, Key: ptr("big.csv")})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	if string(body) != "old\n" {
		t.Errorf("after Abort the object holds %d bytes", len(body))
	}
	ups, err := c.ListMultipartUploads(ctx, &awss3.ListMultipartUploadsInput{Bucket: &bucket})
	if err != nil || len(ups.Uploads) != 0 {
		t.Errorf("uploads left: %v, %v", ups, err)
	}
}

func TestUpload_ErrMissingBucket(t *testing.T) {
	c := testClient(t)
	ctx := context.Background()
	o, lookup := datanodetest.Node("Out", "directoryPath", "s3://dp-no-such-bucket-y/out")
	n, err := s3.New(o, lookup, c, smallParts)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{10, 6 << 20} {
		out, err := n.Create(ctx, "f.csv")
		if err != nil {
			t.Fatal(err)
		}
		_, err = out.Write(bytes.Repeat([]byte("x"), size))
		if err == nil {
			_, err = out.Commit(ctx)
		}
		if !errors.Is(err, datanode.ErrNotFound) || !strings.HasPrefix(err.Error(), "S3DataNode Out: ") || !strings.Contains(err.Error(), "bucket dp-no-such-bucket-y does not exist") {
			t.Errorf("size %d: got %v", size, err)
		}
	}
}

func ptr(s string) *string { return &s }

func TestNode_PutFile(t *testing.T) {
	c := testClient(t)
	other := NewTestClient(os.Getenv("DATAPIPE_TEST_S3_ENDPOINT"), os.Getenv("DATAPIPE_TEST_S3_ACCESS_KEY"), os.Getenv("DATAPIPE_TEST_S3_SECRET_KEY"))
	bucket := newBucket(t, c)
	ctx := context.Background()
	newNode := func(client *awss3.Client, dir string) datanode.Files {
		o, lookup := datanodetest.Node("N", "directoryPath", "s3://"+bucket+"/"+dir, "dataFormat", "Fmt")
		n, err := s3.New(o, lookup, client, smallParts)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	src, dst := newNode(c, "src"), newNode(other, "dst")
	datanodetest.WriteRecords(t, src, "a.csv", datanodetest.Rows(0, 20000))
	files, err := src.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := datanode.CopyFile(ctx, src, files[0], dst, "b.csv")
	if err != nil || got.Size != files[0].Size || got.Name != "b.csv" {
		t.Fatalf("CopyFile = %+v, %v", got, err)
	}
	if recs := datanodetest.ReadRecords(t, dst); len(recs) != 20000 {
		t.Errorf("copied %d records", len(recs))
	}
}
