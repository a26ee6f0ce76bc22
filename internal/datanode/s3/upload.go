package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/datapipe/datapipe/internal/datanode"
)

// Create starts writing the object name under the prefix (or the node's
// object when name is ""). Nothing appears at the key before Commit: a
// small output is one PutObject at Commit, a large one a multipart upload
// that CompleteMultipartUpload publishes at once (and Abort discards).
func (n *Node) Create(ctx context.Context, name string) (datanode.Output, error) {
	l, rel, err := n.target(name)
	if err != nil {
		return nil, err
	}
	return n.newUpload(ctx, l, rel), nil
}

// target is the location of output file name.
func (n *Node) target(name string) (location, string, error) {
	if !n.dir {
		if name != "" && name != baseName(n.key) {
			return location{}, "", datanode.Invalidf(n.name, "a filePath node holds one object; cannot create %q in it", name)
		}
		return location{n.bucket, n.key}, baseName(n.key), nil
	}
	if name == "" || name[0] == '/' || slices.Contains(splitPath(name), "..") {
		return location{}, "", datanode.Invalidf(n.name, "output file name %q is not a path inside the directory", name)
	}
	return location{n.bucket, n.key + name}, name, nil
}

// splitPath splits a slash path into elements.
func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return out
}

// upload is an object being written.
type upload struct {
	n        *Node
	ctx      context.Context
	l        location
	rel      string
	buf      *[]byte
	pool     *bufPool
	sem      chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	err      error
	parts    []types.CompletedPart
	uploadID string
	size     int64
	done     bool
}

// newUpload returns an empty upload to l.
func (n *Node) newUpload(ctx context.Context, l location, rel string) *upload {
	psize := n.cfg.PartSize
	pool := newBufPool(n.cfg.UploadConcurrency+1, psize)
	return &upload{n: n, ctx: ctx, l: l, rel: rel, pool: pool, buf: pool.get(), sem: make(chan struct{}, n.cfg.UploadConcurrency)}
}

// Write buffers p, uploading every full part in the background (at most
// UploadConcurrency at once; Write blocks beyond that).
func (u *upload) Write(p []byte) (int, error) {
	if u.done {
		return 0, fmt.Errorf("%s: write %s after Commit or Abort", u.n.name, u.l.url())
	}
	written := 0
	for len(p) > 0 {
		if err := u.failure(); err != nil {
			return written, err
		}
		k := min(len(p), cap(*u.buf)-len(*u.buf))
		*u.buf = append(*u.buf, p[:k]...)
		p, written = p[k:], written+k
		if len(*u.buf) == cap(*u.buf) {
			if err := u.sendPart(); err != nil {
				return written, err
			}
		}
	}
	u.size += int64(written)
	return written, nil
}

// failure returns the first upload error.
func (u *upload) failure() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.err
}

// fail records the first upload error.
func (u *upload) fail(err error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.err == nil {
		u.err = err
	}
}

// sendPart starts uploading the buffered part.
func (u *upload) sendPart() error {
	if u.uploadID == "" {
		if err := u.start(); err != nil {
			return err
		}
	}
	buf := u.buf
	u.buf = u.pool.get()
	u.mu.Lock()
	u.parts = append(u.parts, types.CompletedPart{})
	num := int32(len(u.parts))
	u.mu.Unlock()
	u.sem <- struct{}{}
	u.wg.Add(1)
	go func() {
		defer func() { <-u.sem; u.wg.Done() }()
		etag, err := u.uploadPart(num, *buf)
		u.pool.put(buf)
		if err != nil {
			u.fail(err)
			return
		}
		u.mu.Lock()
		u.parts[num-1] = types.CompletedPart{PartNumber: aws.Int32(num), ETag: etag}
		u.mu.Unlock()
	}()
	return nil
}

// start creates the multipart upload.
func (u *upload) start() error {
	out, err := u.n.client.CreateMultipartUpload(u.ctx, &s3.CreateMultipartUploadInput{
		Bucket: &u.l.bucket, Key: &u.l.key, ServerSideEncryption: u.n.sse,
	})
	if err != nil {
		return u.n.s3Err("create upload "+u.l.url(), u.l, err)
	}
	u.uploadID = aws.ToString(out.UploadId)
	return nil
}

