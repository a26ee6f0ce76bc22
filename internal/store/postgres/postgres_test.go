package postgres

import (
	"testing"

	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/store/storetest"
)

// TestDB runs the store conformance suite, each leaf subtest on a schema
// of its own, dropped when it ends.
func TestDB(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}
