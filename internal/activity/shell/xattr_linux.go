package shell

import (
	"errors"
	"syscall"
)

// xattrNames returns the names of path's extended attributes, as
// listxattr(2) gives them; none where the file system has no support.
// A directory's names are few (an ACL, an SELinux label): more than
// fit fails.
func xattrNames(path string) (string, error) {
	var buf [1024]byte
	n, err := syscall.Listxattr(path, buf[:])
	if errors.Is(err, syscall.ENOTSUP) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(buf[:n]), nil
}
