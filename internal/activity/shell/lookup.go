package shell

import (
	"strings"
	"sync"
	"time"
)

// lookupTTL is how long a PATH lookup is remembered.
const lookupTTL = 100 * time.Millisecond

// maxLookups bounds the lookups a lookupCache keeps.
const maxLookups = 1024

// lookupCache remembers where a command word was found on PATH, for
// lookupTTL. [I] A direct command's PATH search costs one access(2) per
// entry before the one that has it: ten on a typical PATH, about a
// quarter of what starting a `true` costs the runner. A remembered path
// is checked again (still an executable file) before it is used, and a
// word not found is never remembered (the command then goes through
// bash, which searches itself). What a remembered lookup can miss is an
// executable of the same name that appeared, within lookupTTL, in an
// earlier PATH directory; bash would have found that one.
type lookupCache struct {
	mu    sync.Mutex
	found map[lookupKey]lookupHit
}

type lookupKey struct{ word, path, dir string }

type lookupHit struct {
	exe string
	at  time.Time
}

// find is findCommand, remembered for PATH searches.
func (c *lookupCache) find(word, path string, pathSet bool, dir string) (string, bool) {
	if c == nil || !pathSet || strings.ContainsRune(word, '/') {
		return findCommand(word, path, pathSet, dir)
	}
	key := lookupKey{word, path, dir}
	now := time.Now()
	if exe, ok := c.get(key, now); ok && executable(absIn(dir, exe)) {
		return exe, true
	}
	exe, ok := findCommand(word, path, pathSet, dir)
	if ok {
		c.put(key, lookupHit{exe, now})
	}
	return exe, ok
}

func (c *lookupCache) get(key lookupKey, now time.Time) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	hit, ok := c.found[key]
	if !ok || now.Sub(hit.at) >= lookupTTL || now.Before(hit.at) {
		return "", false
	}
	return hit.exe, true
}

func (c *lookupCache) put(key lookupKey, hit lookupHit) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.found == nil || len(c.found) >= maxLookups {
		c.found = map[lookupKey]lookupHit{}
	}
	c.found[key] = hit
}