// uploadPart uploads one part and returns its ETag.
func (u *upload) uploadPart(num int32, data []byte) (*string, error) {
	out, err := u.n.client.UploadPart(u.ctx, &s3.UploadPartInput{
		Bucket: &u.l.bucket, Key: &u.l.key, UploadId: &u.uploadID, PartNumber: aws.Int32(num),
		Body: bytes.NewReader(data), ContentLength: aws.Int64(int64(len(data))),
	}, unsignedPayload)
	if err != nil {
		return nil, u.n.s3Err(fmt.Sprintf("upload part %d of %s", num, u.l.url()), u.l, err)
	}
	return out.ETag, nil
}

// Commit publishes the object: PutObject when nothing was uploaded yet,
// else the last part and CompleteMultipartUpload.
func (u *upload) Commit(ctx context.Context) (datanode.File, error) {
	if u.done {
		return datanode.File{}, fmt.Errorf("%s: %s is already committed or aborted", u.n.name, u.l.url())
	}
	var err error
	if u.uploadID == "" {
		err = u.put(ctx)
	} else {
		err = u.complete(ctx)
	}
	if err != nil {
		return datanode.File{}, errors.Join(err, u.Abort(ctx))
	}
	u.done = true
	return datanode.File{Name: u.rel, URL: u.l.url(), Size: u.size}, nil
}

// put uploads the whole object in one request.
func (u *upload) put(ctx context.Context) error {
	data := *u.buf
	_, err := u.n.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &u.l.bucket, Key: &u.l.key, Body: bytes.NewReader(data),
		ContentLength: aws.Int64(int64(len(data))), ServerSideEncryption: u.n.sse,
	}, unsignedPayload)
	if err != nil {
		return u.n.s3Err("put "+u.l.url(), u.l, err)
	}
	return nil
}

// complete uploads the last part, waits for all, and completes.
func (u *upload) complete(ctx context.Context) error {
	if len(*u.buf) > 0 {
		if err := u.sendPart(); err != nil {
			return err
		}
	}
	u.wg.Wait()
	if err := u.failure(); err != nil {
		return err
	}
	_, err := u.n.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: &u.l.bucket, Key: &u.l.key, UploadId: &u.uploadID,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: u.parts},
	})
	if err != nil {
		return u.n.s3Err("complete upload "+u.l.url(), u.l, err)
	}
	return nil
}

// Abort waits for uploads in flight and aborts the multipart upload.
func (u *upload) Abort(ctx context.Context) error {
	if u.done {
		return nil
	}
	u.done = true
	u.wg.Wait()
	if u.uploadID == "" {
		return nil
	}
	_, err := u.n.client.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{
		Bucket: &u.l.bucket, Key: &u.l.key, UploadId: &u.uploadID,
	})
	if err != nil {
		return u.n.s3Err("abort upload "+u.l.url(), u.l, err)
	}
	return nil
}

// unsignedPayload signs uploads with UNSIGNED-PAYLOAD instead of hashing
// every byte with SHA-256 first (as the SDK's transfer manager does):
// the SDK's CRC32 checksum header still protects the body.
var unsignedPayload = s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)

// checksumWhenRequired skips the SDK's default CRC32 request checksum,
// which it cannot compute ahead of an unseekable stream over plain HTTP
// ("unseekable stream is not supported without TLS and trailing
// checksum"): S3-compatible servers on http:// endpoints refuse the
// streaming PutObject otherwise.
var checksumWhenRequired = func(o *s3.Options) { o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired }

// maxPutObject is the largest object PutObject writes in one request.
const maxPutObject = 5 << 30

// PutFile writes the object name from r (size bytes) with one streaming
// PutObject, which S3 publishes atomically: no part buffers, and the
// speed of a plain GET-then-PUT. ok is false beyond 5 GiB.
func (n *Node) PutFile(ctx context.Context, name string, r io.Reader, size int64) (datanode.File, bool, error) {
	if size < 0 || size > maxPutObject {
		return datanode.File{}, false, nil
	}
	l, rel, err := n.target(name)
	if err != nil {
		return datanode.File{}, false, err
	}
	_, err = n.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &l.bucket, Key: &l.key, Body: io.NopCloser(r), ContentLength: aws.Int64(size), ServerSideEncryption: n.sse,
	}, unsignedPayload, checksumWhenRequired)
	if err != nil {
		return datanode.File{}, false, n.s3Err("put "+l.url(), l, err)
	}
	return datanode.File{Name: rel, URL: l.url(), Size: size}, true, nil
}
