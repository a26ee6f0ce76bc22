// Package s3 is the S3 adapter of datanode.Files: an S3DataNode whose
// directoryPath or filePath is an s3:// (s3n://, s3a://) URI, served by
// an *s3.Client the caller builds (endpoint, region, path style and
// credentials are the caller's business).
//
// Listing uses ListObjectsV2 under the directory's prefix (the path plus
// "/"), in key order, skipping folder markers and names starting with "_"
// or "." (as Hadoop does).
//
// Reads: by default every object is read with one streaming GET. With
// Config.DownloadConcurrency > 1, an object larger than two
// DownloadPartSize is read with that many ranged GETs in flight, handed
// out in order from a small pool of buffers (for high-latency links such
// as AWS S3).
//
// CopyFile and datanode.CopyFile between S3 nodes: on the same client,
// a server-side copy; otherwise (another endpoint or credentials) the
// source is streamed into one PutObject of known length (PutFile), which
// holds no part buffers.
//
// Writes and atomicity: an output is buffered in PartSize parts. If it
// ends before the first part fills, Commit writes it with one PutObject;
// otherwise the parts go up as a multipart upload (UploadConcurrency at
// once) and Commit sends CompleteMultipartUpload. S3 makes an object
// visible only when PutObject or CompleteMultipartUpload succeeds, so the
// uncompleted upload is the "temporary key": readers see the old object
// or the whole new one, never a part, and Abort (AbortMultipartUpload)
// leaves the target untouched. No copy-then-delete is needed.
//
// CopyFile copies between S3 nodes on the same client server-side
// (CopyObject, or UploadPartCopy beyond 5 GiB).
//
// s3EncryptionType SERVER_SIDE_ENCRYPTION set explicitly sends
// x-amz-server-side-encryption: AES256; when the field is absent nothing
// is sent, and the bucket's default encryption applies (AWS encrypts
// every new object with SSE-S3 by default).
//
// Errors name the node and URL; missing buckets and keys match
// datanode.ErrNotFound; refused credentials say "access denied".
package s3
