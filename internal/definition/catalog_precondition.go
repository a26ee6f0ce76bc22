package definition

// Preconditions: objects.md §5.4. They carry groups U and R plus
// preconditionTimeout, and none of schedule, scheduleType,
// maxActiveInstances, pipelineLogUri, runsOn, workerGroup, dependsOn or
// precondition.

// catPreconditionNames lists the precondition types.
func catPreconditionNames() []string {
	return []string{
		"DynamoDBDataExists", "DynamoDBTableExists", "S3KeyExists", "S3PrefixNotEmpty",
		"Exists", "ShellCommandPrecondition", "RdsSqlPrecondition",
	}
}

func catPreconditions() []*TypeSpec {
	return []*TypeSpec{
		catSystemPrecondition("DynamoDBDataExists", fStr("tableName").req()),
		catSystemPrecondition("DynamoDBTableExists", fStr("tableName").req()),
		catSystemPrecondition("S3KeyExists", fStr("s3Key").req()),
		catSystemPrecondition("S3PrefixNotEmpty", fStr("s3Prefix").req()),
		catPrecondition("Exists").userManaged().build(),
		catShellCommandPrecondition(),
		catRdsSqlPrecondition(),
	}
}

// catRdsSqlPrecondition is an extension (AWS dropped the type): a query
// run on a worker against a database, true when its first value is.
func catRdsSqlPrecondition() *TypeSpec {
	return catPrecondition("RdsSqlPrecondition").userManaged().with(
		fStr("query").req(),
		fRef("database", "JdbcDatabase", "RdsDatabase", "RedshiftDatabase"),
		fStr("connectionString"),
		fStr("rdsInstanceId"),
		fStr("username"),
		fStr("password").secret(),
		fStr("jdbcProperties").multi(),
	).build()
}

func catPrecondition(name string) *catTypeDef {
	return catDefine(name, CategoryPrecondition).
		with(catGroupR()...).
		with(fPeriod("preconditionTimeout"))
}

// catSystemPrecondition is a precondition the service checks itself, with
// the IAM role it uses and the field naming what to check.
func catSystemPrecondition(name string, key catRow) *TypeSpec {
	return catPrecondition(name).with(fStr("role").req(), key).build()
}

// catShellCommandPrecondition runs on a worker chosen by the runsOn or
// workerGroup of the object that uses it.
func catShellCommandPrecondition() *TypeSpec {
	return catPrecondition("ShellCommandPrecondition").userManaged().with(
		fStr("command"),
		fStr("scriptUri"),
		fStr("scriptArgument").multi(),
		fStr("stdout"),
		fStr("stderr"),
	).exactlyOne("command", "scriptUri").build()
}
