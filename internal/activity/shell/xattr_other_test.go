//go:build !linux

package shell

import "errors"

// setUserXattr fails: extended attributes are only compared on Linux.
func setUserXattr(string) error { return errors.ErrUnsupported }
