package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// testPipelineCreate: PipelineCreate inserts, and is idempotent on
// (account, name, uniqueId) among live pipelines.
func testPipelineCreate(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		in := newPipeline(acct, "df-1")
		in.Description = "nightly \"copy\" ✓"
		in.Tags = []store.Tag{{Key: "team", Value: "data"}, {Key: "env", Value: "prod"}, {Key: "app", Value: ""}}
		got := createPipeline(t, s, in)
		equal(t, "created", canonPipeline(got), canonPipeline(in))
		equal(t, "read back", canonPipeline(try(getPipeline(t, s, acct, "df-1")).must(t)), canonPipeline(in))
	})
	t.Run("Idempotent", func(t *testing.T) { testPipelineCreateIdempotent(t, open) })
	t.Run("AfterDelete", func(t *testing.T) {
		s := open(t)
		createPipeline(t, s, newPipeline(acct, "df-1"))
		deletePipeline(t, s, "df-1")
		again := newPipeline(acct, "df-2")
		again.Name, again.UniqueID = "name-df-1", "token-df-1"
		equal(t, "id", createPipeline(t, s, again).ID, "df-2")
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		createPipeline(t, s, newPipeline(acct, "df-1"))
		dup := newPipeline(acct, "df-1")
		dup.Name = "another name"
		_, _, err := s.PipelineCreate(t.Context(), store.PipelineCreateParams{Pipeline: dup})
		wantErr(t, err, store.ErrConflict)
	})
	t.Run("Concurrent", func(t *testing.T) { testPipelineCreateConcurrent(t, open) })
}

// testPipelineCreateIdempotent: a second create with the same key returns
// the first pipeline, ignoring its other attributes; any other key creates.
func testPipelineCreateIdempotent(t *testing.T, open Opener) {
	tests := []struct {
		name        string
		edit        func(p *store.Pipeline)
		wantCreated bool
	}{
		{"SameKey", func(p *store.Pipeline) { p.Description = "ignored" }, false},
		{"OtherUniqueID", func(p *store.Pipeline) { p.UniqueID = "token-other" }, true},
		{"OtherName", func(p *store.Pipeline) { p.Name = "name-other" }, true},
		{"OtherAccount", func(p *store.Pipeline) { p.AccountID = acctOther }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			first := createPipeline(t, s, newPipeline(acct, "df-1"))
			second := newPipeline(acct, "df-2")
			second.Name, second.UniqueID, second.CreatedAt = first.Name, first.UniqueID, at(time.Minute)
			tt.edit(&second)
			got, created, err := s.PipelineCreate(t.Context(), store.PipelineCreateParams{Pipeline: second})
			noErr(t, err)
			equal(t, "created", created, tt.wantCreated)
			want := first
			if tt.wantCreated {
				want = second
			}
			equal(t, "pipeline", canonPipeline(got), canonPipeline(want))
		})
	}
}

// testPipelineCreateConcurrent: of concurrent creates with one key,
// exactly one creates and all return its pipeline.
func testPipelineCreateConcurrent(t *testing.T, open Opener) {
	s := open(t)
	const n = 8
	var wg sync.WaitGroup
	got := make([]store.Pipeline, n)
	created := make([]bool, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := newPipeline(acct, fmt.Sprintf("df-%d", i))
			p.Name, p.UniqueID = "same", "same"
			var err error
			got[i], created[i], err = s.PipelineCreate(t.Context(), store.PipelineCreateParams{Pipeline: p})
			if err != nil {
				t.Errorf("create %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	winners := 0
	for i := range n {
		if created[i] {
			winners++
		}
		equal(t, "id", got[i].ID, got[0].ID)
	}
	equal(t, "creates", winners, 1)
	equal(t, "count", try(s.PipelineCount(t.Context(), store.PipelineCountParams{AccountID: acct})).must(t), 1)
}

// testPipelineGet: PipelineGet finds live pipelines of the account only.
func testPipelineGet(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		want := createPipeline(t, s, newPipeline(acct, "df-1"))
		equal(t, "pipeline", try(getPipeline(t, s, acct, "df-1")).must(t), want)
	})
	tests := []struct {
		name    string
		account string
		id      string
		want    error
	}{
		{"ErrNotFound", acct, "df-unknown", store.ErrNotFound},
		{"ErrNotFound/OtherAccount", acctOther, "df-live", store.ErrNotFound},
		{"ErrDeleted", acct, "df-deleted", store.ErrDeleted},
		{"ErrNotFound/OtherAccountDeleted", acctOther, "df-deleted", store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-live")
			seed(t, s, "df-deleted")
			deletePipeline(t, s, "df-deleted")
			_, err := getPipeline(t, s, tt.account, tt.id)
			wantErr(t, err, tt.want)
		})
	}
}

