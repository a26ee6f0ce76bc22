package dynamodb

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// ExportOptions tune Export.
type ExportOptions struct {
	// FileItems is the most items per data file (default 1,000,000).
	FileItems int64
}

// ExportResult is what Export wrote.
type ExportResult struct {
	Items int64
	Files []datanode.File
}

// Export scans src into dst, a directory node, in the DynamoDbExport
// layout: data files named like the tool's (random UUIDs) holding one
// export-format item per line, then "manifest" listing them, then an
// empty "_SUCCESS". Each file is committed atomically; on failure the
// files already committed stay but no manifest is written, so
// DynamoDbImport (and Import) see no export.
func Export(ctx context.Context, src *Node, dst datanode.Files, opts ExportOptions) (ExportResult, error) {
	if !dst.IsDir() {
		return ExportResult{}, datanode.Invalidf(dst.Name(), "a DynamoDB export needs a directoryPath")
	}
	r, err := src.Read(ctx)
	if err != nil {
		return ExportResult{}, err
	}
	defer r.Close()
	res, err := exportFiles(ctx, r, dst, max(opts.FileItems, 0))
	if err != nil {
		return res, err
	}
	return res, writeMarkers(ctx, dst, res.Files)
}

// exportFiles writes the records of r into data files.
func exportFiles(ctx context.Context, r datanode.RecordReader, dst datanode.Files, perFile int64) (ExportResult, error) {
	if perFile == 0 {
		perFile = 1_000_000
	}
	f := &format.Format{Type: format.TypeDynamoDBExport, RecordSeparator: '\n'}
	var res ExportResult
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return res, nil
		}
		if err != nil {
			return res, err
		}
		file, n, err := writeFile(ctx, r, dst, f, rec, perFile)
		res.Items += n
		if err != nil {
			return res, err
		}
		res.Files = append(res.Files, file)
	}
}

// writeFile writes first and up to perFile-1 more records into a new
// data file.
func writeFile(ctx context.Context, r datanode.RecordReader, dst datanode.Files, f *format.Format, first format.Record, perFile int64) (datanode.File, int64, error) {
	w, err := datanode.CreateRecords(ctx, dst, newUUID(), f)
	if err != nil {
		return datanode.File{}, 0, err
	}
	rec := first
	for {
		if err := w.Write(ctx, rec); err != nil {
			return datanode.File{}, 0, errors.Join(err, w.Abort(ctx))
		}
		if w.Count() >= perFile {
			break
		}
		rec, err = r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return datanode.File{}, 0, errors.Join(err, w.Abort(ctx))
		}
	}
	n, err := w.Commit(ctx)
	if err != nil {
		return datanode.File{}, 0, errors.Join(err, w.Abort(ctx))
	}
	return w.File(), n, nil
}

// writeMarkers writes the manifest listing files, then _SUCCESS.
func writeMarkers(ctx context.Context, dst datanode.Files, files []datanode.File) error {
	urls := make([]string, len(files))
	for i, f := range files {
		urls[i] = f.URL
	}
	var b strings.Builder
	if err := format.WriteExportManifest(&b, urls); err != nil {
		return err
	}
	for _, m := range []struct{ name, body string }{{format.ExportManifestName, b.String()}, {"_SUCCESS", ""}} {
		if err := writeSmall(ctx, dst, m.name, m.body); err != nil {
			return err
		}
	}
	return nil
}

// writeSmall writes one small file atomically.
func writeSmall(ctx context.Context, dst datanode.Files, name, body string) error {
	out, err := dst.Create(ctx, name)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(out, body); err != nil {
		return errors.Join(err, out.Abort(ctx))
	}
	_, err = out.Commit(ctx)
	return err
}

// newUUID returns a random (version 4) UUID, as DynamoDbExport names its
// data files.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Import writes the items of an export directory into dst: the files the
// directory's "manifest" lists when it has one (as DynamoDbImport does),
// else every visible file. It returns the items written.
func Import(ctx context.Context, src datanode.Files, dst *Node) (int64, error) {
	files, err := importFiles(ctx, src)
	if err != nil {
		return 0, err
	}
	f := &format.Format{Type: format.TypeDynamoDBExport, RecordSeparator: '\n'}
	r := datanode.NewFilesReader(ctx, src, files, f)
	defer r.Close()
	w, err := dst.Write(ctx, datanode.Append)
	if err != nil {
		return 0, err
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return w.Commit(ctx)
		}
		if err == nil {
			err = w.Write(ctx, rec)
		}
		if err != nil {
			return 0, errors.Join(err, w.Abort(ctx))
		}
	}
}

// importFiles lists an export directory's data files.
func importFiles(ctx context.Context, src datanode.Files) ([]datanode.File, error) {
	all, err := src.List(ctx)
	if err != nil {
		return nil, err
	}
	var data []datanode.File
	for _, f := range all {
		if f.Name != format.ExportManifestName {
			data = append(data, f)
			continue
		}
		return manifestFiles(ctx, src, f, all)
	}
	return data, nil
}

// manifestFiles returns the files a manifest lists, matched by URL (or,
// when the export was moved, by base name) against the listing.
func manifestFiles(ctx context.Context, src datanode.Files, manifest datanode.File, all []datanode.File) ([]datanode.File, error) {
	rc, err := src.Open(ctx, manifest)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	m, err := format.ReadManifest(rc)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", src.Name(), manifest.URL, err)
	}
	byURL, byBase := map[string]datanode.File{}, map[string]datanode.File{}
	for _, f := range all {
		byURL[f.URL] = f
		byBase[f.URL[strings.LastIndexByte(f.URL, '/')+1:]] = f
	}
	files := make([]datanode.File, 0, len(m.Entries))
	for _, e := range m.Entries {
		f, ok := byURL[e.URL]
		if !ok {
			f, ok = byBase[e.URL[strings.LastIndexByte(e.URL, '/')+1:]]
		}
		if !ok {
			return nil, datanode.NotFoundf(src.Name(), "%s lists %s, which is not in the directory", manifest.URL, e.URL)
		}
		files = append(files, f)
	}
	return files, nil
}
