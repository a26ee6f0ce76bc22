// Package redshift runs RedshiftCopyActivity attempts (objects.md
// §5.1.9) on PostgreSQL, which speaks Redshift's wire protocol: the data
// of the input node (S3DataNode, DynamoDBDataNode or a SQL node) is
// loaded into a temporary table named staging shaped like the target
// table of the output RedshiftDataNode (or SqlDataNode), optionally
// reshaped by transformSql (a SELECT over staging whose columns are the
// target's), and merged into the target per insertMode, all in one
// transaction:
//
//   - KEEP_EXISTING: inserts the rows whose key is not in the target;
//   - OVERWRITE_EXISTING: deletes the target rows whose key is loaded,
//     then inserts every loaded row;
//   - TRUNCATE: deletes every target row, then inserts the loaded rows;
//   - APPEND: inserts the loaded rows.
//
// The key is the output node's primaryKeys, else the target table's
// primary key; KEEP_EXISTING and OVERWRITE_EXISTING fail without one.
// Every write is in the transaction, so a failure (a malformed row, a
// transformSql error, a key conflict) leaves the target exactly as it
// was, old rows included, even for OVERWRITE_EXISTING and TRUNCATE. The
// target is created with createTableSql when it does not exist.
//
// Loading: files go to staging with one streaming COPY … FROM STDIN
// when the target is PostgreSQL, else record by record (batched
// INSERTs); DynamoDB items and SQL rows go record by record, by column
// name. The layout of the files is the input's dataFormat when it names
// one (commandOptions are then ignored, as on AWS), else the
// commandOptions, starting from Redshift's defaults (text, '|'
// delimiter, \N for NULL). The commandOptions subset (see Supported):
// CSV [QUOTE [AS] '"'], FORMAT [AS] CSV, DELIMITER [AS] 'c',
// IGNOREHEADER [AS] n, NULL [AS] 'text', GZIP (the input's compression
// field does the same), ESCAPE and MANIFEST (the node's
// manifestFilePath is always honoured); REGION, COMPUPDATE, STATUPDATE,
// MAXERROR, DATEFORMAT, TIMEFORMAT and ACCEPTINVCHARS are accepted
// without effect. Anything else fails the attempt, naming the option.
// Backslashes are escapes in every non-CSV load (PostgreSQL's text
// format), as with Redshift's ESCAPE. The Redshift queue (query_group) is
// not applied.
//
// With an S3DataNode output (UNLOAD), the activity copies the input to
// it as CopyActivity does.
package redshift
