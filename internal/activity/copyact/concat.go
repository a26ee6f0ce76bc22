package copyact

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/datapipe/datapipe/internal/datanode"
)

// concatReader reads the decompressed bytes of files of a node one after
// the other, ending every file that does not end with sep with sep, so
// that the last record of one file never runs into the first of the
// next. It counts the separators it passes, to tell which file a line
// number of the whole stream falls in.
type concatReader struct {
	ctx   context.Context
	node  datanode.Files
	files []datanode.File
	sep   byte
	cur   io.ReadCloser
	last  byte
	lines int64
	// starts[i] is the first line (1-based) of the i-th opened file.
	starts []int64
	opened []datanode.File
	bytes  int64
	// skip is the lines dropped at the start of every file (a header).
	skip int
}

// newConcatReader returns a reader over files.
func newConcatReader(ctx context.Context, n datanode.Files, files []datanode.File, sep byte) *concatReader {
	return &concatReader{ctx: ctx, node: n, files: files, sep: sep, last: sep}
}

// Read reads from the current file, opening the next at the end of one.
func (r *concatReader) Read(p []byte) (int, error) {
	for {
		if r.cur == nil {
			if len(r.files) == 0 {
				return 0, io.EOF
			}
			if r.last != r.sep && len(p) > 0 {
				p[0], r.last = r.sep, r.sep
				r.lines++
				return 1, nil
			}
			if err := r.open(); err != nil {
				return 0, err
			}
		}
		n, err := r.cur.Read(p)
		if n > 0 {
			r.last = p[n-1]
			r.lines += int64(bytes.Count(p[:n], []byte{r.sep}))
			r.bytes += int64(n)
		}
		if errors.Is(err, io.EOF) {
			err = r.closeCurrent()
			if n > 0 || err != nil {
				return n, err
			}
			continue
		}
		if err != nil {
			return n, fmt.Errorf("%s: read %s: %w", r.node.Name(), r.opened[len(r.opened)-1].URL, err)
		}
		return n, nil
	}
}

// open opens the next file.
func (r *concatReader) open() error {
	f := r.files[0]
	r.files = r.files[1:]
	raw, err := r.node.Open(r.ctx, f)
	if err != nil {
		return err
	}
	rc, err := datanode.Decompress(r.node.Compression(), raw)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", r.node.Name(), f.URL, err)
	}
	r.cur = rc
	if r.skip > 0 {
		r.cur = &skipLines{ReadCloser: rc, sep: r.sep, left: r.skip}
	}
	r.opened = append(r.opened, f)
	r.starts = append(r.starts, r.lines+1-int64(r.skip))
	return nil
}

// skipLines drops the first lines of what it reads.
type skipLines struct {
	io.ReadCloser
	sep  byte
	left int
}

// Read reads past the lines to skip, then passes bytes through.
func (s *skipLines) Read(p []byte) (int, error) {
	for s.left > 0 {
		n, err := s.ReadCloser.Read(p)
		for i := 0; i < n; i++ {
			if p[i] != s.sep {
				continue
			}
			if s.left--; s.left == 0 {
				return copy(p, p[i+1:n]), err
			}
		}
		if err != nil {
			return 0, err
		}
	}
	return s.ReadCloser.Read(p)
}

// closeCurrent closes the current file.
func (r *concatReader) closeCurrent() error {
	if r.cur == nil {
		return nil
	}
	err := r.cur.Close()
	r.cur = nil
	return err
}

// Close closes the current file.
func (r *concatReader) Close() error { return r.closeCurrent() }

// locate maps a line number of the whole stream to the file it lies in
// and the line number within that file.
func (r *concatReader) locate(line int64) (datanode.File, int64, bool) {
	for i := len(r.starts) - 1; i >= 0; i-- {
		if line >= r.starts[i] {
			return r.opened[i], line - r.starts[i] + 1, true
		}
	}
	return datanode.File{}, 0, false
}
