// Package emr runs EmrActivity attempts (objects.md §5.1.4, §15.6)
// without a cluster, for the steps it knows: the DynamoDbExport and
// DynamoDbImport tools of emr-dynamodb-tools, as the shared samples
// dynamodb-to-dynamodb* call them:
//
//	s3://dynamodb-emr-<region>/emr-ddb-storage-handler/2.1.0/emr-ddb-2.1.0.jar,org.apache.hadoop.dynamodb.tools.DynamoDbExport,<path>,<table>[,<read-ratio>[,<segments>]]
//	…emr-ddb-2.1.0.jar,org.apache.hadoop.dynamodb.tools.DynamoDbImport,<path>,<table>[,<write-ratio>]
//
// A step is recognised by its main class (the first argument after the
// jar, DynamoDbExport or DynamoDBExport in any case), whatever the jar.
// Steps split on commas, `\,` being a comma inside an argument. Hadoop
// generic options (-D key=value) before the tool's arguments are
// accepted and ignored.
//
// Any other step (script-runner, command-runner, a Hive script…) fails
// the attempt with errorId EmrClusterRequired before anything runs; the
// message says how to run it on a real EMR cluster with an external task
// runner in a worker group.
//
// Export scans the table with parallel segments (the step's segment
// count, else Config.Segments), paced to read-ratio × the table's read
// capacity, into the path (s3://, file:// or a local path), in the
// layout of the real tool, which its DynamoDbImport reads:
//
//   - data files named by random UUIDs (no extension), at most
//     Config.ItemsPerFile (100,000, as the tool) items each, one item per
//     line as the tool's Gson serialisation of the SDK v1 AttributeValue:
//     {"id":{"s":"a"},"n":{"n":"1"},"tags":{"sS":["x"]}};
//   - "manifest", written after the data files:
//     {"name":"DynamoDB-export","version":3,\n"entries": [\n{"url":"s3://…/<uuid>","mandatory":true},\n…\n]};
//   - an empty "_SUCCESS" last.
//
// As the Hadoop job refuses an existing output directory, an export into
// a directory that already holds files fails (OutputDirectoryExists), and
// a failed export deletes the files it wrote: the directory holds a
// whole export or nothing.
//
// Import reads the files the directory's manifest lists (every visible
// file when there is none: the older layout), as the real DynamoDbImport
// does, and writes them with BatchWriteItem, paced to write-ratio × the
// table's write capacity. DynamoDB has no transaction over a load, so
// items land as they go. A missing ratio is the node's
// readThroughputPercent/writeThroughputPercent, else 0.5 (the tools'
// default); an on-demand table counts as 40,000 units a second. The
// scanning, writing, pacing and layout are the DynamoDB adapter's
// (internal/datanode/dynamodb).
//
// Regions. The table is the activity's DynamoDBDataNode of that
// tableName when it has one; its region is the node's region field,
// else the region of the EmrCluster the activity runs on, else the
// configured default. The directory's S3 client starts from the same
// rule, but a bucket lives in one region: when S3 answers that it lives
// in another (x-amz-bucket-region, or the region a compatible server
// names), that region's client is used, so the cross-region sample's
// temporary bucket is reachable from both clusters.
//
// preStepCommand values run before the steps and postStepCommand values
// after them, each as a ShellCommandActivity command (Config.Shell).
// Errors carry the data error ids of activity/data (DataNotFound,
// MalformedRecord naming the file and row…) or DynamoDBTableNotFound.
package emr
