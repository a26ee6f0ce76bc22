package copyact

import (
	"context"
	"errors"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// records copies record by record.
func (e *Executor) records(ctx context.Context, t *activity.Task, in, out pipeline.Object) (stats, error) {
	r, closeIn, err := OpenReader(ctx, e.open, t, in, out)
	if err != nil {
		return stats{}, err
	}
	defer closeIn()
	w, closeOut, err := OpenWriter(ctx, e.open, t, out, in)
	if err != nil {
		return stats{}, err
	}
	defer closeOut()
	n, err := Pump(ctx, r, w)
	return stats{records: n}, err
}

// OpenReader opens the records of node, any data node (other is the
// node at the other end, which picks the default format: see
// DefaultFormat). closeFn releases what it holds.
func OpenReader(ctx context.Context, open *data.Opener, t *activity.Task, node, other pipeline.Object) (r datanode.RecordReader, closeFn func(), err error) {
	if k, _ := data.KindOf(node); k == data.KindFiles {
		src, err := open.Files(ctx, t, node)
		if err != nil {
			return nil, nil, err
		}
		r, err := datanode.OpenRecords(ctx, src, DefaultFormat(node, other))
		if err != nil {
			return nil, nil, err
		}
		return r, func() { r.Close() }, nil
	}
	tb, err := open.Table(ctx, t, node)
	if err != nil {
		return nil, nil, err
	}
	r, err = tb.Read(ctx)
	if err != nil {
		return nil, nil, errors.Join(err, tb.Close())
	}
	return r, func() { r.Close(); tb.Close() }, nil
}

// OpenWriter starts writing records to node, any data node, appending
// to a table or writing a file (part-00000… in a directoryPath, see
// PartName); other is the node at the other end. closeFn releases what
// it holds.
func OpenWriter(ctx context.Context, open *data.Opener, t *activity.Task, node, other pipeline.Object) (w datanode.RecordWriter, closeFn func(), err error) {
	if k, _ := data.KindOf(node); k == data.KindFiles {
		dst, err := open.Files(ctx, t, node)
		if err != nil {
			return nil, nil, err
		}
		f := DefaultFormat(node, other)
		name := ""
		if dst.IsDir() {
			name = PartName(cmpFormat(f, dst.Format()), dst.Compression())
		}
		w, err := datanode.CreateRecords(ctx, dst, name, f)
		return w, func() {}, err
	}
	tb, err := open.Table(ctx, t, node)
	if err != nil {
		return nil, nil, err
	}
	w, err = tb.Write(ctx, datanode.Append)
	if err != nil {
		return nil, nil, errors.Join(err, tb.Close())
	}
	return w, func() { tb.Close() }, nil
}

// cmpFormat returns f, else def.
func cmpFormat(f, def *format.Format) *format.Format {
	if f != nil {
		return f
	}
	return def
}

// DefaultFormat is the format to use for an S3DataNode node whose other
// end is other: nil (the node's own) when node names a dataFormat or
// other is not DynamoDB, else DynamoDBExportDataFormat.
func DefaultFormat(node, other pipeline.Object) *format.Format {
	if _, ok := node.Get("dataFormat"); ok {
		return nil
	}
	if k, _ := data.KindOf(other); k != data.KindDynamoDB {
		return nil
	}
	return ExportFormat()
}

// ExportFormat is DynamoDBExportDataFormat without columns.
func ExportFormat() *format.Format {
	return &format.Format{Type: format.TypeDynamoDBExport, RecordSeparator: '\n'}
}

// PartName is the file a table is written to in a directoryPath:
// part-00000 with the format's extension, and .gz when compressed.
func PartName(f *format.Format, c datanode.Compression) string {
	name := "part-00000"
	switch {
	case f.IsItemFormat():
		name += ".json"
	case f.Type == format.TypeCSV:
		name += ".csv"
	case f.Type == format.TypeTSV:
		name += ".tsv"
	}
	if c == datanode.Gzip {
		name += ".gz"
	}
	return name
}
