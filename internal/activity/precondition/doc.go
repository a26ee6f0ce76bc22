// Package precondition runs the data preconditions (objects.md §5.4) on
// the task runner: S3KeyExists, S3PrefixNotEmpty, DynamoDBTableExists,
// DynamoDBDataExists and RdsSqlPrecondition. (Exists lives in package
// exists.) Each returns activity.Finished when its condition holds,
// activity.False when it does not, and an error only when the condition
// cannot be checked (refused credentials, an unreachable server, a bad
// field), so that the service retries the check per the precondition's
// retry settings.
//
//   - S3KeyExists: the object s3Key exists (s3://, or file:// and local
//     paths for a file). A missing bucket is False.
//   - S3PrefixNotEmpty: at least one object has s3Prefix as a key prefix
//     (s3://bucket/logs/2024- matches logs/2024-01.csv); for a local path,
//     the directory holds a visible file. A missing bucket is False.
//   - DynamoDBTableExists: the table tableName exists. DynamoDBDataExists:
//     it holds at least one item (a missing table is False). The region
//     is the precondition's region field, else that of the node it
//     guards, else the default.
//   - RdsSqlPrecondition (an extension; AWS dropped the type): the query
//     run against the database (the database reference, or the object's
//     own connectionString, username and *password) returns a first row
//     whose first column is true: not NULL, false, 0 or empty. No row is
//     False.
package precondition
