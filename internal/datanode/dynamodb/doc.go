// Package dynamodb is the DynamoDB adapter of datanode.Table: a
// DynamoDBDataNode (tableName, region, readThroughputPercent,
// writeThroughputPercent) on an *dynamodb.Client the caller builds for
// the node's region (Region returns it).
//
// Throughput: Read and Write spend at most the node's percent (default
// 0.5, as the EMR DynamoDB connector) of the table's provisioned read or
// write capacity per second, as DescribeTable reports it, through a
// token bucket (datanode.Limiter) fed with the capacity each response
// reports. An on-demand table reports no capacity: it is limited to
// Config.OnDemandRate times a percent the node sets, and not at all when
// it sets none. Rate limits and back-offs run on Config.Clock.
//
// Read is a parallel Scan (Config.Segments segments) whose pages pass
// through a small channel, so memory holds a few pages whatever the
// table's size. Items become records with their attributes in name order
// and DynamoDB types as format kinds.
//
// Write sends BatchWriteItem calls of 25 items (Config.WriteConcurrency at
// once) and retries unprocessed items with back-off. A batch DynamoDB
// rejects (a ValidationException: a key of the wrong type, an empty set)
// is retried item by item to name the record at fault in a
// *format.RowError. DynamoDB has no transaction over a load: items land
// as they go, Abort stops writing, and Replace is refused.
//
// Export and Import move a table to and from a Files node in the layout
// of the emr-dynamodb-tools DynamoDbExport/DynamoDbImport steps: data
// files of one JSON item per line, a "manifest" file listing them, and
// an empty _SUCCESS marker.
package dynamodb
