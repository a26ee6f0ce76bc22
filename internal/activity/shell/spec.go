package shell

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/datapipe/datapipe/internal/activity"
)

// spec is what an attempt asks to run.
type spec struct {
	// command is the command line; script the local path of scriptUri.
	// Exactly one is set.
	command, script string
	args            []string
	// stdout and stderr are local files that also receive the output.
	stdout, stderr string
}

// parseSpec reads command or scriptUri, scriptArgument, stdout and
// stderr from the attempt. Missing or conflicting fields fail with
// InvalidTask; s3:// paths with NotSupported.
func parseSpec(t *activity.Task) (spec, error) {
	cmd, _ := t.Field("command")
	uri, _ := t.Field("scriptUri")
	sp := spec{command: cmd, args: t.Fields("scriptArgument")}
	switch {
	case cmd != "" && uri != "":
		return sp, activity.Errorf(activity.IDInvalidTask, "%s has both command and scriptUri; give exactly one", t.AttemptID)
	case cmd == "" && uri == "":
		return sp, activity.Errorf(activity.IDInvalidTask, "%s has neither command nor scriptUri; give exactly one", t.AttemptID)
	}
	var err error
	if uri != "" {
		if sp.script, err = activity.LocalPath("scriptUri", uri); err != nil {
			return sp, err
		}
	}
	if sp.stdout, err = optionalPath(t, "stdout"); err != nil {
		return sp, err
	}
	sp.stderr, err = optionalPath(t, "stderr")
	return sp, err
}

// optionalPath returns the local path of a path field, or "" when unset.
func optionalPath(t *activity.Task, key string) (string, error) {
	v, _ := t.Field(key)
	if v == "" {
		return "", nil
	}
	return activity.LocalPath(key, v)
}

// argv returns the command line to execute. A script is first copied
// into work, as AWS downloads it.
func (sp spec) argv(shell, work string) ([]string, error) {
	if sp.script == "" {
		return append([]string{shell, "-c", sp.command, filepath.Base(shell)}, sp.args...), nil
	}
	body, err := os.ReadFile(sp.script)
	if err != nil {
		return nil, activity.Errorf(IDCommandFailed, "read scriptUri: %v", err)
	}
	local := sp.localScript(work)
	if err := os.WriteFile(local, body, 0o700); err != nil {
		return nil, fmt.Errorf("copy the script into the work directory: %w", err)
	}
	if bytes.HasPrefix(body, []byte("#!")) {
		return append([]string{local}, sp.args...), nil
	}
	return append([]string{shell, local}, sp.args...), nil
}

// localScript is where argv copies the script in work.
func (sp spec) localScript(work string) string {
	return filepath.Join(work, "script-"+filepath.Base(sp.script))
}

// describe names what runs, for the attempt log. The command text is not
// shown: it may hold values of secret (*) parameters.
func (sp spec) describe() string {
	what := "the command"
	if sp.script != "" {
		what = "script " + sp.script
	}
	if len(sp.args) > 0 {
		what += fmt.Sprintf(" with %d argument(s)", len(sp.args))
	}
	return what
}
