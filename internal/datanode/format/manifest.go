package format

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ExportManifestName is the file the DynamoDbExport step writes beside
// its data files, and DynamoDbImport reads to find them.
const ExportManifestName = "manifest"

// ExportManifestVersion is the version DynamoDbExport writes.
const ExportManifestVersion = 3

// WriteExportManifest writes the DynamoDbExport manifest listing urls:
// {"name":"DynamoDB-export","version":3,
// "entries": [
// {"url":"s3://…","mandatory":true},
// …
// ]}
func WriteExportManifest(w io.Writer, urls []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "{\"name\":\"DynamoDB-export\",\"version\":%d,\n\"entries\": [\n", ExportManifestVersion)
	for i, u := range urls {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"url":`)
		appendJSONString(&b, u)
		b.WriteString(`,"mandatory":true}`)
	}
	b.WriteString("\n]}")
	_, err := io.WriteString(w, b.String())
	return err
}

// Manifest is a list of data files: a DynamoDbExport manifest or a
// Redshift COPY manifest, which share the entries layout.
type Manifest struct {
	Name    string          `json:"name,omitempty"`
	Version int             `json:"version,omitempty"`
	Entries []ManifestEntry `json:"entries"`
}

// ManifestEntry is one file of a manifest.
type ManifestEntry struct {
	URL       string `json:"url"`
	Mandatory bool   `json:"mandatory"`
}

// ReadManifest parses a manifest. It fails when an entry has no url.
func ReadManifest(r io.Reader) (*Manifest, error) {
	var m Manifest
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	for i, e := range m.Entries {
		if e.URL == "" {
			return nil, fmt.Errorf("read manifest: entry %d has no url", i+1)
		}
	}
	return &m, nil
}

// WriteManifest writes a Redshift COPY manifest listing urls, all
// mandatory.
func WriteManifest(w io.Writer, urls []string) error {
	m := Manifest{Entries: make([]ManifestEntry, len(urls))}
	for i, u := range urls {
		m.Entries[i] = ManifestEntry{URL: u, Mandatory: true}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(m)
}
