package datanode

import (
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// Location is where a Files node's data lives: its directoryPath or its
// filePath, exactly one of which must be set.
type Location struct {
	// URI is the field's value ("s3://b/dir", "file:///data/x.csv").
	URI string
	// Dir is true for a directoryPath.
	Dir bool
	// Field is "directoryPath" or "filePath".
	Field string
}

// LocationOf reads obj's directoryPath or filePath. It fails (ErrInvalid)
// when both or neither are set.
func LocationOf(obj pipeline.Object) (Location, error) {
	dir, file := Str(obj, "directoryPath"), Str(obj, "filePath")
	switch {
	case dir != "" && file != "":
		return Location{}, Invalidf(Name(obj), "directoryPath and filePath are both set")
	case dir != "":
		return Location{URI: dir, Dir: true, Field: "directoryPath"}, nil
	case file != "":
		return Location{URI: file, Field: "filePath"}, nil
	}
	return Location{}, Invalidf(Name(obj), "neither directoryPath nor filePath is set")
}

// Scheme returns a URI's scheme in lower case ("s3", "file"), "" for a
// plain path. s3n:// and s3a:// are "s3".
func Scheme(uri string) string {
	scheme, _, ok := strings.Cut(uri, "://")
	if !ok || strings.ContainsAny(scheme, "/.") {
		return ""
	}
	switch s := strings.ToLower(scheme); s {
	case "s3n", "s3a":
		return "s3"
	default:
		return s
	}
}

// IsS3 reports whether uri is an s3:// (s3n://, s3a://) URI.
func IsS3(uri string) bool { return Scheme(uri) == "s3" }

// Hidden reports whether a file name (any path element of it) is hidden
// from listings, as in Hadoop: it starts with "_" (_SUCCESS) or "."
// (temporary files of uncommitted outputs).
func Hidden(rel string) bool {
	for el := range strings.SplitSeq(rel, "/") {
		if strings.HasPrefix(el, "_") || strings.HasPrefix(el, ".") {
			return true
		}
	}
	return false
}

// TempPrefix starts the names of uncommitted output files.
const TempPrefix = ".datapipe-tmp-"