// testPipelineList: PipelineList pages through live pipelines of one
// account in creation order, then id.
func testPipelineList(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		for i, id := range []string{"df-c", "df-a", "df-b", "df-e", "df-d"} {
			p := newPipeline(acct, id)
			p.CreatedAt = at(time.Duration(min(i, 3)) * time.Minute)
			createPipeline(t, s, p)
		}
		createPipeline(t, s, newPipeline(acctOther, "df-other"))
		seed(t, s, "df-deleted")
		deletePipeline(t, s, "df-deleted")
		equal(t, "ids", listIDs(t, s, acct, "", 100), []string{"df-c", "df-a", "df-b", "df-d", "df-e"})
		equal(t, "other account", listIDs(t, s, acctOther, "", 100), []string{"df-other"})
	})
	t.Run("Paging", func(t *testing.T) {
		s := open(t)
		all := seedPipelines(t, s, 5)
		equal(t, "page 1", listIDs(t, s, acct, "", 2), all[0:2])
		equal(t, "page 2", listIDs(t, s, acct, all[1], 2), all[2:4])
		equal(t, "page 3", listIDs(t, s, acct, all[3], 2), all[4:])
		equal(t, "end", listIDs(t, s, acct, all[4], 2), []string{})
	})
	t.Run("DeletedCursor", func(t *testing.T) {
		s := open(t)
		all := seedPipelines(t, s, 5)
		deletePipeline(t, s, all[1])
		equal(t, "after deleted", listIDs(t, s, acct, all[1], 2), all[2:4])
		equal(t, "skips deleted", listIDs(t, s, acct, all[0], 2), []string{all[2], all[3]})
	})
	t.Run("Empty", func(t *testing.T) {
		s := open(t)
		equal(t, "ids", listIDs(t, s, acct, "", 10), []string{})
	})
}

// seedPipelines creates n pipelines in acct, one a minute, and returns
// their ids in creation order.
func seedPipelines(t *testing.T, s store.Queries, n int) []string {
	t.Helper()
	all := ids("df", n)
	for i, id := range all {
		p := newPipeline(acct, id)
		p.CreatedAt = at(time.Duration(i) * time.Minute)
		createPipeline(t, s, p)
	}
	return all
}

// testPipelineCount: PipelineCount counts the account's live pipelines.
func testPipelineCount(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seedPipelines(t, s, 3)
		createPipeline(t, s, newPipeline(acctOther, "df-other"))
		deletePipeline(t, s, "df-0001")
		count := func(account string) int {
			return try(s.PipelineCount(t.Context(), store.PipelineCountParams{AccountID: account})).must(t)
		}
		equal(t, "acct", count(acct), 2)
		equal(t, "other", count(acctOther), 1)
		equal(t, "empty", count("999999999999"), 0)
	})
}

// testPipelineUpdate: PipelineUpdate writes the mutable attributes only.
func testPipelineUpdate(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		p := createPipeline(t, s, newPipeline(acct, "df-1"))
		p.Name, p.Description, p.State = "renamed", "described", pipeline.StateScheduled
		p.Tags = []store.Tag{{Key: "z", Value: "1"}, {Key: "a", Value: "2"}, {Key: "m", Value: "3"}}
		p.ActiveVersion, p.HealthStatus = 1, "HEALTHY"
		p.FirstActivatedAt, p.LastActivatedAt, p.HealthUpdatedAt = at(time.Minute), at(2*time.Minute), at(3*time.Minute)
		p.LastDeactivatedAt, p.FinishedAt = at(4*time.Minute), at(5*time.Minute)
		got := try(s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: p})).must(t)
		equal(t, "updated", canonPipeline(got), canonPipeline(p))
		equal(t, "read back", canonPipeline(try(getPipeline(t, s, acct, "df-1")).must(t)), canonPipeline(p))
	})
	t.Run("ClearsTags", func(t *testing.T) {
		s := open(t)
		in := newPipeline(acct, "df-1")
		in.Tags = []store.Tag{{Key: "k", Value: "v"}}
		p := createPipeline(t, s, in)
		p.Tags = nil
		got := try(s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: p})).must(t)
		equal(t, "tags", len(got.Tags), 0)
	})
	t.Run("Immutable", func(t *testing.T) { testPipelineUpdateImmutable(t, open) })
	tests := []struct {
		name    string
		account string
		id      string
		want    error
	}{
		{"ErrNotFound", acct, "df-unknown", store.ErrNotFound},
		{"ErrNotFound/OtherAccount", acctOther, "df-live", store.ErrNotFound},
		{"ErrDeleted", acct, "df-deleted", store.ErrDeleted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-live")
			seed(t, s, "df-deleted")
			deletePipeline(t, s, "df-deleted")
			p := newPipeline(tt.account, tt.id)
			_, err := s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: p})
			wantErr(t, err, tt.want)
		})
	}
}

