package copyact_test

// Throughput of the CopyActivity executor itself against the real test
// servers, for scripts/bench-data.sh, which runs each sub-benchmark in
// its own process so that its peak-RSS-MB (VmHWM, reset after the
// set-up) is the copy's alone.
//
//	DATAPIPE_BENCH_MB  size of the CSV object (default 256)

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/activity/copyact"
	"github.com/datapipe/datapipe/internal/activity/data"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// BenchmarkCopyActivity runs CopyActivity attempts on one CSV object of
// DATAPIPE_BENCH_MB MiB:
//   - S3ToPostgres: into a PostgreSQL table (one streaming COPY);
//   - Psql: its baseline, psql's \copy of the same bytes from a local file;
//   - S3ToS3: to another key with the same client (server-side copy);
//   - S3ToS3Stream: with a new client per node, so that the bytes stream
//     through the runner (GET, then one PUT) as between two S3 services;
//   - S3ToS3Records: CSV to TSV, parsed and written record by record.
func BenchmarkCopyActivity(b *testing.B) {
	size := int64(benchMB()) << 20
	c := dt.S3(b)
	bucket := dt.Bucket(b, c)
	open := dt.Opener(b)
	uploaded := false
	in := dt.Obj("In", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/in/data.csv"))
	cases := []struct {
		name  string
		out   pipeline.Object
		setup func(b *testing.B) []pipeline.Object
	}{
		{"S3ToPostgres", dt.Obj("Out", "SqlDataNode", dt.Ref("database", "Db"), dt.Str("table", "sales")), func(b *testing.B) []pipeline.Object {
			return []pipeline.Object{salesTable(b).DB}
		}},
		{"S3ToS3", dt.Obj("Out", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/out/copy.csv")), nil},
		{"S3ToS3Stream", dt.Obj("Out", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/out/stream.csv")), nil},
		{"S3ToS3Records", dt.Obj("Out", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/out/data.tsv"), dt.Ref("dataFormat", "Tsv")),
			func(*testing.B) []pipeline.Object { return []pipeline.Object{dt.Obj("Tsv", "TSV")} }},
	}
	b.Run("Psql", func(b *testing.B) { benchPsql(b, size) })
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			if !uploaded {
				uploadCSV(b, open, "s3://"+bucket+"/in/data.csv", size)
				uploaded = true
			}
			objs := []pipeline.Object{in, tc.out}
			if tc.setup != nil {
				objs = append(objs, tc.setup(b)...)
			}
			tk := dt.Task(b, []pipeline.Field{dt.Str("type", "CopyActivity"), dt.Ref("input", "In"), dt.Ref("output", "Out")}, objs...)
			open := open
			if tc.name == "S3ToS3Stream" {
				open = data.New(data.Config{AWS: freshClients{dt.Factory(b)}})
			}
			datanodetest.ResetPeak()
			start := time.Now()
			for b.Loop() {
				env, log := dt.NewEnv()
				if _, err := copyact.New(open).Execute(context.Background(), tk, env); err != nil {
					b.Fatalf("%v\n%s", err, log)
				}
			}
			secs := time.Since(start).Seconds()
			b.ReportMetric(float64(size*int64(b.N))/secs/(1<<20), "MB/s")
			b.ReportMetric(datanodetest.PeakMB(), "peak-RSS-MB")
		})
	}
}

// salesTable makes a fresh schema with an empty sales table, after a
// checkpoint, so that earlier loads' dirty pages do not slow this one.
func salesTable(b *testing.B) *dt.Postgres {
	pg := dt.NewPostgres(b)
	pg.Exec(b, "CREATE TABLE sales (id BIGINT, name TEXT, amount NUMERIC)")
	if _, err := pg.Admin.Exec("CHECKPOINT"); err != nil {
		b.Fatal(err)
	}
	return pg
}

// benchPsql loads the same bytes from a local file with psql's \copy:
// the baseline of S3ToPostgres.
func benchPsql(b *testing.B, size int64) {
	path := filepath.Join(b.TempDir(), "data.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyBuffer(f, datanodetest.CSV(size), make([]byte, 1<<20)); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	pg := salesTable(b)
	var elapsed time.Duration
	for b.Loop() {
		start := time.Now()
		cmd := `\copy ` + pg.Schema + `.sales FROM '` + path + `' WITH (FORMAT csv)`
		if out, err := exec.Command("psql", pg.URL, "-v", "ON_ERROR_STOP=1", "-qc", cmd).CombinedOutput(); err != nil {
			b.Fatalf("psql: %v: %s", err, out)
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(size*int64(b.N))/elapsed.Seconds()/(1<<20), "MB/s")
}

// freshClients builds a new S3 client for every node.
type freshClients struct{ *awsclient.Factory }

// S3 returns a new client.
func (f freshClients) S3(ctx context.Context, region string) (*awss3.Client, error) {
	cfg, err := f.AWSConfig(ctx, region)
	if err != nil {
		return nil, err
	}
	ep := f.Endpoint("s3", region)
	return awss3.NewFromConfig(cfg, func(o *awss3.Options) { o.BaseEndpoint, o.UsePathStyle = &ep, true }), nil
}

// benchMB reads DATAPIPE_BENCH_MB (default 256).
func benchMB() int {
	if v, err := strconv.Atoi(os.Getenv("DATAPIPE_BENCH_MB")); err == nil && v > 0 {
		return v
	}
	return 256
}

// uploadCSV writes size bytes of generated CSV rows to the object uri
// through an S3 node (a multipart upload, in bounded memory).
func uploadCSV(b *testing.B, open *data.Opener, uri string, size int64) {
	ctx := context.Background()
	obj := dt.Obj("Gen", "S3DataNode", dt.Str("filePath", uri))
	n, err := open.Files(ctx, dt.Task(b, nil, obj), obj)
	if err != nil {
		b.Fatal(err)
	}
	out, err := n.Create(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyBuffer(out, datanodetest.CSV(size), make([]byte, 1<<20)); err != nil {
		b.Fatal(err)
	}
	if _, err := out.Commit(ctx); err != nil {
		b.Fatal(err)
	}
}
