// Package datanode is the port between activities and the data they move:
// data nodes (objects.md §5.2) as byte-stream Files (S3DataNode on S3 or
// the local file system) or record Tables (SqlDataNode, MySqlDataNode,
// RedshiftDataNode, DynamoDBDataNode), plus the helpers that make
// activities thin (OpenRecords, CreateRecords, CopyFile).
//
// Adapters live in sub-packages (file, s3, sql, dynamodb); each has a
// constructor taking the node's pipeline.Object, as the task hands it
// over with every field evaluated, and a Lookup for the objects it refers
// to (dataFormat, database). Clients (S3, DynamoDB) are passed in; this
// package never builds them from configuration.
//
// Contracts every adapter keeps:
//   - Every error starts with the node's Name ("S3DataNode MyInput: …").
//     A bad node object matches ErrInvalid; a missing file, directory,
//     bucket or table matches ErrNotFound; a record that cannot be parsed
//     is a *format.RowError naming the file and the row.
//   - Outputs are atomic per file: Files.Create writes to a temporary
//     name (local) or to a PutObject or multipart upload that S3 only
//     publishes when it completes; Commit publishes at once, and Abort,
//     or a failure before Commit, leaves the target as it was. SQL table
//     writes (Append and Replace alike) are one transaction, so a failed
//     Replace leaves the old rows in place. DynamoDB has no such
//     transaction: its items land as they are written.
//   - Memory is bounded: readers and writers stream through fixed
//     buffers whatever the size of the data.
//
// The conformance suites in datanodetest check these contracts against
// real servers.
package datanode