// testPipelineUpdateImmutable: UniqueID, Creator, CreatedAt and
// LatestVersion are never changed by PipelineUpdate.
func testPipelineUpdateImmutable(t *testing.T, open Opener) {
	s := open(t)
	orig := createPipeline(t, s, newPipeline(acct, "df-1"))
	try(s.DefinitionPut(t.Context(), store.DefinitionPutParams{PipelineID: "df-1", Now: at(time.Minute)})).must(t)
	orig.LatestVersion = 1
	p := orig
	p.UniqueID, p.Creator, p.CreatedAt, p.LatestVersion = "token-new", "mallory", at(time.Hour), 7
	p.Description = "mutable"
	got := try(s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: p})).must(t)
	want := orig
	want.Description = "mutable"
	equal(t, "updated", canonPipeline(got), canonPipeline(want))
	equal(t, "read back", canonPipeline(try(getPipeline(t, s, acct, "df-1")).must(t)), canonPipeline(want))
}

// testPipelineListByState: PipelineListByState lists live pipelines of every
// account in the given states, in creation order.
func testPipelineListByState(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		ids := seedPipelines(t, s, 4)
		other := newPipeline(acctOther, "df-other")
		other.CreatedAt = at(time.Hour)
		createPipeline(t, s, other)
		for _, id := range []string{ids[1], ids[3]} {
			p := try(s.PipelineGet(t.Context(), store.PipelineGetParams{AccountID: acct, ID: id})).must(t)
			p.State = pipeline.StateScheduled
			try(s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: p})).must(t)
		}
		o := try(s.PipelineGet(t.Context(), store.PipelineGetParams{AccountID: acctOther, ID: "df-other"})).must(t)
		o.State = pipeline.StateDeactivating
		try(s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: o})).must(t)
		deletePipeline(t, s, ids[3])
		got := try(s.PipelineListByState(t.Context(), store.PipelineListByStateParams{
			States: []pipeline.PipelineState{pipeline.StateScheduled, pipeline.StateDeactivating}})).must(t)
		var gotIDs []string
		for _, p := range got {
			gotIDs = append(gotIDs, p.ID)
		}
		equal(t, "ids", fmt.Sprint(gotIDs), fmt.Sprint([]string{ids[1], "df-other"}))
	})
}

// testPipelineScheduleFrom: PipelineUpdate stores ScheduleFrom and the
// backfill range, and clears them with the zero time.
func testPipelineScheduleFrom(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		p := createPipeline(t, s, newPipeline(acct, "df-from"))
		p.ScheduleFrom, p.BackfillFrom, p.BackfillTo = at(90*time.Minute), at(-48*time.Hour), at(-24*time.Hour)
		got := try(s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: p})).must(t)
		equal(t, "set", got.ScheduleFrom.Equal(at(90*time.Minute)), true)
		got = try(s.PipelineGet(t.Context(), store.PipelineGetParams{AccountID: acct, ID: "df-from"})).must(t)
		equal(t, "read", got.ScheduleFrom.Equal(at(90*time.Minute)), true)
		equal(t, "backfill from", got.BackfillFrom.Equal(at(-48*time.Hour)), true)
		equal(t, "backfill to", got.BackfillTo.Equal(at(-24*time.Hour)), true)
		got.ScheduleFrom, got.BackfillFrom, got.BackfillTo = time.Time{}, time.Time{}, time.Time{}
		got = try(s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: got})).must(t)
		equal(t, "cleared", got.ScheduleFrom.IsZero() && got.BackfillFrom.IsZero() && got.BackfillTo.IsZero(), true)
	})
}
