// Package hive runs HiveCopyActivity attempts (objects.md §5.1.7)
// natively, without Hive or a cluster: the items of the input node are
// streamed to the output node, keeping those that pass filterSql and,
// when the output's data format lists columns, only those attributes.
//
// Pairs: DynamoDB to S3, DynamoDB to DynamoDB and S3 to DynamoDB (AWS
// allows no S3 to S3). S3 data is in DynamoDBExportDataFormat (one JSON
// item per line, as the emr-dynamodb-tools export writes it) unless the
// S3 node names another format; an S3 output directory gets its items in
// part-00000.json (.gz when compressed), written atomically. DynamoDB
// writes land as they go (batch writes), as with Hive.
//
// filterSql is a predicate without WHERE, in the subset ParseFilter
// documents: comparisons of attributes with literals (=, !=, <>, <, <=,
// >, >=), IS [NOT] NULL, [NOT] IN, [NOT] LIKE, [NOT] BETWEEN, combined
// with AND, OR, NOT and parentheses. Anything else (functions,
// arithmetic, subqueries) fails the attempt with an error giving the
// offset at fault. generatedScriptsPath is ignored: no script is
// generated. preActivityTaskConfig and postActivityTaskConfig are not
// run.
package hive
