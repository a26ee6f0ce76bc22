package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// Transactions committed together keep their own outcome: a failing or
// panicking one rolls back its writes alone, and the others' are durable.
func TestDB_WithTxGroupCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datapipe.db")
	db := openPath(t, path)
	errFail := errors.New("fail on purpose")
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil && i%10 != 9 {
					t.Errorf("tx %d: unexpected panic %v", i, v)
				}
			}()
			err := db.WithTx(t.Context(), func(q store.Queries) error {
				if _, _, err := q.PipelineCreate(t.Context(), store.PipelineCreateParams{Pipeline: groupPipeline(i)}); err != nil {
					return err
				}
				switch {
				case i%10 == 9:
					panic("panic on purpose")
				case i%3 == 1:
					return errFail
				}
				return nil
			})
			if want := i%3 == 1 && i%10 != 9; want != errors.Is(err, errFail) {
				t.Errorf("tx %d: err %v", i, err)
			}
		})
	}
	wg.Wait()
	for i := range 60 {
		_, err := db.PipelineGet(t.Context(), store.PipelineGetParams{AccountID: "a", ID: groupPipeline(i).ID})
		if kept := i%3 != 1 && i%10 != 9; kept != (err == nil) {
			t.Errorf("pipeline %d: kept %v, read err %v", i, kept, err)
		}
	}
}

func groupPipeline(i int) store.Pipeline {
	id := fmt.Sprintf("df-group%03d", i)
	return store.Pipeline{ID: id, AccountID: "a", Name: id, UniqueID: id, State: pipeline.StatePending,
		CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}
