package control

import "crypto/rand"

const pipelineIDAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// newPipelineID returns "df-" and 20 random upper-case alphanumerics, the
// form real pipeline ids have.
func newPipelineID() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		b[i] = pipelineIDAlphabet[int(b[i])%len(pipelineIDAlphabet)]
	}
	return "df-" + string(b)
}
