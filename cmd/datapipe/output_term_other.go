//go:build !unix

package main

import "io"

// terminalWidth returns 80: terminal sizes are only measured on Unix.
func terminalWidth(io.Writer) int { return defaultTerminalWidth }
