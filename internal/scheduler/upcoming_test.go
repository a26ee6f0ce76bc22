package scheduler

import "testing"

func TestUpcoming(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"timeseries"`, hourly3,
		`{"id":"A","type":"ShellCommandActivity","command":"x"}`, `{"id":"B","type":"ShellCommandActivity","command":"x","dependsOn":{"ref":"A"}}`),
		at("2024-01-01T00:00:00"))
	p := w.snap.Pipeline
	p.ScheduleFrom = at("2024-01-01T01:00:00")
	got := Upcoming(w.snap.Graph, p, at("2024-01-01T00:00:00"), at("2024-01-01T02:00:00"), 0)
	want := []UpcomingInstance{
		{ID: "@A_2024-01-01T00:00:00", Component: "A", Start: at("2024-01-01T00:00:00"), End: at("2024-01-01T01:00:00"), ReadyAt: at("2024-01-01T01:00:00"), Skipped: true},
		{ID: "@B_2024-01-01T00:00:00", Component: "B", Start: at("2024-01-01T00:00:00"), End: at("2024-01-01T01:00:00"), ReadyAt: at("2024-01-01T01:00:00"), Skipped: true},
		{ID: "@A_2024-01-01T01:00:00", Component: "A", Start: at("2024-01-01T01:00:00"), End: at("2024-01-01T02:00:00"), ReadyAt: at("2024-01-01T02:00:00")},
		{ID: "@B_2024-01-01T01:00:00", Component: "B", Start: at("2024-01-01T01:00:00"), End: at("2024-01-01T02:00:00"), ReadyAt: at("2024-01-01T02:00:00")},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d instances, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if n := len(Upcoming(w.snap.Graph, p, at("2024-01-01T00:00:00"), at("2024-01-02T00:00:00"), 3)); n != 3 {
		t.Errorf("max 3: got %d", n)
	}
}
