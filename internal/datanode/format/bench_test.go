package format_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

// benchData is about 8 MB of three-column CSV.
func benchData() []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < 8<<20; i++ {
		fmt.Fprintf(&b, "%d,customer %d with a longer name,%d.%02d\n", i, i%9973, i%100000, i%100)
	}
	return b.Bytes()
}

// BenchmarkReader reads CSV and TSV records (MB/s of input).
func BenchmarkReader(b *testing.B) {
	data := benchData()
	for name, f := range map[string]*format.Format{"CSV": format.CSV(), "TSV": format.TSV()} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r := f.NewReader(bytes.NewReader(data), "bench")
				for {
					if _, err := r.Read(); errors.Is(err, io.EOF) {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkWriter writes CSV records (MB/s of output).
func BenchmarkWriter(b *testing.B) {
	recs, _ := readAll(format.CSV(), string(benchData()))
	f := format.CSV()
	b.SetBytes(8 << 20)
	for b.Loop() {
		w := f.NewWriter(io.Discard, "bench")
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		w.Flush()
	}
}
