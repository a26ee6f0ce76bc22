package datanode

import (
	"context"
	"io"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

// Node is any data node.
type Node interface {
	// Name names the node in messages: "<type> <id>" ("S3DataNode In").
	// Every error an adapter returns starts with it.
	Name() string
	// Exists reports whether the node's data is there now: the file, a
	// non-empty directory or prefix, the table. A missing bucket or
	// database is false, not an error; errors are failures to ask.
	Exists(ctx context.Context) (bool, error)
}

// File is one file of a Files node.
type File struct {
	// Name is the path relative to the node's directoryPath ("a/b.csv"),
	// or the base name for a filePath node.
	Name string
	// URL is the full location ("s3://bucket/dir/a/b.csv",
	// "file:///data/dir/a/b.csv").
	URL string
	// Size is the stored size in bytes (compressed when gzip).
	Size int64
}

// Files is a byte-stream data node: a filePath (one file) or a
// directoryPath (every file under it) on the local file system or S3.
type Files interface {
	Node
	// Format is the node's data format; CSV when it names none.
	Format() *format.Format
	// Compression is the node's compression.
	Compression() Compression
	// IsDir reports whether the node is a directoryPath.
	IsDir() bool
	// List returns the node's files in name order: the single file, the
	// files under the directory (recursively, without the temporary files
	// of uncommitted outputs), or, when the node has a manifestFilePath
	// and it exists, the manifest's entries. A missing file, directory or
	// bucket fails with an error matching ErrNotFound; an empty directory
	// is an empty list.
	List(ctx context.Context) ([]File, error)
	// Open opens a file that List returned, as stored (still compressed).
	Open(ctx context.Context, f File) (io.ReadCloser, error)
	// Create starts writing the file name (a path relative to the
	// directory; "" for a filePath node, whose file it writes). Nothing is
	// visible at the final name until Commit; Abort leaves the target as
	// it was.
	Create(ctx context.Context, name string) (Output, error)
	// WriteManifest writes a manifest (Redshift layout) listing files at
	// the node's manifestFilePath, atomically. It fails when the node has
	// none.
	WriteManifest(ctx context.Context, files []File) error
}

// Output is a file being written. Its Write calls may block while data
// is uploaded; memory stays bounded whatever the size.
type Output interface {
	io.Writer
	// Commit makes the written bytes visible at the final name, replacing
	// what was there, and returns the file. After a failed Commit the
	// target is unchanged and Abort cleans up.
	Commit(ctx context.Context) (File, error)
	// Abort discards the written bytes; the target is unchanged. It is a
	// no-op after Commit and may be called more than once.
	Abort(ctx context.Context) error
}

// Table is a record data node: a SQL table or query, a DynamoDB table.
type Table interface {
	Node
	// Read streams the node's records: its selectQuery, else the whole
	// table. A missing table fails with an error matching ErrNotFound.
	Read(ctx context.Context) (RecordReader, error)
	// Write starts writing records in mode. Nothing is promised visible
	// before Commit (SQL writes are one transaction; DynamoDB writes land
	// as they go, see the adapter).
	Write(ctx context.Context, mode WriteMode) (RecordWriter, error)
	// Close releases the node's connections.
	Close() error
}

// RecordReader streams records. Read returns io.EOF after the last one.
// Close releases the query or scan; it may be called more than once.
type RecordReader interface {
	format.Reader
	Close() error
}

// RecordWriter writes records to a Table. Writes are batched; Commit
// flushes and makes them durable, Abort undoes what can be undone.
type RecordWriter interface {
	Write(ctx context.Context, rec format.Record) error
	// Commit flushes and commits; the count is the records written.
	Commit(ctx context.Context) (int64, error)
	// Abort rolls back; a no-op after Commit.
	Abort(ctx context.Context) error
}

// WriteMode says what happens to the rows already in a table.
type WriteMode int

// The write modes.
const (
	// Append adds records to what is there.
	Append WriteMode = iota
	// Replace empties the table first, in the same transaction as the
	// inserts (SQL), so that a failure leaves the old rows in place.
	Replace
)

// String returns "append" or "replace".
func (m WriteMode) String() string {
	if m == Replace {
		return "replace"
	}
	return "append"
}
