package copyact

import (
	"context"
	"errors"
	"io"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// filesToFiles copies between two S3DataNodes.
func (e *Executor) filesToFiles(ctx context.Context, t *activity.Task, in, out pipeline.Object, env *activity.Env) (stats, error) {
	src, err := e.open.Files(ctx, t, in)
	if err != nil {
		return stats{}, err
	}
	dst, err := e.open.Files(ctx, t, out)
	if err != nil {
		return stats{}, err
	}
	files, err := src.List(ctx)
	if err != nil {
		return stats{}, err
	}
	same := format.Same(src.Format(), dst.Format())
	if !same {
		env.Printf("the formats differ (%s, %s): copying record by record", src.Format().Name(), dst.Format().Name())
	}
	if dst.IsDir() {
		return copyEach(ctx, src, files, dst, same)
	}
	if same && len(files) == 1 {
		f, err := datanode.CopyFile(ctx, src, files[0], dst, "")
		return stats{files: 1, bytes: f.Size}, err
	}
	if same {
		return concatInto(ctx, src, files, dst)
	}
	return pumpFiles(ctx, src, files, dst, "")
}

// copyEach copies every file to the same name under dst.
func copyEach(ctx context.Context, src datanode.Files, files []datanode.File, dst datanode.Files, same bool) (stats, error) {
	var st stats
	for _, f := range files {
		if same {
			out, err := datanode.CopyFile(ctx, src, f, dst, f.Name)
			if err != nil {
				return st, err
			}
			st.files++
			st.bytes += out.Size
			continue
		}
		s, err := pumpFiles(ctx, src, []datanode.File{f}, dst, f.Name)
		st.records += s.records
		if err != nil {
			return st, err
		}
	}
	return st, nil
}

// concatInto writes files of src, one after the other, into dst's file.
func concatInto(ctx context.Context, src datanode.Files, files []datanode.File, dst datanode.Files) (stats, error) {
	out, err := dst.Create(ctx, "")
	if err != nil {
		return stats{}, err
	}
	out = datanode.Compress(dst.Compression(), out)
	r := newConcatReader(ctx, src, files, src.Format().RecordSeparator)
	defer r.Close()
	if _, err := io.CopyBuffer(out, r, make([]byte, 1<<20)); err != nil {
		return stats{}, errors.Join(err, out.Abort(ctx))
	}
	f, err := out.Commit(ctx)
	if err != nil {
		return stats{}, errors.Join(err, out.Abort(ctx))
	}
	return stats{files: len(files), bytes: f.Size}, nil
}

// pumpFiles copies the records of files into dst's file name.
func pumpFiles(ctx context.Context, src datanode.Files, files []datanode.File, dst datanode.Files, name string) (stats, error) {
	r := datanode.NewFilesReader(ctx, src, files, nil)
	defer r.Close()
	w, err := datanode.CreateRecords(ctx, dst, name, nil)
	if err != nil {
		return stats{}, err
	}
	n, err := Pump(ctx, r, w)
	return stats{records: n}, err
}

// Pump copies every record of r into w and commits w, returning the
// records written; on any failure it aborts w, leaving the target as it
// was (as far as the target can: see datanode.RecordWriter).
func Pump(ctx context.Context, r datanode.RecordReader, w datanode.RecordWriter) (int64, error) {
	var n int64
	for {
		if n&1023 == 0 && ctx.Err() != nil {
			return n, errors.Join(context.Cause(ctx), w.Abort(ctx))
		}
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			err = w.Write(ctx, rec)
		}
		if err != nil {
			return n, errors.Join(err, w.Abort(context.WithoutCancel(ctx)))
		}
		n++
	}
	count, err := w.Commit(ctx)
	if err != nil {
		return n, errors.Join(err, w.Abort(context.WithoutCancel(ctx)))
	}
	return count, nil
}
