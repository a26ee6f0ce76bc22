package datanode

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

// OpenRecords streams the records of every file of n, in List order,
// decompressed and parsed with f (n's format when f is nil). Errors about
// the data name the node, the file and the row.
func OpenRecords(ctx context.Context, n Files, f *format.Format) (RecordReader, error) {
	files, err := n.List(ctx)
	if err != nil {
		return nil, err
	}
	return NewFilesReader(ctx, n, files, f), nil
}

// NewFilesReader streams the records of files (of n), in order.
func NewFilesReader(ctx context.Context, n Files, files []File, f *format.Format) RecordReader {
	if f == nil {
		f = n.Format()
	}
	return &filesReader{ctx: ctx, node: n, files: files, format: f}
}

// filesReader reads the files of a node one after the other.
type filesReader struct {
	ctx    context.Context
	node   Files
	files  []File
	format *format.Format
	cur    io.ReadCloser
	rd     format.Reader
}

// Read returns the next record of the current file, moving on to the
// next file at the end of one.
func (r *filesReader) Read() (format.Record, error) {
	for {
		if r.rd == nil {
			if len(r.files) == 0 {
				return nil, io.EOF
			}
			if err := r.open(r.files[0]); err != nil {
				return nil, err
			}
			r.files = r.files[1:]
		}
		rec, err := r.rd.Read()
		if !errors.Is(err, io.EOF) {
			return rec, err
		}
		if err := r.closeCurrent(); err != nil {
			return nil, err
		}
	}
}

// open opens one file.
func (r *filesReader) open(f File) error {
	raw, err := r.node.Open(r.ctx, f)
	if err != nil {
		return err
	}
	rc, err := Decompress(r.node.Compression(), raw)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", r.node.Name(), f.URL, err)
	}
	r.cur = rc
	r.rd = r.format.NewReader(rc, r.node.Name()+" "+f.URL)
	return nil
}

// closeCurrent closes the current file.
func (r *filesReader) closeCurrent() error {
	r.rd = nil
	if r.cur == nil {
		return nil
	}
	err := r.cur.Close()
	r.cur = nil
	return err
}

// Close closes the current file.
func (r *filesReader) Close() error { return r.closeCurrent() }

// CreateRecords starts writing records to the file name of n (see
// Files.Create), compressed and laid out as n says (f overrides the
// format when not nil).
func CreateRecords(ctx context.Context, n Files, name string, f *format.Format) (*FileWriter, error) {
	out, err := n.Create(ctx, name)
	if err != nil {
		return nil, err
	}
	if f == nil {
		f = n.Format()
	}
	out = Compress(n.Compression(), out)
	return &FileWriter{out: out, w: f.NewWriter(out, n.Name()+" "+name)}, nil
}

// FileWriter writes records into one file of a Files node. It is a
// RecordWriter.
type FileWriter struct {
	out   Output
	w     format.Writer
	count int64
	file  File
}

var _ RecordWriter = (*FileWriter)(nil)

// Write writes one record.
func (w *FileWriter) Write(_ context.Context, rec format.Record) error {
	if err := w.w.Write(rec); err != nil {
		return err
	}
	w.count++
	return nil
}

// Commit flushes and commits the file.
func (w *FileWriter) Commit(ctx context.Context) (int64, error) {
	if err := w.w.Flush(); err != nil {
		return 0, err
	}
	f, err := w.out.Commit(ctx)
	if err != nil {
		return 0, err
	}
	w.file = f
	return w.count, nil
}

// Abort discards the file.
func (w *FileWriter) Abort(ctx context.Context) error { return w.out.Abort(ctx) }

// Count returns the records written so far.
func (w *FileWriter) Count() int64 { return w.count }

// File returns the committed file (zero before Commit).
func (w *FileWriter) File() File { return w.file }

// Copier is implemented by Files adapters that can copy a file of
// another node without moving the bytes through the runner (S3
// CopyObject). ok is false when they cannot for that source, and the
// caller then streams.
type Copier interface {
	CopyFile(ctx context.Context, src Files, f File, name string) (dst File, ok bool, err error)
}

// CopyFile copies file f of src to the file name of dst, byte for byte
// (recompressing when the two nodes' compressions differ), server-side
// when dst is a Copier that can. The target is written atomically.
func CopyFile(ctx context.Context, src Files, f File, dst Files, name string) (File, error) {
	if c, ok := dst.(Copier); ok && src.Compression() == dst.Compression() {
		out, done, err := c.CopyFile(ctx, src, f, name)
		if done || err != nil {
			return out, err
		}
	}
	return streamFile(ctx, src, f, dst, name)
}

// Putter is implemented by Files adapters that can write a file of known
// size from a stream in one atomic request (S3 PutObject), without
// buffering parts. ok is false when they cannot for that size, and the
// caller then goes through Create.
type Putter interface {
	PutFile(ctx context.Context, name string, r io.Reader, size int64) (f File, ok bool, err error)
}

// copyBufferSize is the buffer streamFile copies through.
const copyBufferSize = 1 << 20

// streamFile copies through the runner.
func streamFile(ctx context.Context, src Files, f File, dst Files, name string) (File, error) {
	in, err := src.Open(ctx, f)
	if err != nil {
		return File{}, err
	}
	defer in.Close()
	var r io.Reader = in
	sameComp := src.Compression() == dst.Compression()
	if p, ok := dst.(Putter); ok && sameComp {
		out, done, err := p.PutFile(ctx, name, in, f.Size)
		if done || err != nil {
			return out, err
		}
	}
	if !sameComp {
		dec, err := Decompress(src.Compression(), in)
		if err != nil {
			return File{}, fmt.Errorf("%s: %s: %w", src.Name(), f.URL, err)
		}
		r = dec
	}
	out, err := dst.Create(ctx, name)
	if err != nil {
		return File{}, err
	}
	if !sameComp {
		out = Compress(dst.Compression(), out)
	}
	if _, err := io.CopyBuffer(out, r, make([]byte, copyBufferSize)); err != nil {
		return File{}, errors.Join(fmt.Errorf("copy %s to %s: %w", f.URL, dst.Name(), err), out.Abort(ctx))
	}
	committed, err := out.Commit(ctx)
	if err != nil {
		return File{}, errors.Join(err, out.Abort(ctx))
	}
	return committed, nil
}
