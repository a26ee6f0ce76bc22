//go:build !linux

package shell

import "os"

// outputPipe returns a pipe for a process's output.
func outputPipe() (r, w *os.File, err error) { return os.Pipe() }
