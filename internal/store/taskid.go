package store

import (
	"crypto/rand"
	"encoding/base64"
)

// NewTaskID returns a new Task.ID: an opaque, unguessable token (33
// random bytes, URL-safe base64), as runners pass back to the service.
func NewTaskID() string {
	b := make([]byte, 33)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
