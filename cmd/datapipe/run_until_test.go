package main

import (
	"strings"
	"testing"
)

func TestMain_RunUntil(t *testing.T) {
	t.Run("OKFirstActivationAfterUntil", func(t *testing.T) {
		// The schedule starts at activation (now), after --until: nothing
		// is due, and the run ends at once instead of hanging.
		def := writeDef(t, `{"objects":[{"id":"Default","scheduleType":"cron","workerGroup":"wg-until","schedule":{"ref":"S"}},
			{"id":"S","type":"Schedule","period":"1 hour","startAt":"FIRST_ACTIVATION_DATE_TIME"},
			{"id":"Echo","type":"ShellCommandActivity","command":"echo hi"}]}`)
		code, out, errOut := runMain(t, def, "--until", "2020-01-01T00:00:00", "--timeout", "20s")
		if code != exitOK || strings.Contains(errOut, "timed out") {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		if !strings.Contains(out, "nothing ran") {
			t.Errorf("summary does not say nothing ran:\n%s", out)
		}
	})
	t.Run("OKPastIntervalsUpToUntil", func(t *testing.T) {
		def := writeDef(t, `{"objects":[{"id":"Default","scheduleType":"cron","workerGroup":"wg-until","schedule":{"ref":"S"}},
			{"id":"S","type":"Schedule","period":"1 hour","startDateTime":"2020-01-01T00:00:00","occurrences":"3"},
			{"id":"Echo","type":"ShellCommandActivity","command":"echo hi"}]}`)
		code, out, errOut := runMain(t, def, "--until", "2020-01-01T01:00:00", "--timeout", "20s")
		if code != exitOK {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		if !strings.Contains(out, "2 instances: 2 FINISHED") {
			t.Errorf("want the two intervals at or before --until:\n%s", out)
		}
	})
}
