package definition

// Activities: objects.md §5.1.

// catActivityNames lists the activity types.
func catActivityNames() []string {
	return []string{
		"CopyActivity", "EmrActivity", "HadoopActivity", "HiveActivity", "HiveCopyActivity",
		"PigActivity", "RedshiftCopyActivity", "ShellCommandActivity", "SqlActivity",
	}
}

func catActivities() []*TypeSpec {
	return []*TypeSpec{
		catShellCommandActivity(), catCopyActivity(), catSqlActivity(),
		catEmrActivityType(), catHadoopActivity(), catHiveActivity(),
		catHiveCopyActivity(), catPigActivity(), catRedshiftCopyActivity(),
	}
}

// catActivity starts an activity: groups U, R, S, W, P, IO, and one of
// runsOn/workerGroup (§5.1).
func catActivity(name string) *catTypeDef {
	return catDefine(name, CategoryActivity).
		with(catGroupR()...).
		with(catGroupS()...).
		with(catGroupW()...).
		with(catGroupP()...).
		with(catGroupIO()...).
		atLeastOne("runsOn", "workerGroup")
}

// catEmrActivity starts an activity that runs on EMR. §6.1 narrows its
// runsOn to EmrCluster; no AWS sample points an EMR activity at an
// Ec2Resource (HadoopActivity's "worker-group cluster" goes through
// workerGroup, not runsOn), so the narrowing is kept.
func catEmrActivity(name string) *catTypeDef {
	return catActivity(name).with(fRef("runsOn", "EmrCluster"))
}

// catResizeRows are the cluster-resize fields shared by EMR activities.
func catResizeRows() []catRow {
	return []catRow{
		fBool("resizeClusterBeforeRunning"),
		fInt("resizeClusterMaxInstances"),
	}
}

// catTaskConfigRows are the pre/post ShellScriptConfig references.
func catTaskConfigRows() []catRow {
	return []catRow{
		fRef("preActivityTaskConfig", "ShellScriptConfig"),
		fRef("postActivityTaskConfig", "ShellScriptConfig"),
	}
}

func catShellCommandActivity() *TypeSpec {
	return catActivity("ShellCommandActivity").with(
		fStr("command"),
		fStr("scriptUri"),
		fStr("scriptArgument").multi(), // accepted with scriptUri too (§19 #12)
		fBool("stage").def("false"),
		fStr("stdout"),
		fStr("stderr"),
	).exactlyOne("command", "scriptUri").build()
}

// catCopyActivity has no fields of its own (§5.1.2).
func catCopyActivity() *TypeSpec {
	return catActivity("CopyActivity").build()
}

func catSqlActivity() *TypeSpec {
	return catActivity("SqlActivity").with(
		fRef("database", catDatabaseNames()...).req(),
		fStr("script"),
		fStr("scriptUri"),
		fStr("scriptArgument").multi(),
		fStr("queue"),
	).exactlyOne("script", "scriptUri").build()
}

// catEmrActivityType is EmrActivity. step is optional per the docs though
// needed in practice (§5.1.4).
func catEmrActivityType() *TypeSpec {
	return catEmrActivity("EmrActivity").with(
		fStr("step").multi(),
		fStr("preStepCommand").multi(),
		fStr("postStepCommand").multi(),
	).with(catResizeRows()...).build()
}

func catHadoopActivity() *TypeSpec {
	return catEmrActivity("HadoopActivity").with(
		fStr("jarUri").req(),
		fStr("mainClass"),
		fStr("argument").multi(),
		fStr("hadoopQueue"),
	).with(catTaskConfigRows()...).build()
}

// catHiveActivity is HiveActivity, whose input and output are required
// (§4.6, §5.1.6) and whose staging is on by default (§19 #11).
func catHiveActivity() *TypeSpec {
	nodes := catDataNodeNames()
	return catEmrActivity("HiveActivity").with(
		fStr("hiveScript"),
		fStr("scriptUri"),
		fRef("input", nodes...).multi().req(),
		fRef("output", nodes...).multi().req(),
		fStr("scriptVariable").multi(),
		fBool("stage").def("true"),
		fStr("hadoopQueue"),
	).with(catTaskConfigRows()...).with(catResizeRows()...).
		exactlyOne("hiveScript", "scriptUri").build()
}

func catHiveCopyActivity() *TypeSpec {
	return catEmrActivity("HiveCopyActivity").with(
		fStr("filterSql"),
		fStr("generatedScriptsPath").legacy(), // old docs only (Appendix A *)
	).with(catTaskConfigRows()...).with(catResizeRows()...).build()
}

func catPigActivity() *TypeSpec {
	return catEmrActivity("PigActivity").with(
		fStr("script"),
		fStr("scriptUri"),
		fStr("scriptVariable").multi(),
		fBool("stage").def("false"),
		fStr("generatedScriptsPath").legacy(), // old docs only (Appendix A *)
	).with(catTaskConfigRows()...).with(catResizeRows()...).
		exactlyOne("script", "scriptUri").build()
}

func catRedshiftCopyActivity() *TypeSpec {
	return catActivity("RedshiftCopyActivity").with(
		fEnum("insertMode", "KEEP_EXISTING", "OVERWRITE_EXISTING", "TRUNCATE", "APPEND").req(),
		fStr("commandOptions").multi(),
		fStr("transformSql"),
		fStr("queue"),
	).build()
}
