package notify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits applied to every delivered message: SNS's own limits, so that a
// message any backend accepts SNS accepts too.
const (
	// MaxSubjectChars is the longest subject, in characters (SNS's limit).
	MaxSubjectChars = 100
	// MaxBodyBytes is the longest body, in bytes of UTF-8 (SNS's 256 KB).
	MaxBodyBytes = 256 * 1024
	// Ellipsis ends a subject cut to MaxSubjectChars. It is ASCII because
	// SNS subjects historically had to be.
	Ellipsis = "..."
	// BodyTruncated ends a body cut to MaxBodyBytes.
	BodyTruncated = "\n[truncated]"
)

// Normalized returns m with its subject passed through Subject and its
// body through Body. Every backend delivers the normalized message.
func (m Message) Normalized() Message {
	m.Subject = Subject(m.Subject)
	m.Body = Body(m.Body)
	return m
}

// Subject returns s as SNS accepts a subject: invalid UTF-8 becomes U+FFFD,
// control characters (line breaks included) become spaces, surrounding
// white space is trimmed, and a subject longer than MaxSubjectChars
// characters keeps its first MaxSubjectChars-3 characters followed by
// Ellipsis, so it is exactly MaxSubjectChars characters long.
func Subject(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= MaxSubjectChars {
		return s
	}
	return prefixRunes(s, MaxSubjectChars-utf8.RuneCountInString(Ellipsis)) + Ellipsis
}

// prefixRunes returns the first n runes of s.
func prefixRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// Body returns s as SNS accepts a message body: invalid UTF-8 becomes
// U+FFFD, and a body longer than MaxBodyBytes is cut on a character
// boundary and ends with BodyTruncated, so it is at most MaxBodyBytes
// long.
func Body(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= MaxBodyBytes {
		return s
	}
	cut := MaxBodyBytes - len(BodyTruncated)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + BodyTruncated
}
