package shell

import "os"

// Direct reports whether an attempt of command, without scriptArgument,
// runs without a shell under cfg in dir, with the runner's environment
// plus extra.
func Direct(cfg Config, command, dir string, extra ...string) bool {
	cfg = cfg.withDefaults()
	_, ok := spec{command: command}.direct(cfg.Shell, append(os.Environ(), extra...), dir, "", nil)
	return ok && !cfg.AlwaysShell
}
