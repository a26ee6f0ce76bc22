package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// maxCopyObject is the largest object CopyObject copies in one request.
const maxCopyObject = 5 << 30

// copyPartSize is the part size of a multipart server-side copy.
const copyPartSize = 512 << 20

// CopyFile copies f of src to the object name server-side when src is an
// S3 node on the same client: CopyObject up to 5 GiB, UploadPartCopy
// parts beyond. ok is false for other sources.
func (n *Node) CopyFile(ctx context.Context, src datanode.Files, f datanode.File, name string) (datanode.File, bool, error) {
	s, isS3 := src.(*Node)
	if !isS3 || s.client != n.client {
		return datanode.File{}, false, nil
	}
	from, err := parseURI(f.URL, false)
	if err != nil {
		return datanode.File{}, false, datanode.Invalidf(n.name, "copy: %v", err)
	}
	to, rel, err := n.target(name)
	if err != nil {
		return datanode.File{}, false, err
	}
	if f.Size > maxCopyObject {
		err = n.copyMultipart(ctx, from, to, f.Size)
	} else {
		err = n.copyObject(ctx, from, to)
	}
	if err != nil {
		return datanode.File{}, false, err
	}
	return datanode.File{Name: rel, URL: to.url(), Size: f.Size}, true, nil
}

// copySource is the x-amz-copy-source of l.
func copySource(l location) string {
	return l.bucket + "/" + strings.ReplaceAll(url.PathEscape(l.key), "%2F", "/")
}

// copyObject copies one object in one request.
func (n *Node) copyObject(ctx context.Context, from, to location) error {
	_, err := n.client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: &to.bucket, Key: &to.key, CopySource: aws.String(copySource(from)), ServerSideEncryption: n.sse,
	})
	if err != nil {
		return n.s3Err("copy "+from.url()+" to "+to.url(), from, err)
	}
	return nil
}

// copyMultipart copies a large object part by part; the target appears
// only at CompleteMultipartUpload.
func (n *Node) copyMultipart(ctx context.Context, from, to location, size int64) error {
	u := n.newUpload(ctx, to, "")
	if err := u.start(); err != nil {
		return err
	}
	for off, num := int64(0), int32(1); off < size; off, num = off+copyPartSize, num+1 {
		rng := fmt.Sprintf("bytes=%d-%d", off, min(off+copyPartSize, size)-1)
		out, err := n.client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{
			Bucket: &to.bucket, Key: &to.key, UploadId: &u.uploadID, PartNumber: aws.Int32(num),
			CopySource: aws.String(copySource(from)), CopySourceRange: &rng,
		})
		if err != nil {
			return errors.Join(n.s3Err("copy part of "+from.url(), from, err), u.Abort(ctx))
		}
		u.parts = append(u.parts, types.CompletedPart{PartNumber: aws.Int32(num), ETag: out.CopyPartResult.ETag})
	}
	if err := u.complete(ctx); err != nil {
		return errors.Join(err, u.Abort(ctx))
	}
	return nil
}

// WriteManifest writes the manifest at manifestFilePath in one
// PutObject.
func (n *Node) WriteManifest(ctx context.Context, files []datanode.File) error {
	if n.manifest == nil {
		return datanode.Invalidf(n.name, "the node has no manifestFilePath")
	}
	urls := make([]string, len(files))
	for i, f := range files {
		urls[i] = f.URL
	}
	var b bytes.Buffer
	if err := format.WriteManifest(&b, urls); err != nil {
		return datanode.Wrap(n.name, "write manifest", err)
	}
	l := *n.manifest
	_, err := n.client.PutObject(ctx, &s3.PutObjectInput{Bucket: &l.bucket, Key: &l.key, Body: bytes.NewReader(b.Bytes()), ServerSideEncryption: n.sse})
	if err != nil {
		return n.s3Err("put "+l.url(), l, err)
	}
	return nil
}

// listManifest returns the manifest's entries.
func (n *Node) listManifest(ctx context.Context) ([]datanode.File, error) {
	l := *n.manifest
	out, err := n.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &l.bucket, Key: &l.key})
	if err != nil {
		if isNoSuchKey(err) {
			return nil, err
		}
		return nil, n.s3Err("get "+l.url(), l, err)
	}
	defer out.Body.Close()
	m, err := format.ReadManifest(out.Body)
	if err != nil {
		return nil, datanode.Invalidf(n.name, "manifestFilePath %s: %v", l.url(), err)
	}
	files := make([]datanode.File, 0, len(m.Entries))
	for _, e := range m.Entries {
		el, err := parseURI(e.URL, false)
		if err != nil {
			return nil, datanode.Invalidf(n.name, "manifest %s: %v", l.url(), err)
		}
		f, err := n.head(ctx, el)
		if err != nil && (e.Mandatory || !isNotFound(err)) {
			return nil, err
		}
		if err == nil {
			files = append(files, f)
		}
	}
	return files, nil
}
