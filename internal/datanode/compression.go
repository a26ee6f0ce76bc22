package datanode

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// Compression is a Files node's compression.
type Compression int

// The compressions (objects.md §5.2.1 compression).
const (
	None Compression = iota
	Gzip
)

// CompressionOf reads obj's compression field: none (default) or gzip.
func CompressionOf(obj pipeline.Object) (Compression, error) {
	switch strings.ToLower(Str(obj, "compression")) {
	case "", "none":
		return None, nil
	case "gzip":
		return Gzip, nil
	}
	return None, Invalidf(Name(obj), "compression %q is not none or gzip", Str(obj, "compression"))
}

// String returns "none" or "gzip".
func (c Compression) String() string {
	if c == Gzip {
		return "gzip"
	}
	return "none"
}

// Decompress wraps r so that reading it yields the uncompressed bytes;
// closing the result closes r.
func Decompress(c Compression, r io.ReadCloser) (io.ReadCloser, error) {
	if c != Gzip {
		return r, nil
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return &gzipReader{Reader: zr, under: r}, nil
}

// gzipReader closes both the gzip stream and what it reads from.
type gzipReader struct {
	*gzip.Reader
	under io.Closer
}

// Close closes both.
func (g *gzipReader) Close() error {
	err := g.Reader.Close()
	if cerr := g.under.Close(); err == nil {
		err = cerr
	}
	return err
}

// Compress wraps out so that what is written is compressed; Commit
// finishes the stream first.
func Compress(c Compression, out Output) Output {
	if c != Gzip {
		return out
	}
	return &gzipOutput{Output: out, zw: gzip.NewWriter(out)}
}

// gzipOutput compresses into an Output.
type gzipOutput struct {
	Output
	zw *gzip.Writer
}

// Write compresses p.
func (g *gzipOutput) Write(p []byte) (int, error) { return g.zw.Write(p) }

// Commit finishes the gzip stream and commits.
func (g *gzipOutput) Commit(ctx context.Context) (File, error) {
	if err := g.zw.Close(); err != nil {
		return File{}, fmt.Errorf("gzip: %w", err)
	}
	return g.Output.Commit(ctx)
}
