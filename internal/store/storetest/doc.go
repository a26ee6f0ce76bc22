// Package storetest is the conformance suite of the store port: the
// executable form of the contracts written on store.Queries, store.Store
// and their …Params types. Every adapter runs it from its own tests:
//
//	func TestDB(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			db, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "db")})
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { db.Close() })
//			return db
//		})
//	}
//
// Run calls open once per leaf subtest; each call must return a fresh,
// empty store isolated from every other (a temporary file, a Postgres
// schema). Run never closes the stores it is given: open registers the
// cleanup. Subtests are named Entity_Method/Case (Pipeline_Create/OK,
// Task_Claim/ErrNotFound), so that one contract can be run alone with
// go test -run 'TestDB/Task_Claim/'.
//
// The suite uses a fixed fake clock (2024-03-01T12:00:00Z plus offsets)
// and never sleeps. Times it writes are whole milliseconds, so that an
// adapter keeping milliseconds or finer returns them exactly; the
// Time_RoundTrip group checks finer inputs separately.
//
// Where the port leaves a choice open (an unknown list cursor, a zero
// Limit, a second cancel of a leased task) the suite does not test it.
package storetest
