package emr

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// IDBadManifest: an import's manifest cannot be used.
const IDBadManifest = "BadExportManifest"

// batchSize is BatchWriteItem's limit.
const batchSize = 25

// maxUnprocessedRounds bounds the retries of a batch's unprocessed
// items.
const maxUnprocessedRounds = 12

// importResult is what an import read and wrote.
type importResult struct {
	items int64
	files int
}

// importer writes the files of one directory into one table.
type importer struct {
	cfg   Config
	tbl   *table
	in    *dir
	lim   *limiter
	items atomic.Int64
}

// batch is up to batchSize put requests and their approximate size.
type batch struct {
	reqs  []types.WriteRequest
	units float64
}

// run reads the directory's files (Writers at once) into batches that
// Writers goroutines write.
func (im *importer) run(ctx context.Context) (importResult, error) {
	files, err := im.files(ctx)
	if err != nil {
		return importResult{}, err
	}
	g := newGroup(ctx)
	batches := make(chan batch, im.cfg.Writers)
	todo := make(chan datanode.File)
	g.Go(func(ctx context.Context) error { return feed(ctx, todo, files) })
	readers := newGroup(g.ctx)
	for range min(im.cfg.Writers, max(len(files), 1)) {
		readers.Go(func(ctx context.Context) error { return im.readFiles(ctx, todo, batches) })
	}
	g.Go(func(context.Context) error {
		defer close(batches)
		return readers.Wait()
	})
	for range im.cfg.Writers {
		g.Go(func(ctx context.Context) error { return im.writeBatches(ctx, batches) })
	}
	err = g.Wait()
	return importResult{items: im.items.Load(), files: len(files)}, err
}

// feed sends the files, then closes todo.
func feed(ctx context.Context, todo chan<- datanode.File, files []datanode.File) error {
	defer close(todo)
	for _, f := range files {
		select {
		case todo <- f:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	return nil
}

// files returns the files to import: the manifest's entries when the
// directory has a manifest, else every visible file (the layout of
// exports older than the manifest).
func (im *importer) files(ctx context.Context) ([]datanode.File, error) {
	list, err := im.in.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range list {
		if f.Name == format.ExportManifestName {
			return im.fromManifest(ctx, f)
		}
	}
	return list, nil
}

// fromManifest reads the manifest's entries.
func (im *importer) fromManifest(ctx context.Context, f datanode.File) ([]datanode.File, error) {
	rc, err := im.in.Open(ctx, f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	m, err := format.ReadManifest(rc)
	if err != nil {
		return nil, activity.Errorf(IDBadManifest, "%s: %s: %v", im.in.Name(), f.URL, err)
	}
	if m.Version != format.ExportManifestVersion {
		return nil, activity.Errorf(IDBadManifest, "%s: %s: unknown version %d (DynamoDbImport reads version %d)",
			im.in.Name(), f.URL, m.Version, format.ExportManifestVersion)
	}
	files := make([]datanode.File, len(m.Entries))
	for i, e := range m.Entries {
		url := hadoopURL(e.URL)
		files[i] = datanode.File{Name: url[strings.LastIndexByte(url, '/')+1:], URL: url}
	}
	return files, nil
}

// hadoopURL turns Hadoop's file:/path spelling into file:///path.
func hadoopURL(u string) string {
	if strings.HasPrefix(u, "file:/") && !strings.HasPrefix(u, "file://") {
		return "file://" + strings.TrimPrefix(u, "file:")
	}
	return u
}

// readFiles reads files from todo into batches.
func (im *importer) readFiles(ctx context.Context, todo <-chan datanode.File, out chan<- batch) error {
	for f := range todo {
		if err := im.readFile(ctx, f, out); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// readFile reads one file (gunzipped when its name ends in .gz).
func (im *importer) readFile(ctx context.Context, f datanode.File, out chan<- batch) error {
	rc, err := im.in.Open(ctx, f)
	if err != nil {
		return err
	}
	if strings.HasSuffix(f.URL, ".gz") {
		if rc, err = datanode.Decompress(datanode.Gzip, rc); err != nil {
			return fmt.Errorf("%s: %s: %w", im.in.Name(), f.URL, err)
		}
	}
	defer rc.Close()
	source := im.in.Name() + " " + f.URL
	rd := im.in.Format().NewReader(rc, source)
	var b batch
	for row := int64(1); ; row++ {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		item, err := toItem(rec)
		if err != nil {
			return &format.RowError{Source: source, Row: row, Err: err}
		}
		b.reqs = append(b.reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		b.units += float64((recordSize(rec) + 1023) / 1024)
		if len(b.reqs) == batchSize {
			if err := send(ctx, out, b); err != nil {
				return err
			}
			b = batch{}
		}
	}
	if len(b.reqs) == 0 {
		return nil
	}
	return send(ctx, out, b)
}

// send hands a batch to the writers.
func send(ctx context.Context, out chan<- batch, b batch) error {
	select {
	case out <- b:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// writeBatches writes batches until the channel closes.
func (im *importer) writeBatches(ctx context.Context, in <-chan batch) error {
	for b := range in {
		if err := im.writeBatch(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

// writeBatch writes one batch with BatchWriteItem, retrying the
// unprocessed items with a growing pause.
func (im *importer) writeBatch(ctx context.Context, b batch) error {
	pending, units := b.reqs, b.units
	for round := 0; len(pending) > 0; round++ {
		if round == maxUnprocessedRounds {
			return fmt.Errorf("write to %s: %d items stayed unprocessed after %d rounds of BatchWriteItem", im.tbl, len(pending), round)
		}
		if round > 0 {
			if err := im.cfg.Sleep(ctx, min(50*time.Millisecond<<round, 5*time.Second)); err != nil {
				return err
			}
		}
		if err := im.lim.wait(ctx); err != nil {
			return err
		}
		out, err := im.tbl.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems:           map[string][]types.WriteRequest{im.tbl.name: pending},
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}, retryOptions)
		if err != nil {
			return fmt.Errorf("write to %s: %w", im.tbl, err)
		}
		sent := len(pending)
		pending = out.UnprocessedItems[im.tbl.name]
		im.lim.spend(consumed(out.ConsumedCapacity, units*float64(sent-len(pending))/float64(sent)))
		im.items.Add(int64(sent - len(pending)))
	}
	return nil
}
