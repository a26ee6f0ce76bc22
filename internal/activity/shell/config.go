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
	// TempDir holds the per-attempt work directories, named
	// datapipe-attempt-*. An executor keeps up to 64 of them, empty,
	// for later attempts, each for up to 30 seconds (see [I] in the
	// package doc); Close removes them. Default os.TempDir().
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
	// FreshWorkDirs creates a work directory for every attempt and
	// removes it afterwards. By default an empty one is reused.
	FreshWorkDirs bool

	// dirs is the pool of work directories: the shared one that
	// ShareWorkDirs sets, then the executor's own (see workDirs).
	dirs *workDirs
	// lookups remembers direct commands' PATH searches (an executor's
	// own).
	lookups *lookupCache
}

// ShareWorkDirs returns c with a pool of work directories that every
// executor built from the result (or a copy) shares, so that the empty
// directory one attempt leaves serves the next, of either kind. Set the
// other fields first: an executor whose TempDir or FreshWorkDirs does
// not match the pool's gets a pool of its own. Close on any of the
// executors removes the pool's idle directories.
func (c Config) ShareWorkDirs() Config {
	c.dirs = newWorkDirs(c.workDirsParams())
	return c
}

// workDirs returns the pool of work directories of an executor built
// from c: the shared one when it matches c, else a new one.
func (c Config) workDirs() *workDirs {
	parent, keep := c.workDirsParams()
	if c.dirs != nil && c.dirs.parent == parent && c.dirs.keep == keep {
		return c.dirs
	}
	return newWorkDirs(parent, keep)
}

// workDirsParams returns the directory that holds c's work directories
// and how many idle ones a pool keeps.
func (c Config) workDirsParams() (parent string, keep int) {
	if !c.FreshWorkDirs {
		keep = maxIdleWorkDirs
	}
	return cmp.Or(c.TempDir, os.TempDir()), keep
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
