package shell

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestCopyOutput(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, size := range []int{0, 1, 512, 513, 100_000} {
			in := strings.Repeat("x", size)
			var out bytes.Buffer
			// A plain reader fills the buffer, so it grows; HalfReader's
			// short reads keep it small.
			for _, r := range []io.Reader{strings.NewReader(in), iotest.HalfReader(strings.NewReader(in))} {
				out.Reset()
				copyOutput(&out, r)
				if out.String() != in {
					t.Errorf("%d bytes: copied %d", size, out.Len())
				}
			}
		}
	})
	t.Run("ErrWrite", func(t *testing.T) {
		r := strings.NewReader(strings.Repeat("x", 4096))
		copyOutput(failingWriter{}, r)
		if r.Len() == 0 {
			t.Error("copy went on after a failed write")
		}
	})
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
