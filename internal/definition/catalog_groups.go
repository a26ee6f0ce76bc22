package definition

// The common field groups of objects.md §4. Each call returns fresh rows.
// id, name and type are object properties, not fields, and the runtime "@"
// fields (group RT) are written only by the service, so neither is listed.

// catGroupU is group U (§4.1): every object.
func catGroupU() []catRow {
	return []catRow{
		fRef("parent"), // any object, including typeless ones and Default
	}
}

// catGroupR is group R (§4.2): retries, timeouts and notifications on
// activities, data nodes, resources and preconditions.
func catGroupR() []catRow {
	actions := catActionNames()
	return []catRow{
		fStr("attemptStatus"),
		fPeriod("attemptTimeout"),
		fEnum("failureAndRerunMode", "cascade", "none").def("none"),
		fPeriod("lateAfterTimeout"),
		fInt("maximumRetries").def("2"),
		fRef("onFail", actions...).multi(),
		fRef("onLateAction", actions...).multi(),
		fRef("onSuccess", actions...).multi(),
		fPeriod("reportProgressTimeout").def("15 minutes"),
		fPeriod("retryDelay").def("10 minutes"),
	}
}

// catGroupS is group S (§4.3): schedulable objects (not preconditions).
// schedule is not Required here: §16.3 rule 18 requires it only when the
// pipeline is not on-demand, which the validator decides.
func catGroupS() []catRow {
	return []catRow{
		fRef("schedule", "Schedule"),
		fEnum("scheduleType", "cron", "timeseries", "ondemand").def("timeseries"),
		fInt("maxActiveInstances").def("1"),
		fStr("pipelineLogUri"),
	}
}

// catGroupW is group W (§4.4): work routing. Activities add the
// runsOn|workerGroup AtLeastOne rule; on data nodes both are optional.
func catGroupW() []catRow {
	return []catRow{
		fRef("runsOn", catResourceNames()...),
		fStr("workerGroup"),
	}
}

// catGroupWNotAllowed is group W as resources carry it: both fields are
// rejected when set directly (§4.4); inherited values are ignored (§3.1).
func catGroupWNotAllowed() []catRow {
	return []catRow{
		fRef("runsOn").notAllowed(),
		fStr("workerGroup").notAllowed(),
	}
}

// catGroupP is group P (§4.5): dependencies. dependsOn accepts activities
// and data nodes (§6.1 [I]: "another runnable object").
func catGroupP() []catRow {
	return []catRow{
		fRef("dependsOn", catNames(catActivityNames(), catDataNodeNames())...).multi(),
		fRef("precondition", catPreconditionNames()...).multi(),
	}
}

// catGroupIO is group IO (§4.6): activity inputs and outputs.
func catGroupIO() []catRow {
	nodes := catDataNodeNames()
	return []catRow{
		fRef("input", nodes...).multi(),
		fRef("output", nodes...).multi(),
	}
}
