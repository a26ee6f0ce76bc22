package s3

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// part is one downloaded range, or the error fetching it.
type part struct {
	buf *[]byte
	n   int
	err error
}

// rangedReader reads an object with up to DownloadConcurrency ranged
// GETs in flight, handing the bytes out in order. At most concurrency
// parts are fetched ahead of the one being read, so memory is bounded.
type rangedReader struct {
	cancel context.CancelFunc
	queue  chan chan part // futures in object order
	cur    part
	off    int
	pool   *bufPool
	done   sync.WaitGroup
	err    error
	closed bool
}

// openRanged starts the ranged download of l (size bytes).
func (n *Node) openRanged(ctx context.Context, l location, size int64) (io.ReadCloser, error) {
	ctx, cancel := context.WithCancel(ctx)
	psize := n.cfg.DownloadPartSize
	r := &rangedReader{
		cancel: cancel,
		queue:  make(chan chan part, n.cfg.DownloadConcurrency),
		pool:   newBufPool(n.cfg.DownloadConcurrency+1, psize),
	}
	r.done.Add(1)
	go r.produce(ctx, n, l, size, psize)
	return r, nil
}

// produce queues a fetch for every range, in order; the queue's capacity
// bounds the fetches ahead of the reader.
func (r *rangedReader) produce(ctx context.Context, n *Node, l location, size, psize int64) {
	defer r.done.Done()
	defer close(r.queue)
	for off := int64(0); off < size; off += psize {
		fut := make(chan part, 1)
		select {
		case r.queue <- fut:
		case <-ctx.Done():
			return
		}
		end := min(off+psize, size) - 1
		r.done.Add(1)
		go func() {
			defer r.done.Done()
			fut <- r.fetch(ctx, n, l, off, end)
		}()
	}
}

// fetch GETs bytes off..end into a pooled buffer.
func (r *rangedReader) fetch(ctx context.Context, n *Node, l location, off, end int64) part {
	rng := fmt.Sprintf("bytes=%d-%d", off, end)
	out, err := n.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &l.bucket, Key: &l.key, Range: &rng})
	if err != nil {
		return part{err: n.s3Err("get "+l.url()+" "+rng, l, err)}
	}
	defer out.Body.Close()
	buf := r.pool.get()
	want := int(end - off + 1)
	k, err := io.ReadFull(out.Body, (*buf)[:want])
	if err != nil {
		r.pool.put(buf)
		return part{err: fmt.Errorf("%s: get %s %s: %w", n.name, l.url(), rng, err)}
	}
	return part{buf: buf, n: k}
}

// Read hands out the bytes of the current part, waiting for the next
// when it is used up.
func (r *rangedReader) Read(p []byte) (int, error) {
	for r.cur.buf == nil || r.off == r.cur.n {
		if r.err != nil {
			return 0, r.err
		}
		r.release()
		fut, ok := <-r.queue
		if !ok {
			r.err = io.EOF
			return 0, io.EOF
		}
		r.cur, r.off = <-fut, 0
		if r.cur.err != nil {
			r.err = r.cur.err
			return 0, r.err
		}
	}
	k := copy(p, (*r.cur.buf)[r.off:r.cur.n])
	r.off += k
	return k, nil
}

// release returns the current part's buffer to the pool.
func (r *rangedReader) release() {
	if r.cur.buf != nil {
		r.pool.put(r.cur.buf)
	}
	r.cur = part{}
}

// Close stops the fetches and waits for them.
func (r *rangedReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.cancel()
	r.release()
	go func() {
		for fut := range r.queue {
			if p := <-fut; p.buf != nil {
				r.pool.put(p.buf)
			}
		}
	}()
	r.done.Wait()
	return nil
}
