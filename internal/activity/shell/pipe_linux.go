package shell

import (
	"os"
	"syscall"
)

// outputPipe returns a pipe for a process's output: the read end
// non-blocking, in the runtime's poller, for the runner's copy; the write
// end blocking and outside the poller, as the process gets it. (os.Pipe
// puts both ends in the poller, and exec then makes the write end
// blocking again: four system calls per stream that a `true` attempt
// paid twice.)
func outputPipe() (r, w *os.File, err error) {
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	if err := syscall.SetNonblock(p[0], true); err != nil {
		_ = syscall.Close(p[0])
		_ = syscall.Close(p[1])
		return nil, nil, os.NewSyscallError("fcntl", err)
	}
	return os.NewFile(uintptr(p[0]), "|0"), os.NewFile(uintptr(p[1]), "|1"), nil
}
