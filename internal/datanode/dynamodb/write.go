package dynamodb

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// batchSize is BatchWriteItem's maximum.
const batchSize = 25

// maxBackoff caps the wait before retrying unprocessed items.
const maxBackoff = 5 * time.Second

// maxAttempts bounds the BatchWriteItem calls for one batch (about two
// minutes of back-off) before the write fails.
const maxAttempts = 30

// Write starts writing records as items with BatchWriteItem (25 per
// call, Config.WriteConcurrency calls in flight), spending at most
// writeThroughputPercent of the table's write capacity per second.
// Unprocessed items are retried with back-off. DynamoDB has no
// transaction over a whole load: items land as they go, and Abort only
// stops writing. Replace is not supported.
func (n *Node) Write(ctx context.Context, mode datanode.WriteMode) (datanode.RecordWriter, error) {
	if mode == datanode.Replace {
		return nil, datanode.Invalidf(n.name, "a DynamoDB table cannot be replaced atomically; write in append mode")
	}
	d, err := n.describe(ctx)
	if err != nil {
		return nil, err
	}
	_, rate := n.rates(d)
	return &writer{n: n, lim: datanode.NewLimiter(n.cfg.Clock, rate), sem: make(chan struct{}, n.cfg.WriteConcurrency)}, nil
}

// pending is a record waiting to be written, with its number.
type pending struct {
	row  int64
	rec  format.Record
	item map[string]types.AttributeValue
}

// writer batches records into BatchWriteItem calls.
type writer struct {
	n     *Node
	lim   *datanode.Limiter
	sem   chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error
	batch []pending
	rows  int64
	done  bool
}

// Write adds one record, sending a batch when 25 are waiting.
func (w *writer) Write(ctx context.Context, rec format.Record) error {
	if w.done {
		return fmt.Errorf("%s: write after Commit or Abort", w.n.name)
	}
	if err := w.failure(); err != nil {
		return err
	}
	w.rows++
	item, err := Item(rec)
	if err != nil {
		return &format.RowError{Source: w.n.name, Row: w.rows, Err: err}
	}
	w.batch = append(w.batch, pending{row: w.rows, rec: rec, item: item})
	if len(w.batch) == batchSize {
		w.send(ctx)
	}
	return nil
}

// send writes the waiting batch in the background.
func (w *writer) send(ctx context.Context) {
	batch := w.batch
	w.batch = nil
	w.sem <- struct{}{}
	w.wg.Add(1)
	go func() {
		defer func() { <-w.sem; w.wg.Done() }()
		if err := w.writeBatch(ctx, batch); err != nil {
			w.fail(err)
		}
	}()
}

// failure returns the first error of a background batch.
func (w *writer) failure() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// fail records the first error.
func (w *writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

// writeBatch writes one batch, retrying unprocessed items.
func (w *writer) writeBatch(ctx context.Context, batch []pending) error {
	reqs := make([]types.WriteRequest, len(batch))
	size := 0
	for i, p := range batch {
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: p.item}}
		size += (itemSize(p.rec) + 1023) / 1024
	}
	for attempt := 0; len(reqs) > 0; attempt++ {
		if attempt == maxAttempts {
			return fmt.Errorf("%s: write items: %d items still unprocessed after %d attempts: the table's write capacity is exhausted", w.n.name, len(reqs), maxAttempts)
		}
		estimate := float64(size) * float64(len(reqs)) / float64(len(batch))
		if err := w.backoff(ctx, attempt, estimate); err != nil {
			return err
		}
		out, err := w.n.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems:           map[string][]types.WriteRequest{w.n.table: reqs},
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if isValidation(err) {
			return w.findBadItem(ctx, batch, err)
		}
		if err != nil {
			return w.n.apiErr("write items", err)
		}
		w.lim.Spend(totalConsumed(out.ConsumedCapacity, estimate) - estimate)
		reqs = out.UnprocessedItems[w.n.table]
	}
	return nil
}

// backoff waits, on retries, 50 ms doubling to 5 s, then for capacity,
// reserving the estimated units.
func (w *writer) backoff(ctx context.Context, attempt int, estimate float64) error {
	if attempt > 0 {
		d := min(50*time.Millisecond<<min(attempt-1, 10), maxBackoff)
		if err := w.n.cfg.Clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
	return w.lim.Take(ctx, estimate)
}

// totalConsumed sums reported capacity, else returns the estimate.
func totalConsumed(cs []types.ConsumedCapacity, estimate float64) float64 {
	total, seen := 0.0, false
	for _, c := range cs {
		if c.CapacityUnits != nil {
			total, seen = total+*c.CapacityUnits, true
		}
	}
	if !seen {
		return estimate
	}
	return total
}

// findBadItem writes a rejected batch item by item to name the record
// DynamoDB refuses.
func (w *writer) findBadItem(ctx context.Context, batch []pending, batchErr error) error {
	for _, p := range batch {
		_, err := w.n.client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &w.n.table, Item: p.item})
		if isValidation(err) {
			return &format.RowError{Source: w.n.name, Row: p.row, Err: validationMessage(err)}
		}
		if err != nil {
			return w.n.apiErr("write item", err)
		}
	}
	return &format.RowError{Source: w.n.name, Row: batch[0].row, Err: validationMessage(batchErr)}
}

// isValidation reports whether err is a ValidationException.
func isValidation(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationException"
}

// validationMessage is the service's message of a validation error.
func validationMessage(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("%s", ae.ErrorMessage())
	}
	return err
}

// Commit sends the last batch and waits for all.
func (w *writer) Commit(ctx context.Context) (int64, error) {
	if w.done {
		return 0, fmt.Errorf("%s: the writer is already committed or aborted", w.n.name)
	}
	if len(w.batch) > 0 && w.failure() == nil {
		w.send(ctx)
	}
	w.wg.Wait()
	w.done = true
	if err := w.failure(); err != nil {
		return 0, err
	}
	return w.rows, nil
}

// Abort stops writing; items already written stay.
func (w *writer) Abort(context.Context) error {
	if w.done {
		return nil
	}
	w.done = true
	w.batch = nil
	w.wg.Wait()
	return nil
}
