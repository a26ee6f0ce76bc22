package emr

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// IDOutputExists: an export's output directory already holds files
// (DynamoDbExport never writes into an existing output directory).
const IDOutputExists = "OutputDirectoryExists"

// successMarker is the empty file a finished Hadoop job leaves.
const successMarker = "_SUCCESS"

// exportResult is what an export wrote.
type exportResult struct {
	items int64
	files []datanode.File
}

// exporter scans one table into one directory.
type exporter struct {
	cfg      Config
	tbl      *table
	out      *dir
	lim      *limiter
	segments int
	limit    *int32
	gzip     bool
}

// run scans every segment in parallel into its own files, then writes
// the manifest and the _SUCCESS marker. On failure the data files
// already written are deleted, so the directory holds a whole export or
// nothing.
func (e *exporter) run(ctx context.Context) (exportResult, error) {
	if err := e.checkEmpty(ctx); err != nil {
		return exportResult{}, err
	}
	res, err := e.scanAll(ctx)
	written := res.files
	if err == nil {
		var meta []datanode.File
		meta, err = e.finish(ctx, res.files)
		written = append(written, meta...)
	}
	if err != nil {
		return exportResult{}, errors.Join(err, e.out.remove(context.WithoutCancel(ctx), written))
	}
	return res, nil
}

// checkEmpty fails when the output directory already holds files.
func (e *exporter) checkEmpty(ctx context.Context) error {
	files, err := e.out.List(ctx)
	if errors.Is(err, datanode.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(files) > 0 {
		return activity.Errorf(IDOutputExists, "%s: the output directory already holds %d files (%s…); DynamoDbExport writes only into a new directory",
			e.out.Name(), len(files), files[0].URL)
	}
	return nil
}

// scanAll runs the segments; the first failure cancels the others.
func (e *exporter) scanAll(ctx context.Context) (exportResult, error) {
	var (
		mu  sync.Mutex
		res exportResult
	)
	g := newGroup(ctx)
	for seg := range e.segments {
		g.Go(func(ctx context.Context) error {
			sink := &fileSink{e: e}
			err := e.scanSegment(ctx, seg, sink)
			err = errors.Join(err, sink.close(ctx, err))
			mu.Lock()
			defer mu.Unlock()
			res.items += sink.items
			res.files = append(res.files, sink.files...)
			return err
		})
	}
	return res, g.Wait()
}

// scanSegment scans one segment page by page into sink.
func (e *exporter) scanSegment(ctx context.Context, seg int, sink *fileSink) error {
	in := &dynamodb.ScanInput{TableName: aws.String(e.tbl.name), Limit: e.limit,
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}
	if e.segments > 1 {
		in.Segment, in.TotalSegments = aws.Int32(int32(seg)), aws.Int32(int32(e.segments))
	}
	for {
		if err := e.lim.wait(ctx); err != nil {
			return err
		}
		out, err := e.tbl.client.Scan(ctx, in, retryOptions)
		if err != nil {
			return fmt.Errorf("scan %s, segment %d of %d: %w", e.tbl, seg+1, e.segments, err)
		}
		bytes, err := sink.write(ctx, out.Items)
		e.lim.spend(consumed([]types.ConsumedCapacity{deref(out.ConsumedCapacity)}, readUnits(bytes)))
		if err != nil || len(out.LastEvaluatedKey) == 0 {
			return err
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// deref returns *c, or the zero value.
func deref(c *types.ConsumedCapacity) types.ConsumedCapacity {
	if c == nil {
		return types.ConsumedCapacity{}
	}
	return *c
}

// readUnits estimates the eventually consistent read units of bytes.
func readUnits(bytes int64) float64 { return float64((bytes+4095)/4096) / 2 }

// finish writes the manifest listing every data file, then _SUCCESS,
// and returns what it committed.
func (e *exporter) finish(ctx context.Context, files []datanode.File) ([]datanode.File, error) {
	urls := make([]string, len(files))
	for i, f := range files {
		urls[i] = f.URL
	}
	var b strings.Builder
	if err := format.WriteExportManifest(&b, urls); err != nil {
		return nil, err
	}
	manifest, err := e.writeFile(ctx, format.ExportManifestName, b.String())
	if err != nil {
		return nil, fmt.Errorf("write the manifest: %w", err)
	}
	marker, err := e.writeFile(ctx, successMarker, "")
	if err != nil {
		return []datanode.File{manifest}, fmt.Errorf("write %s: %w", successMarker, err)
	}
	return []datanode.File{manifest, marker}, nil
}

// writeFile writes one small uncompressed file of the directory.
func (e *exporter) writeFile(ctx context.Context, name, content string) (datanode.File, error) {
	out, err := e.out.Create(ctx, name)
	if err != nil {
		return datanode.File{}, err
	}
	if _, err := out.Write([]byte(content)); err != nil {
		return datanode.File{}, errors.Join(err, out.Abort(ctx))
	}
	return out.Commit(ctx)
}

// fileSink writes one segment's items into files of at most
// ItemsPerFile items, named by random UUIDs as DynamoDbExport names
// them.
type fileSink struct {
	e     *exporter
	cur   *datanode.FileWriter
	inCur int
	items int64
	files []datanode.File
}

// write writes a page of items and returns their approximate size.
func (s *fileSink) write(ctx context.Context, items []map[string]types.AttributeValue) (int64, error) {
	var size int64
	for _, item := range items {
		if err := s.rotate(ctx); err != nil {
			return size, err
		}
		rec := toRecord(item)
		size += recordSize(rec)
		if err := s.cur.Write(ctx, rec); err != nil {
			return size, err
		}
		s.inCur++
		s.items++
	}
	return size, nil
}

// rotate commits the current file when full and opens the next when
// needed.
func (s *fileSink) rotate(ctx context.Context) error {
	if s.cur != nil && s.inCur < s.e.cfg.ItemsPerFile {
		return nil
	}
	if err := s.commit(ctx); err != nil {
		return err
	}
	name := newUUID()
	if s.e.gzip {
		name += ".gz"
	}
	w, err := datanode.CreateRecords(ctx, s.e.out, name, nil)
	if err != nil {
		return err
	}
	s.cur, s.inCur = w, 0
	return nil
}

// commit commits the current file, if any.
func (s *fileSink) commit(ctx context.Context) error {
	if s.cur == nil {
		return nil
	}
	w := s.cur
	s.cur = nil
	if _, err := w.Commit(ctx); err != nil {
		return errors.Join(err, w.Abort(ctx))
	}
	s.files = append(s.files, w.File())
	return nil
}

// close commits the last file, or aborts it when the scan failed.
func (s *fileSink) close(ctx context.Context, failed error) error {
	if failed != nil && s.cur != nil {
		return s.cur.Abort(context.WithoutCancel(ctx))
	}
	return s.commit(ctx)
}

// recordSize approximates an item's stored size: names and values.
func recordSize(rec format.Record) int64 {
	var n int64
	for _, f := range rec {
		n += int64(len(f.Name)) + valueSize(f.Value)
	}
	return n
}

// valueSize approximates one value's stored size.
func valueSize(v format.Value) int64 {
	n := int64(len(v.Str)) + 1
	for _, e := range v.List {
		n += valueSize(e)
	}
	return n + recordSize(v.Map)
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
