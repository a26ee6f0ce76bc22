package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/datapipe/datapipe/internal/api"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// runCheckEvery is how often a run reads the instances' statuses: four
// times a second refreshes a progress line smoothly enough, and each
// read of a wide run's statuses costs a few milliseconds (the scheduler's
// finish is signalled at once, not polled).
const runCheckEvery = 250 * time.Millisecond

// runSettle is how long the instances must stay unchanged and terminal
// before a run of an unbounded schedule stops: several scheduler ticks,
// so a pass that would create more instances has happened.
const runSettle = 4 * runTick

// watcher follows a run's instances in the store, prints their status
// changes and decides when the run is over.
type watcher struct {
	st    store.Store
	id    string
	out   io.Writer
	live  bool
	until time.Time
	// seen is the last printed status of each instance.
	seen map[string]pipeline.Status
	// fingerprint and stableSince detect a settled run.
	fingerprint string
	stableSince time.Time
	// finished, when set, signals that the scheduler finished the
	// pipeline: the watcher checks at once instead of at its next tick.
	finished <-chan struct{}
}

// watch polls until the pipeline FINISHED or its instances settle, and
// returns the final instances; an error when ctx ends or timeout passes
// first.
func (w *watcher) watch(ctx context.Context, timeout time.Duration) ([]store.Object, error) {
	w.seen = map[string]pipeline.Status{}
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(runCheckEvery)
	defer tick.Stop()
	for {
		insts, done, err := w.check(ctx)
		if err != nil || done {
			w.endLive()
			return insts, err
		}
		if time.Now().After(deadline) {
			w.endLive()
			return insts, fmt.Errorf("timed out after %v", timeout)
		}
		select {
		case <-ctx.Done():
			w.endLive()
			return insts, ctx.Err()
		case <-tick.C:
		case <-w.finished:
		}
	}
}

// check reads the pipeline and its instances once, prints changes and
// reports whether the run is over.
func (w *watcher) check(ctx context.Context) ([]store.Object, bool, error) {
	p, err := w.st.PipelineGet(ctx, store.PipelineGetParams{AccountID: api.LocalAccountID, ID: w.id})
	if err != nil {
		return nil, false, fmt.Errorf("read pipeline: %w", err)
	}
	if p.State == pipeline.StateFinished { // the instances in full, once: the summary's
		insts, err := w.instances(ctx)
		if err == nil && allTerminal(insts) {
			w.report(insts)
			return insts, true, nil
		}
	}
	insts, err := w.statuses(ctx)
	if err != nil {
		return nil, false, err
	}
	w.report(insts)
	if w.settled(insts) {
		insts, err = w.instances(ctx)
		return insts, err == nil, err
	}
	return insts, false, nil
}

// instances reads every instance in full.
func (w *watcher) instances(ctx context.Context) ([]store.Object, error) {
	insts, err := w.st.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: w.id, Sphere: pipeline.SphereInstance})
	if err != nil {
		return nil, fmt.Errorf("read instances: %w", err)
	}
	return insts, nil
}

// statuses reads the id and status of every instance: all a check needs
// (the fields are read once, for the summary).
func (w *watcher) statuses(ctx context.Context) ([]store.Object, error) {
	vs, err := w.st.ObjectVersions(ctx, store.ObjectQueryParams{PipelineID: w.id, Sphere: pipeline.SphereInstance})
	if err != nil {
		return nil, fmt.Errorf("read instances: %w", err)
	}
	insts := make([]store.Object, len(vs))
	for i, v := range vs {
		insts[i] = store.Object{ID: v.ID, Status: v.Status}
	}
	return insts, nil
}

// settled reports whether the instances have all been terminal (or
// blocked behind a failure) and unchanged for runSettle (and the
// horizon, when in the future, passed).
//
// No instance at all settles too, after twice as long: no interval
// starts at or before the horizon (a schedule that starts at activation,
// after --until, or in the future), so nothing is due.
func (w *watcher) settled(insts []store.Object) bool {
	if len(insts) > 0 && !(allTerminal(insts) || blocked(insts)) {
		w.fingerprint = ""
		return false
	}
	b := strings.Builder{}
	b.WriteString("instances:")
	for _, o := range insts {
		fmt.Fprintf(&b, "%s=%s;", o.ID, o.Status)
	}
	now := time.Now()
	if b.String() != w.fingerprint {
		w.fingerprint, w.stableSince = b.String(), now
		return false
	}
	settle := runSettle
	if len(insts) == 0 {
		settle *= 2
	}
	return now.Sub(w.stableSince) >= settle && (w.until.IsZero() || !now.Before(w.until))
}

