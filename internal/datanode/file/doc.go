// Package file is the local file system adapter of datanode.Files: an
// S3DataNode whose directoryPath or filePath is a file:// URI or a plain
// path (relative paths are relative to the runner's working directory).
//
// Listing walks the directory recursively in name order and skips names
// starting with "_" or "." (as Hadoop does: _SUCCESS, and the temporary
// files of outputs being written). Create writes to a hidden temporary
// file in the target's directory; Commit fsyncs it and renames it over
// the target, so readers see the old file or the whole new one; Abort
// removes it.
package file
