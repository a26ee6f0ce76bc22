package s3

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Config tunes transfers. Memory held by one transfer is about
// PartSize × (UploadConcurrency+1) for a multipart output, and, for an
// input read with ranged GETs, DownloadPartSize × (DownloadConcurrency+1);
// a streaming GET or a PutFile holds only the HTTP buffers.
type Config struct {
	// PartSize is the multipart upload part size (default 8 MiB, at
	// least 5 MiB). Outputs smaller than one part are one PutObject.
	PartSize int64
	// UploadConcurrency is the parts uploaded at once (default 3).
	UploadConcurrency int
	// DownloadPartSize is the size of ranged GETs (default 4 MiB).
	DownloadPartSize int64
	// DownloadConcurrency is the ranged GETs in flight for objects larger
	// than two DownloadPartSize. The default, 1, reads every object with
	// one streaming GET, which is the fastest against a server on the
	// same network (see docs/benchmarks.md); 4 or more pays off against
	// AWS S3, whose connections are individually slower.
	DownloadConcurrency int
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// minPartSize is S3's smallest part but the last.
const minPartSize = 5 << 20

// withDefaults returns c with defaults filled in.
func (c Config) withDefaults() Config {
	c.PartSize = max(cmp.Or(c.PartSize, 8<<20), minPartSize)
	c.UploadConcurrency = max(cmp.Or(c.UploadConcurrency, 3), 1)
	c.DownloadPartSize = max(cmp.Or(c.DownloadPartSize, 4<<20), 64<<10)
	c.DownloadConcurrency = max(cmp.Or(c.DownloadConcurrency, 1), 1)
	c.Logger = cmp.Or(c.Logger, slog.New(slog.DiscardHandler))
	return c
}

// Node is an S3DataNode on S3.
type Node struct {
	name     string
	client   *s3.Client
	cfg      Config
	bucket   string
	key      string // the file's key, or the directory prefix ending in "/" ("" for a whole bucket)
	dir      bool
	format   *format.Format
	comp     datanode.Compression
	manifest *location
	sse      types.ServerSideEncryption
}

var (
	_ datanode.Files  = (*Node)(nil)
	_ datanode.Copier = (*Node)(nil)
	_ datanode.Putter = (*Node)(nil)
)

// New returns the node for obj, an S3DataNode whose directoryPath or
// filePath is an s3:// URI, using client. Errors match
// datanode.ErrInvalid and name the node and field.
func New(obj pipeline.Object, lookup datanode.Lookup, client *s3.Client, cfg Config) (*Node, error) {
	loc, err := datanode.LocationOf(obj)
	if err != nil {
		return nil, err
	}
	name := datanode.Name(obj)
	if client == nil {
		return nil, datanode.Invalidf(name, "no S3 client")
	}
	l, err := parseURI(loc.URI, loc.Dir)
	if err != nil {
		return nil, datanode.Invalidf(name, "%s: %v", loc.Field, err)
	}
	n := &Node{name: name, client: client, cfg: cfg.withDefaults(), bucket: l.bucket, key: l.key, dir: loc.Dir}
	return n, n.readFields(obj, lookup)
}

// readFields reads compression, dataFormat, manifestFilePath and
// s3EncryptionType.
func (n *Node) readFields(obj pipeline.Object, lookup datanode.Lookup) error {
	var err error
	if n.comp, err = datanode.CompressionOf(obj); err != nil {
		return err
	}
	if n.format, err = datanode.FormatOf(obj, lookup, format.CSV()); err != nil {
		return err
	}
	if m := datanode.Str(obj, "manifestFilePath"); m != "" {
		l, err := parseURI(m, false)
		if err != nil {
			return datanode.Invalidf(n.name, "manifestFilePath: %v", err)
		}
		n.manifest = &l
	}
	switch enc := strings.ToUpper(datanode.Str(obj, "s3EncryptionType")); enc {
	case "":
	case "SERVER_SIDE_ENCRYPTION":
		n.sse = types.ServerSideEncryptionAes256
	case "NONE":
	default:
		return datanode.Invalidf(n.name, "s3EncryptionType %q is not SERVER_SIDE_ENCRYPTION or NONE", enc)
	}
	return nil
}

// location is a bucket and key.
type location struct {
	bucket, key string
}

// url returns s3://bucket/key.
func (l location) url() string { return "s3://" + l.bucket + "/" + l.key }

// parseURI splits s3://bucket/key. A directory's key becomes a prefix
// ending in "/" (or "" for the bucket root); a file needs a key.
func parseURI(uri string, dir bool) (location, error) {
	if !datanode.IsS3(uri) {
		return location{}, fmt.Errorf("%s is not an s3:// URI", uri)
	}
	_, rest, _ := strings.Cut(uri, "://")
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return location{}, fmt.Errorf("%s has no bucket", uri)
	}
	if dir {
		if key != "" && !strings.HasSuffix(key, "/") {
			key += "/"
		}
		return location{bucket: bucket, key: key}, nil
	}
	if key == "" || strings.HasSuffix(key, "/") {
		return location{}, fmt.Errorf("%s names no object", uri)
	}
	return location{bucket: bucket, key: key}, nil
}

