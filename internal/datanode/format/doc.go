// Package format reads and writes the records of the data format objects
// (objects.md §5.6): CSV, TSV, Custom, RegEx, DynamoDBDataFormat and
// DynamoDBExportDataFormat, each with an optional column list.
//
// A Format is parsed once from its pipeline object (New) and then makes
// streaming Readers (io.Reader → records) and Writers (records →
// io.Writer) that hold one record and a fixed-size buffer at a time,
// whatever the size of the data.
//
// Records are lists of named, typed Values (Record, Field, Value), whose
// kinds are DynamoDB's attribute types, so that one model carries CSV
// rows, SQL rows and DynamoDB items. Tabular readers name fields after
// the column list and type them by the column types (INT, DOUBLE… read as
// Number, BOOLEAN as Bool); without a column list every field is an
// unnamed String. Writers with a column list write fields by name, in
// column order.
//
// Layouts:
//   - CSV: RFC 4180 double-quote quoting; an unquoted empty field is
//     Null and "" an empty string (as PostgreSQL's COPY … CSV); an
//     escapeChar, when set, escapes the next character.
//   - TSV and Custom: columnSeparator / recordSeparator with escapeChar
//     (TSV default \): \t, \n, \r and \\ as in PostgreSQL's text
//     format, and \N for Null. Custom has no escape unless one is set,
//     and writing a value that holds a separator then fails.
//   - RegEx: one record per line, split by inputRegEx's groups (the whole
//     line must match); written with outputFormat's %1$s conversions.
//   - DynamoDBDataFormat and DynamoDBExportDataFormat: one item per line
//     as the emr-dynamodb-tools DynamoDbExport step writes it
//     ({"name":{"s":"x"},"n":{"n":"1"},"set":{"sS":["a"]}}); readers also
//     take the SDK v2 spellings and the older Hive ETX/STX layout. With
//     a column list, writers type String values by their columns
//     ("count BIGINT" → {"n":…}) and leave Null fields out.
//     WriteExportManifest and ReadManifest handle the manifest beside the
//     data files.
//
// Every error about the data is a *RowError naming the source (node and
// file), the record number and, when known, the column; it matches
// ErrMalformed. Errors about the format object name its type and id.
package format
