package web

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
)

// setAttemptFields replaces the fields of attempt att.
func setAttemptFields(t *testing.T, e *env, att string, fs ...pipeline.Field) {
	t.Helper()
	objs, err := e.st.ObjectGet(t.Context(), storeGet(e.id, att))
	if err != nil || len(objs) != 1 {
		t.Fatalf("attempt %s: %v", att, err)
	}
	objs[0].Fields = fs
	if _, err := e.st.ObjectUpdate(t.Context(), storeUpdate(objs[0])); err != nil {
		t.Fatal(err)
	}
}

// getLog reads the log chunk of att from offset.
func getLog(t *testing.T, e *env, att, offset string) logChunk {
	t.Helper()
	_, body := e.get("/console/api/log?pipelineId=" + e.id + "&attemptId=" + url.QueryEscape(att) + "&offset=" + offset)
	var c logChunk
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err, body)
	}
	return c
}

// An attempt that finished quietly has no log file: its lines are read
// from quiet.log beside its logLocation; a running attempt whose runner,
// on this machine, has written nothing yet reads as empty, not as a log
// on another host.
func TestConsole_LogJSON_Quiet(t *testing.T) {
	host, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	e := newEnv(t, nil)
	done := scheduler.AttemptID(e.seed("Load", 1, pipeline.StatusFinished).ID, 1)
	running := scheduler.AttemptID(e.seed("Load", 2, pipeline.StatusRunning).ID, 1)
	dir := t.TempDir()
	quiet := "@Other_Attempt=1\tnot this one\n" + done + "\tquiet one\n" + done + "\tquiet two\n"
	if err := os.WriteFile(filepath.Join(dir, "quiet.log"), []byte(quiet), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, att, host, offset string
		want                    string
		wantOffset              int64
		wantErr                 string
	}{
		{"OKQuiet", done, "elsewhere", "0", "quiet one\nquiet two\n", 20, ""},
		{"OKQuietOffset", done, "elsewhere", "6", "one\nquiet two\n", 20, ""},
		{"OKInRunnerMemory", running, host, "0", "", 0, ""},
		{"ErrOtherHost", running, "elsewhere", "0", "", 0, `is on host "elsewhere", not on this server`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setAttemptFields(t, e, tc.att, pipeline.String("logLocation", filepath.Join(dir, tc.att+".log")), pipeline.String("hostname", tc.host))
			c := getLog(t, e, tc.att, tc.offset)
			if c.Text != tc.want || c.Offset != tc.wantOffset || (tc.wantErr == "") != (c.Error == "") || !strings.Contains(c.Error, tc.wantErr) {
				t.Errorf("chunk = %+v; want %q at %d, error %q", c, tc.want, tc.wantOffset, tc.wantErr)
			}
		})
	}
}