// Name returns "<type> <id>".
func (n *Node) Name() string { return n.name }

// Format returns the node's format (CSV by default).
func (n *Node) Format() *format.Format { return n.format }

// Compression returns the node's compression.
func (n *Node) Compression() datanode.Compression { return n.comp }

// IsDir reports whether the node is a directoryPath.
func (n *Node) IsDir() bool { return n.dir }

// Bucket returns the node's bucket.
func (n *Node) Bucket() string { return n.bucket }

// Key returns the file's key, or the directory's prefix ("" or ending in
// "/").
func (n *Node) Key() string { return n.key }

// Exists reports whether the object exists, or at least one visible
// object lies under the prefix. A missing bucket is false.
func (n *Node) Exists(ctx context.Context) (bool, error) {
	if !n.dir {
		_, err := n.head(ctx, location{n.bucket, n.key})
		if isNotFound(err) {
			return false, nil
		}
		return err == nil, err
	}
	files, err := n.listPrefix(ctx, 1)
	if isNotFound(err) {
		return false, nil
	}
	return len(files) > 0, err
}

// List returns the object, the manifest's entries, or the visible
// objects under the prefix in key order.
func (n *Node) List(ctx context.Context) ([]datanode.File, error) {
	if n.manifest != nil {
		files, err := n.listManifest(ctx)
		if !isNoSuchKey(err) {
			return files, err
		}
	}
	if !n.dir {
		f, err := n.head(ctx, location{n.bucket, n.key})
		if err != nil {
			return nil, err
		}
		return []datanode.File{f}, nil
	}
	return n.listPrefix(ctx, 0)
}

// head returns the File of one object.
func (n *Node) head(ctx context.Context, l location) (datanode.File, error) {
	out, err := n.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &l.bucket, Key: &l.key})
	if err != nil {
		return datanode.File{}, n.s3Err("head "+l.url(), l, err)
	}
	return datanode.File{Name: baseName(l.key), URL: l.url(), Size: aws.ToInt64(out.ContentLength)}, nil
}

// listPrefix lists visible objects under the prefix; limit > 0 stops
// after that many.
func (n *Node) listPrefix(ctx context.Context, limit int) ([]datanode.File, error) {
	in := &s3.ListObjectsV2Input{Bucket: &n.bucket, Prefix: aws.String(n.key)}
	p := s3.NewListObjectsV2Paginator(n.client, in)
	var files []datanode.File
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, n.s3Err("list "+location{n.bucket, n.key}.url(), location{n.bucket, n.key}, err)
		}
		for _, o := range page.Contents {
			rel := strings.TrimPrefix(aws.ToString(o.Key), n.key)
			if rel == "" || strings.HasSuffix(rel, "/") || datanode.Hidden(rel) {
				continue
			}
			files = append(files, datanode.File{Name: rel, URL: location{n.bucket, aws.ToString(o.Key)}.url(), Size: aws.ToInt64(o.Size)})
			if limit > 0 && len(files) >= limit {
				return files, nil
			}
		}
	}
	return files, nil
}

// Open opens a listed object: with ranged GETs in parallel when it
// spans several download parts, else with one streaming GET.
func (n *Node) Open(ctx context.Context, f datanode.File) (io.ReadCloser, error) {
	l, err := parseURI(f.URL, false)
	if err != nil {
		return nil, datanode.Invalidf(n.name, "open: %v", err)
	}
	if n.cfg.DownloadConcurrency > 1 && f.Size > 2*n.cfg.DownloadPartSize {
		return n.openRanged(ctx, l, f.Size)
	}
	out, err := n.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &l.bucket, Key: &l.key})
	if err != nil {
		return nil, n.s3Err("get "+l.url(), l, err)
	}
	return out.Body, nil
}

// baseName is the last element of a key.
func baseName(key string) string {
	return key[strings.LastIndexByte(key, '/')+1:]
}
