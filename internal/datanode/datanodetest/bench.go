package datanodetest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// CSV returns a reader of size bytes of generated CSV rows
// (id,name,amount), ending on a row boundary (so possibly a little
// shorter): the benchmarks' input, made on the fly in bounded memory.
func CSV(size int64) io.Reader { return &csvSource{left: size} }

// csvSource generates CSV rows until left bytes are read.
type csvSource struct {
	left int64
	row  int64
	buf  bytes.Buffer
}

// Read fills p with generated rows.
func (s *csvSource) Read(p []byte) (int, error) {
	if s.left <= 0 {
		return 0, io.EOF
	}
	for s.buf.Len() < len(p) {
		s.row++
		fmt.Fprintf(&s.buf, "%d,customer %d with a longer name,%d.%02d\n", s.row, s.row%9973, s.row%100000, s.row%100)
	}
	n := int(min(int64(len(p)), s.left))
	if int64(n) == s.left { // the last read ends on a row boundary
		if i := bytes.LastIndexByte(s.buf.Bytes()[:n], '\n'); i >= 0 {
			n = i + 1
		}
		s.left = int64(n)
	}
	copy(p, s.buf.Next(n))
	s.left -= int64(n)
	return n, nil
}

// ResetPeak returns freed memory to the system and resets the process's
// peak RSS (VmHWM, Linux), so that PeakMB covers what follows and not the
// set-up.
func ResetPeak() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakMB is the process's peak RSS (VmHWM) in MiB; 0 where /proc is not
// available.
func PeakMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
