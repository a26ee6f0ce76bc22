package shell

import (
	"cmp"
	"os"
	"os/exec"
	"time"

	"github.com/datapipe/datapipe/internal/activity/data"
)

// Error ids of the shell executors.
const (
	// IDCommandFailed: the command exited non-zero or was killed by a
	// signal it did not get from the runner.
	IDCommandFailed = "ShellCommandFailed"
	// IDStagingFailed: inputs could not be staged or outputs published.
	IDStagingFailed = "StagingFailed"
)

// Config configures the shell executors; zero fields take defaults.
type Config struct {
	// Shell runs commands and scripts without "#!". Default: bash when
	// it is on PATH, else /bin/sh.
	Shell string
	// KillGrace is how long a process group has between SIGTERM and
	// SIGKILL. Default 10s.
	KillGrace time.Duration
	// TempDir holds the per-attempt work directories. Default
	// os.TempDir().
	TempDir string
	// TailLines is how many trailing lines of standard error a failure
	// message quotes. Default 10.
	TailLines int
	// Data opens the data nodes staged with stage: true. Default: an
	// Opener without AWS clients (local paths only).
	Data *data.Opener
	// AlwaysShell runs every command through Shell. By default a simple
	// command (see the package doc) is executed directly, without a
	// shell, when Shell is bash.
	AlwaysShell bool
}

// withDefaults fills in the zero fields.
func (c Config) withDefaults() Config {
	c.Shell = cmp.Or(c.Shell, defaultShell())
	c.KillGrace = cmp.Or(c.KillGrace, 10*time.Second)
	c.TempDir = cmp.Or(c.TempDir, os.TempDir())
	c.TailLines = cmp.Or(c.TailLines, 10)
	if c.Data == nil {
		c.Data = data.New(data.Config{})
	}
	return c
}

// defaultShell is bash when installed, else the POSIX shell.
func defaultShell() string {
	if p, err := exec.LookPath("bash"); err == nil {
		return p
	}
	return "/bin/sh"
}
