package definition

// Databases, data formats, actions, Schedule and utilities: objects.md
// §5.5–5.9. These types carry group U (parent) and their own fields only.

// catDatabaseNames lists the database types.
func catDatabaseNames() []string {
	return []string{"JdbcDatabase", "RdsDatabase", "RedshiftDatabase"}
}

// catDataFormatNames lists the data format types.
func catDataFormatNames() []string {
	return []string{"CSV", "TSV", "Custom", "RegEx", "DynamoDBDataFormat", "DynamoDBExportDataFormat"}
}

// catActionNames lists the action types.
func catActionNames() []string {
	return []string{"SnsAlarm", "Terminate"}
}

// catUtilityNames lists the utility types.
func catUtilityNames() []string {
	return []string{
		"ShellScriptConfig", "EmrConfiguration", "Property", "HttpProxy",
		"EbsConfiguration", "EbsBlockDeviceConfig", "VolumeSpecification",
	}
}

func catDatabases() []*TypeSpec {
	return []*TypeSpec{
		catDatabase("JdbcDatabase",
			fStr("connectionString").req(),
			fStr("jdbcDriverClass").req(),
			fStr("jdbcDriverJarUri"),
		).build(),
		catDatabase("RdsDatabase",
			fStr("rdsInstanceId").req(),
			fStr("region"),
			fStr("jdbcDriverJarUri"), // required for Oracle and SQL Server only
		).build(),
		catDatabase("RedshiftDatabase",
			fStr("clusterId"),
			fStr("connectionString"),
			fStr("region"),
		).exactlyOne("clusterId", "connectionString").build(),
	}
}

// catDatabase starts a database with the credential and connection rows
// every database shares; the password is written "*password" (§1.5).
func catDatabase(name string, rows ...catRow) *catTypeDef {
	return catDefine(name, CategoryDatabase).with(
		fStr("username").req(),
		fStr("password").secret().req(),
		fStr("databaseName"),
		fStr("jdbcProperties").multi(),
	).with(rows...)
}

// catDataFormats: every format has the multi-valued column field (§5.6).
func catDataFormats() []*TypeSpec {
	format := func(name string, rows ...catRow) *TypeSpec {
		return catDefine(name, CategoryDataFormat).
			with(fStr("column").multi()).with(rows...).build()
	}
	return []*TypeSpec{
		format("CSV", fStr("escapeChar")),
		format("TSV",
			fStr("columnSeparator").def("\t"),
			fStr("recordSeparator").def("\n"),
			fStr("escapeChar"),
		),
		format("Custom", fStr("columnSeparator").req(), fStr("recordSeparator")),
		format("RegEx", fStr("inputRegEx"), fStr("outputFormat")),
		format("DynamoDBDataFormat"),
		format("DynamoDBExportDataFormat"),
	}
}

// catActions: the runtime node field is not in the catalog.
func catActions() []*TypeSpec {
	return []*TypeSpec{
		catDefine("SnsAlarm", CategoryAction).with(
			fStr("topicArn").req(),
			fStr("subject").req(),
			fStr("message").req(),
			fStr("role").req(),
		).build(),
		catDefine("Terminate", CategoryAction).build(),
	}
}

// catSchedules is Schedule (§5.8). Its fields must be literals after
// parameter substitution. On-demand schedules ("period": "ONDEMAND_PERIOD",
// "startAt": "ONDEMAND_ACTIVATION_TIME") also satisfy the start rule.
// maxActiveInstances is legacy: the AWS DynamoDB export template sets it on
// its Schedule, where it has no documented effect.
func catSchedules() []*TypeSpec {
	return []*TypeSpec{
		catDefine("Schedule", CategorySchedule).with(
			fPeriod("period").req().literal(),
			fDateTime("startDateTime").literal(),
			fEnum("startAt", "FIRST_ACTIVATION_DATE_TIME", "ONDEMAND_ACTIVATION_TIME").literal(),
			fDateTime("endDateTime").literal(),
			fInt("occurrences").literal(),
			fInt("maxActiveInstances").legacy(),
		).exactlyOne("startDateTime", "startAt").
			exclusive("endDateTime", "occurrences").build(),
	}
}

// catUtilities (§5.9). The EBS types come from examples only, so their
// fields are legacy (Appendix A marks them "*").
func catUtilities() []*TypeSpec {
	return []*TypeSpec{
		catDefine("ShellScriptConfig", CategoryUtility).with(
			fStr("scriptUri"),
			fStr("scriptArgument").multi(),
		).build(),
		catDefine("EmrConfiguration", CategoryUtility).with(
			fStr("classification").req(),
			fRef("property", "Property").multi(),
			fRef("configuration", "EmrConfiguration").multi(),
		).build(),
		catDefine("Property", CategoryUtility).with(
			fStr("key").req(),
			fStr("value").req(),
		).build(),
		catHttpProxy(),
		catDefine("EbsConfiguration", CategoryUtility).with(
			fBool("ebsOptimized").legacy(),
			fRef("ebsBlockDeviceConfig", "EbsBlockDeviceConfig").multi().legacy(),
		).build(),
		catDefine("EbsBlockDeviceConfig", CategoryUtility).with(
			fInt("volumesPerInstance").legacy(),
			fRef("volumeSpecification", "VolumeSpecification").legacy(),
		).build(),
		catDefine("VolumeSpecification", CategoryUtility).with(
			fStr("volumeType").legacy(),
			fInt("sizeInGB").legacy(),
			fInt("iops").legacy(),
		).build(),
	}
}

func catHttpProxy() *TypeSpec {
	return catDefine("HttpProxy", CategoryUtility).with(
		fStr("hostname").req(),
		fStr("port").req(),
		fStr("username"),
		fStr("password").secret(),
		fStr("windowsDomain"),
		fStr("windowsWorkgroup"),
		fBool("s3NoProxy"),
	).build()
}