// blocked reports whether nothing can move any more without a manual
// action: an instance failed, and the others are terminal or wait on
// dependencies (which, failureAndRerunMode not cascading, wait on the
// failed ones) with none waiting for or held by a runner.
func blocked(insts []store.Object) bool {
	failed := false
	for _, o := range insts {
		switch {
		case o.Status == pipeline.StatusFailed || o.Status == pipeline.StatusCascadeFailed || o.Status == pipeline.StatusTimedOut:
			failed = true
		case o.Status.Terminal(), o.Status == pipeline.StatusWaitingOnDependencies:
		default:
			return false
		}
	}
	return failed
}

func allTerminal(insts []store.Object) bool {
	for _, o := range insts {
		if !o.Status.Terminal() {
			return false
		}
	}
	return true
}

// report prints the instances whose status changed: one line each, or on
// a terminal a single rewritten line of counts.
func (w *watcher) report(insts []store.Object) {
	changed := false
	for _, o := range insts {
		if w.seen[o.ID] == o.Status {
			continue
		}
		w.seen[o.ID], changed = o.Status, true
		if !w.live {
			fmt.Fprintf(w.out, "%-24s %s\n", o.Status, o.ID)
		}
	}
	if changed && w.live {
		fmt.Fprintf(w.out, "\r\033[K%s %s", progressBar(insts, 24), statusCounts(insts))
	}
}

// progressBar is "[#####-----] 5/10": the instances that reached a
// terminal status out of all created so far.
func progressBar(insts []store.Object, width int) string {
	done := 0
	for _, o := range insts {
		if o.Status.Terminal() {
			done++
		}
	}
	filled := 0
	if len(insts) > 0 {
		filled = done * width / len(insts)
	}
	return fmt.Sprintf("[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat("-", width-filled), done, len(insts))
}

// endLive ends the live line.
func (w *watcher) endLive() {
	if w.live && len(w.seen) > 0 {
		fmt.Fprintln(w.out)
	}
}

// statusCounts is "N STATUS, …" in status order.
func statusCounts(insts []store.Object) string {
	counts := map[pipeline.Status]int{}
	var order []pipeline.Status
	for _, o := range insts {
		if counts[o.Status] == 0 {
			order = append(order, o.Status)
		}
		counts[o.Status]++
	}
	slices.Sort(order)
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[s], s)
	}
	return fmt.Sprintf("%d instances: %s", len(insts), strings.Join(parts, ", "))
}

// writeRunSummary prints one row per instance, the counts, the failed
// instances, and why each unfinished one did not run (why, by instance
// id, from explain), and returns the exit code: 0 only when the run completed and
// every instance FINISHED (or MARK_FINISHED), which holds too when no
// interval was due (it says so).
func writeRunSummary(w io.Writer, id string, insts []store.Object, completed bool, why map[string]string) int {
	fmt.Fprintf(w, "\npipeline %s\n", id)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COMPONENT\tSCHEDULED START\tSTATUS\tATTEMPTS\tERROR")
	code := exitOK
	if !completed {
		code = exitInvalid
	}
	var failed []store.Object
	for _, o := range insts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.ComponentID, o.ScheduledStart.UTC().Format("2006-01-02T15:04:05"),
			o.Status, instanceField(o, "@attemptCount"), oneLine(instanceField(o, "errorMessage")))
		if o.Status != pipeline.StatusFinished && o.Status != pipeline.StatusMarkFinished {
			code = exitInvalid
		}
		if o.Status == pipeline.StatusFailed || o.Status == pipeline.StatusCascadeFailed {
			failed = append(failed, o)
		}
	}
	_ = tw.Flush()
	fmt.Fprintln(w, statusCounts(insts))
	if len(insts) == 0 && completed {
		fmt.Fprintln(w, "no interval starts at or before the horizon (now, or --until): nothing ran")
	}
	for _, o := range failed {
		fmt.Fprintf(w, "%s %s: %s\n", o.Status, o.ID, cmp.Or(oneLine(instanceField(o, "errorMessage")), "(no error message)"))
	}
	for _, o := range insts {
		if !o.Status.Terminal() {
			fmt.Fprintf(w, "NOT RUN %s (%s): %s\n", o.ID, o.Status, cmp.Or(why[o.ID], "no reason recorded"))
		}
	}
	return code
}

func instanceField(o store.Object, key string) string {
	for _, f := range o.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
