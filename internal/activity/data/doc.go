// Package data opens what data activities and preconditions work on: the
// data nodes of a task (datanode.Files for S3DataNode on s3:// or the
// local file system, datanode.Table for SqlDataNode, MySqlDataNode,
// RedshiftDataNode and DynamoDBDataNode) and the databases of
// SqlActivity and RdsSqlPrecondition, with the AWS clients of the
// runner's configuration.
//
// An Opener is built once at wiring time from a Config holding the AWS
// client factory (awsclient.Factory implements Clients) and the
// adapters' tuning, and is safe for concurrent use. The region of a node
// is its own region field, else the region of the resource the attempt
// runs on, else the factory's default region.
//
// Fail turns a data error into the attempt failure the runner reports,
// with an errorId saying what kind it is: InvalidDataNode (a bad node
// object, datanode.ErrInvalid), DataNotFound (a missing file, bucket or
// table, datanode.ErrNotFound), MalformedRecord (a row that cannot be
// read or written, format.ErrMalformed), DataAccessDenied (refused
// credentials), else TaskRunnerError. The message is the error's own,
// which names the node and the row or key.
package data
