package dynamodb

import (
	"context"
	"io"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// page is one Scan page, or the error that ended a segment.
type page struct {
	items []map[string]types.AttributeValue
	err   error
}

// Read scans the whole table with Config.Segments parallel segments,
// spending at most readThroughputPercent of the table's read capacity
// per second (measured with the capacity each page reports). Items come
// in no particular order, each as a record with its attributes in name
// order. At most two pages per segment are held at once.
func (n *Node) Read(ctx context.Context) (datanode.RecordReader, error) {
	d, err := n.describe(ctx)
	if err != nil {
		return nil, err
	}
	rate, _ := n.rates(d)
	lim := datanode.NewLimiter(n.cfg.Clock, rate)
	ctx, cancel := context.WithCancel(ctx)
	r := &scanReader{pages: make(chan page, n.cfg.Segments), cancel: cancel}
	limit := pageLimit(d, rate, n.cfg.Segments)
	var wg sync.WaitGroup
	for seg := range n.cfg.Segments {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.scanSegment(ctx, int32(seg), lim, limit, r.pages)
		}()
	}
	go func() { wg.Wait(); close(r.pages) }()
	return r, nil
}

// pageLimit is the items per Scan page: about one second of the rate's
// capacity per segment (1 read unit = 8 KB eventually consistent); no
// limit (1 MB pages) when unlimited or when that is more than a page.
func pageLimit(d *types.TableDescription, rate float64, segments int) *int32 {
	if rate <= 0 {
		return nil
	}
	avg := 1024.0
	if c := aws.ToInt64(d.ItemCount); c > 0 && aws.ToInt64(d.TableSizeBytes) > 0 {
		avg = float64(aws.ToInt64(d.TableSizeBytes)) / float64(c)
	}
	items := rate * 8192 / avg / float64(segments)
	if items*avg >= 1<<20 {
		return nil
	}
	return aws.Int32(int32(max(items, 1)))
}

// scanSegment scans one segment into pages.
func (n *Node) scanSegment(ctx context.Context, seg int32, lim *datanode.Limiter, limit *int32, pages chan<- page) {
	in := &dynamodb.ScanInput{
		TableName: &n.table, Limit: limit, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		Segment: aws.Int32(seg), TotalSegments: aws.Int32(int32(n.cfg.Segments)),
	}
	estimate := 1.0
	for {
		if err := lim.Take(ctx, estimate); err != nil {
			return
		}
		out, err := n.client.Scan(ctx, in)
		if err != nil {
			send(ctx, pages, page{err: n.apiErr("scan", err)})
			return
		}
		used := consumed(out.ConsumedCapacity, float64(len(out.Items))*0.5)
		lim.Spend(used - estimate)
		estimate = used
		if !send(ctx, pages, page{items: out.Items}) || out.LastEvaluatedKey == nil {
			return
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// consumed is the capacity a response reports, else the estimate.
func consumed(c *types.ConsumedCapacity, estimate float64) float64 {
	if c != nil && c.CapacityUnits != nil {
		return *c.CapacityUnits
	}
	return estimate
}

// send hands a page over unless ctx is done.
func send(ctx context.Context, pages chan<- page, p page) bool {
	select {
	case pages <- p:
		return true
	case <-ctx.Done():
		return false
	}
}

// scanReader hands out the items of the scanned pages.
type scanReader struct {
	pages  chan page
	cancel context.CancelFunc
	cur    []map[string]types.AttributeValue
	err    error
}

// Read returns the next item as a record.
func (r *scanReader) Read() (format.Record, error) {
	for len(r.cur) == 0 {
		if r.err != nil {
			return nil, r.err
		}
		p, ok := <-r.pages
		if !ok {
			r.err = io.EOF
			return nil, io.EOF
		}
		if p.err != nil {
			r.err = p.err
			r.cancel()
			return nil, p.err
		}
		r.cur = p.items
	}
	item := r.cur[0]
	r.cur = r.cur[1:]
	return Record(item), nil
}

// Close stops the scan.
func (r *scanReader) Close() error {
	r.cancel()
	for range r.pages {
	}
	return nil
}
