package shell

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// stopGroup sends SIGTERM to every process of the group, waits up to
// grace for them to exit, then sends SIGKILL to what is left.
func stopGroup(pgid int, grace time.Duration) {
	if !groupAlive(pgid) {
		return
	}
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	for groupAlive(pgid) {
		select {
		case <-tick.C:
		case <-deadline.C:
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			return
		}
	}
}

// groupAlive reports whether a process of the group still runs. Zombies
// do not count: an orphan is only reaped when its new parent gets to it,
// which a container's PID 1 may do late or never.
func groupAlive(pgid int) bool {
	if syscall.Kill(-pgid, 0) != nil {
		return false
	}
	running, known := runningMember(pgid)
	return running || !known
}

// runningMember scans /proc for a member of the group that is not a
// zombie; known is false where /proc cannot be read (not Linux).
func runningMember(pgid int) (running, known bool) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return false, false
	}
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil && runningIn(pid, pgid) {
			return true, true
		}
	}
	return false, true
}

// runningIn reports whether pid is a live (non-zombie) member of pgid,
// from /proc/<pid>/stat: "pid (comm) state ppid pgrp …".
func runningIn(pid, pgid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 3 || fields[0] == "Z" || fields[0] == "X" {
		return false
	}
	return fields[2] == strconv.Itoa(pgid)
}
