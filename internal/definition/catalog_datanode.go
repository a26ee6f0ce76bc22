package definition

// Data nodes: objects.md §5.2.

// catDataNodeNames lists the data node types.
func catDataNodeNames() []string {
	return []string{"S3DataNode", "SqlDataNode", "MySqlDataNode", "DynamoDBDataNode", "RedshiftDataNode"}
}

func catDataNodes() []*TypeSpec {
	return []*TypeSpec{
		catS3DataNode(),
		catSqlDataNode("SqlDataNode"),
		catSqlDataNode("MySqlDataNode"), // deprecated, same fields (§5.2.2)
		catDynamoDBDataNode(),
		catRedshiftDataNode(),
	}
}

// catDataNode starts a data node: groups U, R, S, W (optional), P.
func catDataNode(name string) *catTypeDef {
	return catDefine(name, CategoryDataNode).
		with(catGroupR()...).
		with(catGroupS()...).
		with(catGroupW()...).
		with(catGroupP()...)
}

// catS3DataNode is S3DataNode. The docs list filePath and directoryPath as
// optional but say "you must provide either"; §16.3 rule 16 makes them an
// exactly-one group, and every AWS sample sets exactly one, so the rule is
// ExactlyOne rather than Exclusive.
func catS3DataNode() *TypeSpec {
	return catDataNode("S3DataNode").with(
		fStr("filePath"),
		fStr("directoryPath"),
		fRef("dataFormat", catDataFormatNames()...),
		fEnum("compression", "none", "gzip").def("none"),
		fStr("manifestFilePath"),
		fEnum("s3EncryptionType", "SERVER_SIDE_ENCRYPTION", "NONE").def("SERVER_SIDE_ENCRYPTION"),
	).exactlyOne("filePath", "directoryPath").build()
}

// catSqlDataNode is SqlDataNode or MySqlDataNode. The inline connection
// fields are legacy: AWS examples use them instead of database (§5.2.2).
func catSqlDataNode(name string) *TypeSpec {
	return catDataNode(name).with(
		fStr("table").req(),
		fRef("database", catDatabaseNames()...),
		fStr("schemaName"),
		fStr("selectQuery"),
		fStr("insertQuery"),
		fStr("createTableSql"),
		fStr("connectionString").legacy(),
		fStr("username").legacy(),
		fStr("password").secret().legacy(),
	).build()
}

// catDynamoDBDataNode is DynamoDBDataNode; its formats are the DynamoDB
// ones only (§6.1).
func catDynamoDBDataNode() *TypeSpec {
	return catDataNode("DynamoDBDataNode").with(
		fStr("tableName").req(),
		fRef("dataFormat", "DynamoDBDataFormat", "DynamoDBExportDataFormat"),
		fDouble("readThroughputPercent"),
		fDouble("writeThroughputPercent"),
		fStr("region"),
	).build()
}

func catRedshiftDataNode() *TypeSpec {
	return catDataNode("RedshiftDataNode").with(
		fRef("database", "RedshiftDatabase").req(),
		fStr("tableName").req(),
		fStr("createTableSql"),
		fStr("schemaName").def("PUBLIC"),
		fStr("primaryKeys").multi(),
	).build()
}
