package definition

// Resources: objects.md §5.3.

// catResourceNames lists the resource types.
func catResourceNames() []string {
	return []string{"Ec2Resource", "EmrCluster"}
}

func catResources() []*TypeSpec {
	return []*TypeSpec{catEc2Resource(), catEmrCluster()}
}

// catResource starts a resource: groups U, R, S, runsOn and workerGroup
// not allowed, and the common resource fields. terminateAfter is a Period
// on both types; EmrCluster documents it as Integer hours, and the
// validator accepts a bare integer as hours (§2.1).
func catResource(name string) *catTypeDef {
	return catDefine(name, CategoryResource).
		with(catGroupR()...).
		with(catGroupS()...).
		with(catGroupWNotAllowed()...).
		with(
			fEnum("actionOnResourceFailure", "retryall", "retrynone").def("retryall"),
			fEnum("actionOnTaskFailure", "continue", "terminate").def("continue"),
			fPeriod("terminateAfter"),
			fPeriod("initTimeout"),
			fStr("keyPair"),
			fStr("region"),
			fStr("availabilityZone"),
			fStr("subnetId"),
			fStr("role"),
			fStr("resourceRole"),
			fRef("httpProxy", "HttpProxy"),
			fBool("useOnDemandOnLastAttempt").def("true"),
		)
}

func catEc2Resource() *TypeSpec {
	return catResource("Ec2Resource").with(
		fStr("role").req(),
		fStr("resourceRole").req(),
		fStr("instanceType"),
		fStr("imageId"),
		fStr("securityGroups").multi().def("default"),
		fStr("securityGroupIds").multi(),
		fBool("associatePublicIpAddress"),
		fStr("spotBidPrice"),
		fStr("runAsUser"),
		fStr("logUri").legacy(),
		fInt("instanceCount").legacy(), // deprecated, ignored (§5.3.1)
		fInt("minInstanceCount").legacy(),
	).build()
}

func catEmrCluster() *TypeSpec {
	return catResource("EmrCluster").with(
		fStr("resourceRole").def("DataPipelineDefaultRole"),
		fStr("releaseLabel"),
		fStr("amiVersion"),
		fStr("applications").multi(),
		fStr("bootstrapAction").multi(),
		fRef("configuration", "EmrConfiguration").multi(),
		fEnum("hadoopSchedulerType",
			"PARALLEL_FAIR_SCHEDULING", "PARALLEL_CAPACITY_SCHEDULING", "DEFAULT_SCHEDULER"),
		fStr("enableDebugging"),
		fStr("supportedProducts"),
	).with(catEmrGroupRows()...).
		with(catEmrSecurityRows()...).
		with(catEmrLegacyRows()...).build()
}

// catEmrGroupRows are the per-instance-group fields (master, core, task).
func catEmrGroupRows() []catRow {
	var rows []catRow
	for _, g := range []string{"master", "core", "task"} {
		rows = append(rows,
			fStr(g+"InstanceType"),
			fStr(g+"InstanceBidPrice"),
			fRef(g+"GroupConfiguration", "EmrConfiguration"),
			fRef(g+"EbsConfiguration", "EbsConfiguration"),
		)
		if g != "master" {
			rows = append(rows, fInt(g+"InstanceCount"))
		}
	}
	return rows
}

func catEmrSecurityRows() []catRow {
	return []catRow{
		fStr("emrManagedMasterSecurityGroupId"),
		fStr("emrManagedSlaveSecurityGroupId"),
		fStr("serviceAccessSecurityGroupId"),
		fStr("additionalMasterSecurityGroupIds").multi(),
		fStr("additionalSlaveSecurityGroupIds").multi(),
	}
}

// catEmrLegacyRows are EmrCluster fields seen in AWS samples, older tools
// and doc artefacts (§5.3.2, Appendix A). keypair is the lowercase spelling
// of keyPair; treating it as an alias is the consumer's business.
// EbsBlockDeviceConfig and VolumeSpecification appear in the EmrCluster
// syntax table but are really object types (§5.9).
func catEmrLegacyRows() []catRow {
	return []catRow{
		fStr("hadoopVersion").legacy(),
		fStr("emrLogUri").legacy(),
		fBool("visibleToAllUsers").legacy(),
		fStr("installHive").legacy(),
		fStr("keypair").legacy(),
		fStr("masterSecurityGroupId").legacy(),
		fStr("slaveSecurityGroupId").legacy(),
		fRef("EbsBlockDeviceConfig", "EbsBlockDeviceConfig").legacy(),
		fRef("VolumeSpecification", "VolumeSpecification").legacy(),
	}
}
