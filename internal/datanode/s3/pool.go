package s3

// bufPool is a bounded free list of equal-sized buffers. Unlike a
// sync.Pool it keeps its buffers across garbage collections, so a long
// transfer reuses the same few buffers instead of allocating new ones
// after every GC.
type bufPool struct {
	free chan *[]byte
	size int
}

// newBufPool returns a pool keeping up to n buffers of size bytes.
func newBufPool(n int, size int64) *bufPool {
	return &bufPool{free: make(chan *[]byte, n), size: int(size)}
}

// get returns an empty buffer of capacity size.
func (p *bufPool) get() *[]byte {
	select {
	case b := <-p.free:
		*b = (*b)[:0]
		return b
	default:
		b := make([]byte, 0, p.size)
		return &b
	}
}

// put returns a buffer; beyond the pool's capacity it is dropped.
func (p *bufPool) put(b *[]byte) {
	select {
	case p.free <- b:
	default:
	}
}
