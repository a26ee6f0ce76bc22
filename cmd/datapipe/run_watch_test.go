package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

func TestProgressBar(t *testing.T) {
	insts := func(statuses ...pipeline.Status) []store.Object {
		var out []store.Object
		for i, s := range statuses {
			out = append(out, store.Object{ID: string(rune('a' + i)), Status: s})
		}
		return out
	}
	for _, tt := range []struct {
		name  string
		insts []store.Object
		want  string
	}{
		{"None", nil, "[----------] 0/0"},
		{"Half", insts(pipeline.StatusFinished, pipeline.StatusRunning), "[#####-----] 1/2"},
		{"FailedCountsAsDone", insts(pipeline.StatusFailed, pipeline.StatusCascadeFailed, pipeline.StatusWaitingOnDependencies, pipeline.StatusFinished), "[#######---] 3/4"},
		{"All", insts(pipeline.StatusFinished), "[##########] 1/1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := progressBar(tt.insts, 10); got != tt.want {
				t.Errorf("progressBar = %q, want %q", got, tt.want)
			}
		})
	}
}

// On a terminal the watcher rewrites one line with the bar and the
// counts; otherwise it prints a line per status change.
func TestWatcher_Report(t *testing.T) {
	t.Run("OKLive", func(t *testing.T) {
		var out bytes.Buffer
		w := &watcher{out: &out, live: true, seen: map[string]pipeline.Status{}}
		w.report([]store.Object{{ID: "@A", Status: pipeline.StatusRunning}, {ID: "@B", Status: pipeline.StatusFinished}})
		if got := out.String(); !strings.HasPrefix(got, "\r\033[K[") || !strings.Contains(got, "1/2") || strings.Contains(got, "\n") {
			t.Errorf("live line = %q", got)
		}
	})
	t.Run("OKPlain", func(t *testing.T) {
		var out bytes.Buffer
		w := &watcher{out: &out, seen: map[string]pipeline.Status{}}
		w.report([]store.Object{{ID: "@A", Status: pipeline.StatusRunning}})
		w.report([]store.Object{{ID: "@A", Status: pipeline.StatusRunning}})
		if got := out.String(); strings.Count(got, "\n") != 1 || !strings.Contains(got, "RUNNING") {
			t.Errorf("plain output = %q", got)
		}
	})
}
