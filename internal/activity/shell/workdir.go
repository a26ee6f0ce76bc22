package shell

import (
	"io"
	"io/fs"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"
)

// maxIdleWorkDirs bounds the empty work directories a pool keeps.
const maxIdleWorkDirs = 64

// idleWorkDirTimeout is how long an empty work directory is kept unused
// before it is removed.
const idleWorkDirTimeout = 30 * time.Second

// workDirPattern names the work directories (os.MkdirTemp's pattern).
const workDirPattern = "datapipe-attempt-*"

// workDirs hands out the attempts' work directories: an empty one a
// previous attempt left as it got it, else a new one (see [I] in the
// package doc). It is safe for concurrent use; a directory is either
// idle in the pool or held by one attempt, never both.
type workDirs struct {
	parent  string
	keep    int           // idle directories kept; 0 never reuses
	idleFor time.Duration // how long an idle directory is kept

	mu     sync.Mutex
	idle   []workDir   // the most recently returned last
	expiry *time.Timer // set while idle is not empty
	closed bool
}

// workDir is a work directory and what it was created as.
type workDir struct {
	path string
	// phys is path without symbolic links (getcwd's answer in it), found
	// once when the directory is created: "" when it could not be.
	phys  string
	id    dirID     // zero: not to be reused
	since time.Time // when it became idle
}

// dirID is what must be unchanged for a directory to be reused: the
// same device and inode number, still a directory with the same mode
// and owner, and the same extended attributes (names only: ACLs and
// user.* data show up).
type dirID struct {
	dev, ino uint64
	mode     uint32
	uid, gid uint32
	xattrs   string
}

// newWorkDirs returns an empty pool of directories under parent that
// keeps up to keep idle ones.
func newWorkDirs(parent string, keep int) *workDirs {
	return &workDirs{parent: parent, keep: keep, idleFor: idleWorkDirTimeout}
}

// take returns an empty work directory of the caller's own, to be given
// back with put.
func (p *workDirs) take() (workDir, error) {
	for {
		d, ok := p.pop()
		if !ok {
			break
		}
		// Checked again: a process of an earlier attempt that escaped
		// its group (same user) could have written there since.
		if d.reusable() {
			return d, nil
		}
		removeWork(d.path)
	}
	path, err := os.MkdirTemp(p.parent, workDirPattern)
	if err != nil {
		return workDir{}, err
	}
	d := workDir{path: path}
	d.phys, _ = physical(path)
	if p.keep > 0 {
		d.id = identify(path) // zero when it cannot be read: never reused
	}
	return d, nil
}

// put gives back a directory from take after its attempt: it is kept
// for another attempt when it is empty and unchanged and the pool has
// room; otherwise it is removed.
func (p *workDirs) put(d workDir) {
	if d.id != (dirID{}) && d.reusable() && p.push(d) {
		return
	}
	removeWork(d.path)
}

// close removes the idle directories. The pool keeps working
// afterwards, without reuse: every directory is removed when given back.
func (p *workDirs) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	if p.expiry != nil {
		p.expiry.Stop()
		p.expiry = nil
	}
	p.mu.Unlock()
	for _, d := range idle {
		removeWork(d.path)
	}
}

func (p *workDirs) pop() (workDir, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.idle)
	if n == 0 {
		return workDir{}, false
	}
	d := p.idle[n-1]
	p.idle[n-1] = workDir{}
	p.idle = p.idle[:n-1]
	return d, true
}

func (p *workDirs) push(d workDir) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= p.keep {
		return false
	}
	d.since = time.Now()
	p.idle = append(p.idle, d)
	if p.expiry == nil {
		p.expiry = time.AfterFunc(p.idleFor, p.expire)
	}
	return true
}

// expire removes the directories idle for idleFor or longer, and sets
// the timer for the next one. They are the first ones of idle: take uses
// the most recently returned one, so a directory left over from a burst
// of concurrent attempts ages while the others are reused.
func (p *workDirs) expire() {
	p.mu.Lock()
	now := time.Now()
	n := 0
	for n < len(p.idle) && now.Sub(p.idle[n].since) >= p.idleFor {
		n++
	}
	old := slices.Clone(p.idle[:n])
	p.idle = slices.Delete(p.idle, 0, n)
	switch {
	case p.expiry == nil: // closed meanwhile
	case len(p.idle) == 0:
		p.expiry = nil
	default:
		p.expiry.Reset(p.idleFor - now.Sub(p.idle[0].since))
	}
	p.mu.Unlock()
	for _, d := range old {
		removeWork(d.path)
	}
}

// identify returns the identity of the new directory path, zero when
// it cannot be read or is open to others (a umask can only remove
// permissions, so os.MkdirTemp's 0700 is the most there is).
func identify(path string) dirID {
	fi, err := os.Lstat(path)
	if err != nil {
		return dirID{}
	}
	id, ok := statID(fi)
	if !ok || id.mode&0o077 != 0 {
		return dirID{}
	}
	if id.xattrs, err = xattrNames(path); err != nil {
		return dirID{}
	}
	return id
}

// reusable reports whether d is still the directory it was created as,
// and empty. The directory is opened without following a symbolic
// link, and its identity and entries are read from that one open file.
func (d workDir) reusable() bool {
	f, err := os.OpenFile(d.path, os.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	id, ok := statID(fi)
	if !ok {
		return false
	}
	id.xattrs = d.id.xattrs
	if id != d.id {
		return false
	}
	if _, err := f.Readdirnames(1); err != io.EOF {
		return false
	}
	xattrs, err := xattrNames(d.path)
	return err == nil && xattrs == d.id.xattrs
}

// statID is the identity of a directory from its FileInfo, without the
// extended attributes; false when fi is not a directory.
func statID(fi fs.FileInfo) (dirID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || !fi.IsDir() {
		return dirID{}, false
	}
	return dirID{dev: uint64(st.Dev), ino: uint64(st.Ino), mode: uint32(st.Mode), uid: st.Uid, gid: st.Gid}, true
}

// removeWork removes an attempt's work directory. Most commands leave it
// empty, so a single rmdir(2) usually does; RemoveAll (which first
// inspects the path, then lists and removes the contents) is the
// fallback. A symbolic link put in its place is removed, not followed.
func removeWork(dir string) {
	if syscall.Rmdir(dir) == nil {
		return
	}
	_ = os.RemoveAll(dir)
}
