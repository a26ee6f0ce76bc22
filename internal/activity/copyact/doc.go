// Package copyact runs CopyActivity attempts (objects.md §5.1.2): it
// copies the data of the activity's input node into its output node, for
// any pair of S3DataNode (s3:// or local), SqlDataNode/MySqlDataNode/
// RedshiftDataNode and DynamoDBDataNode.
//
// Paths, from fastest to most general:
//   - Files to Files with the same data format: byte for byte, file by
//     file, server-side (S3 CopyObject) when both nodes are on the same S3
//     client and compression; a directory's files keep their names under
//     an output directory, a single file keeps its base name; several
//     files into one filePath are concatenated.
//   - Files to a PostgreSQL table (no insertQuery) in a format COPY reads
//     (CSV, TSV, Custom with a backslash escape): one streaming COPY …
//     FROM STDIN of every input file, in one transaction.
//   - Anything else: record by record, parsed with the input's format and
//     written with the output's (a SQL node's insertQuery or batched
//     INSERTs in one transaction; DynamoDB batch writes). A table written
//     to a directoryPath becomes its file part-00000 (with .csv, .tsv or
//     .json, and .gz when compressed).
//
// A DynamoDB side makes DynamoDBExportDataFormat the default format of the
// S3 side, when that names no dataFormat.
//
// Every path streams through fixed buffers: memory does not grow with
// the data. Outputs are atomic per file (a temporary name or an
// uncompleted multipart upload, committed at the end) and per table (one
// transaction): a failure leaves the file or table as it was. Files of a
// directory are committed one after the other, so a failure part way
// leaves the files already copied (a retry rewrites them).
//
// Errors name the node and the file and row, or the key; their errorId
// comes from data.Fail.
package copyact
