package web

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
)

// workers is how many store reads a page runs at once.
const workers = 4

// parallel runs fn(0) … fn(n-1) on up to workers goroutines and returns
// their errors joined.
func parallel(n int, fn func(i int) error) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				errs[i] = fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

func itoa(n int) string { return strconv.Itoa(n) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
