package notify

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSubject(t *testing.T) {
	long := strings.Repeat("a", 150)
	tests := []struct {
		name, in, want string
	}{
		{"Empty", "", ""},
		{"Short", "CopyData failed", "CopyData failed"},
		{"Exactly100", strings.Repeat("b", 100), strings.Repeat("b", 100)},
		{"Long", long, strings.Repeat("a", 97) + "..."},
		{"LongMultibyte", strings.Repeat("é", 101), strings.Repeat("é", 97) + "..."},
		{"LineBreaks", "line one\r\nline\ttwo", "line one  line two"},
		{"Trimmed", " \n subject \n", "subject"},
		{"InvalidUTF8", "bad \xff byte", "bad \uFFFD byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Subject(tt.in)
			if got != tt.want {
				t.Errorf("Subject(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > MaxSubjectChars {
				t.Errorf("Subject is %d characters long, want at most %d", n, MaxSubjectChars)
			}
		})
	}
}

func TestBody(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		in := strings.Repeat("x", MaxBodyBytes)
		if got := Body(in); got != in {
			t.Errorf("Body of %d bytes changed to %d bytes", len(in), len(got))
		}
	})
	t.Run("Truncated", func(t *testing.T) {
		in := strings.Repeat("x", MaxBodyBytes+1)
		got := Body(in)
		if len(got) != MaxBodyBytes || !strings.HasSuffix(got, BodyTruncated) {
			t.Errorf("Body = %d bytes ending %q, want %d ending %q", len(got), got[len(got)-20:], MaxBodyBytes, BodyTruncated)
		}
	})
	t.Run("TruncatedOnRuneBoundary", func(t *testing.T) {
		in := strings.Repeat("€", MaxBodyBytes/3+1) // 3 bytes each
		got := Body(in)
		if len(got) > MaxBodyBytes || !utf8.ValidString(got) || !strings.HasSuffix(got, BodyTruncated) {
			t.Errorf("Body = %d bytes, valid UTF-8 %v; want at most %d, valid, ending %q",
				len(got), utf8.ValidString(got), MaxBodyBytes, BodyTruncated)
		}
	})
}

func TestMessage_Normalized(t *testing.T) {
	m := testMessage("x")
	m.Subject = "two\nlines"
	m.Body = "ok\xff"
	got := m.Normalized()
	if got.Subject != "two lines" || got.Body != "ok\uFFFD" {
		t.Errorf("Normalized() = subject %q body %q", got.Subject, got.Body)
	}
	got.Subject, got.Body = m.Subject, m.Body
	if got != m {
		t.Errorf("Normalized() changed fields other than subject and body: %+v", got)
	}
}

func ExampleSubject() {
	s := Subject("Pipeline df-0123456789ABCDEFGHIJ: CopyData for 2026-11-26T00:00:00 failed after 3 attempts;\nsee the logs at s3://logs/…")
	fmt.Println(s)
	fmt.Println(len([]rune(s)))
	// Output:
	// Pipeline df-0123456789ABCDEFGHIJ: CopyData for 2026-11-26T00:00:00 failed after 3 attempts; see t...
	// 100
}
