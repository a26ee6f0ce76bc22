package scheduler

import (
	"cmp"
	"slices"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// defaultMaxCreate is Snapshot.MaxCreate's default: small enough that the
// first tasks of a wide fan-out are queued within milliseconds, while the
// plans that follow create the rest.
const defaultMaxCreate = 256

// planner is one run of Plan: the snapshot, working copies of the objects
// it changed, and the plan so far.
type planner struct {
	s       Snapshot
	plan    Changes
	timings map[string]timing
	fields  map[string]string
	// inst and att are the current views (snapshot plus changes).
	inst map[string]store.Object
	att  map[string]store.Object
	// byComp lists each component's instance ids in start order.
	byComp  map[string][]string
	changed map[string]int // object id -> index in plan.Update
	// activeN counts each component's instances holding a slot; open
	// counts non-terminal instances.
	activeN map[string]int
	open    int
	order   []string // components, producers before consumers
	// producers maps a data node to the activities that output it.
	producers map[string][]string
	// created counts the instances this plan created (see MaxCreate).
	created int
	// comps are the component rows this plan changed, over s.Components
	// (which Plan never writes).
	comps map[string]store.Object
}

// Plan decides one scheduling pass over a pipeline (see the package
// documentation). It is pure: the same snapshot gives the same plan.
func Plan(s Snapshot) Changes {
	if s.Pipeline.State == pipeline.StateFinished {
		return Changes{}
	}
	p := newPlanner(s)
	if s.Focus == nil {
		for _, id := range p.order {
			p.createDue(id)
		}
	}
	for _, id := range p.s.Memo.preconditions {
		if p.inFocus(id) {
			for _, iid := range p.byComp[id] {
				p.advance(iid)
			}
		}
	}
	for _, id := range p.focusOrder() {
		for _, iid := range p.byComp[id] {
			p.advance(iid)
		}
	}
	p.advanceResources()
	p.plan.Finished = p.finished()
	return p.plan
}

// focusOrder is the part of order in focus: all of it for a full plan,
// else the focus sorted by rank, which costs a plan after a few reports
// little in a pipeline of thousands of components.
func (p *planner) focusOrder() []string {
	if p.s.Focus == nil {
		return p.order
	}
	ids := make([]string, 0, len(p.s.Focus))
	for id := range p.s.Focus {
		if _, ok := p.s.Memo.rank[id]; ok {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(p.s.Memo.rank[a], p.s.Memo.rank[b]) })
	return ids
}

// inFocus reports whether a component's instances move in this plan.
func (p *planner) inFocus(comp string) bool { return p.s.Focus == nil || p.s.Focus[comp] }

// moves reports whether a component's instances may move in this plan:
// those in focus, and resources, which every plan advances. Only their
// instances are indexed, so an incremental plan of a wide pipeline costs
// little more than its focus.
func (p *planner) moves(comp string) bool {
	return p.inFocus(comp) || p.category(comp) == definition.CategoryResource
}

func newPlanner(s Snapshot) *planner {
	s.MaxCreate = cmp.Or(s.MaxCreate, defaultMaxCreate)
	if s.Memo == nil {
		s.Memo = &Memo{}
	}
	if s.Memo.fields == nil {
		s.Memo.fields = map[string]string{}
	}
	p := &planner{s: s, timings: map[string]timing{}, fields: s.Memo.fields, inst: map[string]store.Object{},
		att: map[string]store.Object{}, byComp: map[string][]string{}, changed: map[string]int{}, producers: map[string][]string{},
		activeN: map[string]int{}}
	if s.Memo.order == nil {
		s.Memo.order = p.componentOrder()
		s.Memo.producers = p.producers
		p.memoCategories()
	}
	p.order, p.producers = s.Memo.order, s.Memo.producers
	if s.ByComponent != nil && s.Focus != nil {
		p.indexMoving()
	} else {
		p.indexAll()
	}
	for comp := range p.byComp {
		p.sortComp(comp)
	}
	return p
}

// indexAll counts every instance and indexes those that may move.
func (p *planner) indexAll() {
	for id, o := range p.s.Instances {
		p.count(o, 1)
		if !o.Status.Terminal() && p.moves(o.ComponentID) {
			p.byComp[o.ComponentID] = append(p.byComp[o.ComponentID], id)
		}
	}
}

// indexMoving is indexAll for a focused plan of an indexed snapshot: only
// the focus and the resources are read, as every instance is open.
func (p *planner) indexMoving() {
	p.open = len(p.s.Instances)
	index := func(comp string) {
		if _, done := p.byComp[comp]; done {
			return
		}
		ids := make([]string, 0, len(p.s.ByComponent[comp]))
		for id := range p.s.ByComponent[comp] {
			ids = append(ids, id)
			if o := p.s.Instances[id]; active(o.Status) {
				p.activeN[comp]++
			}
		}
		p.byComp[comp] = ids
	}
	for comp := range p.s.Focus {
		index(comp)
	}
	for _, comp := range p.s.Memo.resources {
		index(comp)
	}
}

// memoCategories records the order's ranks and its precondition and
// resource components, in the Memo.
func (p *planner) memoCategories() {
	m := p.s.Memo
	m.rank = make(map[string]int, len(m.order))
	for i, id := range m.order {
		m.rank[id] = i
		if p.category(id) == definition.CategoryResource {
			m.resources = append(m.resources, id)
		}
	}
	for _, c := range p.s.Graph.Components {
		if p.isPrecondition(c.ID) {
			m.preconditions = append(m.preconditions, c.ID)
		}
	}
}

func (p *planner) sortComp(comp string) {
	slices.SortFunc(p.byComp[comp], func(a, b string) int {
		return cmp.Or(p.instance(a).ScheduledStart.Compare(p.instance(b).ScheduledStart), cmp.Compare(a, b))
	})
}

// componentOrder returns the schedulable components with every producer
// before its consumers, so one pass can move a chain several steps.
func (p *planner) componentOrder() []string {
	deps := map[string][]string{}
	var ids []string
	for _, c := range p.s.Graph.Components {
		if !schedulable(c.Category()) {
			continue
		}
		ids = append(ids, c.ID)
		deps[c.ID] = append(append(deps[c.ID], c.Refs("dependsOn")...), c.Refs("input")...)
		for _, out := range c.Refs("output") {
			deps[out] = append(deps[out], c.ID)
			p.producers[out] = append(p.producers[out], c.ID)
		}
	}
	return topoSort(ids, deps)
}

func schedulable(c definition.Category) bool {
	return c == definition.CategoryActivity || c == definition.CategoryDataNode || c == definition.CategoryResource
}

// topoSort orders ids so that every id comes after its deps (cycles,
// which validation forbids, are broken arbitrarily).
func topoSort(ids []string, deps map[string][]string) []string {
	var out []string
	state := map[string]int{}
	var visit func(string)
	visit = func(id string) {
		if state[id] != 0 {
			return
		}
		state[id] = 1
		for _, d := range deps[id] {
			if _, ok := deps[d]; ok {
				visit(d)
			}
		}
		state[id] = 2
		out = append(out, id)
	}
	for _, id := range ids {
		visit(id)
	}
	return out
}

// createDue creates the instances whose interval has come, and moves the
// component's cursor.
func (p *planner) createDue(id string) {
	t := p.timingOf(id)
	if !t.ok {
		return
	}
	room := p.s.MaxCreate - p.created
	if room <= 0 {
		p.plan.More = true
		return
	}
	ivs := p.intervalsDue(id, t, room)
	if p.created += len(ivs); len(ivs) == room {
		p.plan.More = true
	}
	for _, iv := range ivs {
		p.newInstance(id, iv)
	}
	if len(ivs) > 0 {
		p.moveCursor(id, ivs[len(ivs)-1].Start)
	}
}

func (p *planner) newInstance(comp string, iv schedule.Interval) {
	o := store.Object{PipelineID: p.s.Pipeline.ID, ID: InstanceID(comp, iv.Start), Sphere: pipeline.SphereInstance, ComponentID: comp,
		Status: pipeline.StatusWaitingOnDependencies, ScheduledStart: iv.Start, ScheduledEnd: iv.End, UpdatedAt: p.s.Now,
		Fields: []pipeline.Field{pipeline.String("@attemptCount", "0")}}
	if from := p.s.Pipeline.ScheduleFrom; !p.s.Graph.OnDemand && !from.IsZero() && iv.Start.Before(from) && !p.backfilled(iv.Start) {
		o.Status = pipeline.StatusSkipped // activated with a later startTimestamp (objects.md §9.7)
	}
	if _, exists := p.lookup(o.ID); exists {
		return
	}
	p.plan.Create = append(p.plan.Create, o)
	p.inst[o.ID] = o
	p.count(o, 1)
	p.byComp[comp] = append(p.byComp[comp], o.ID)
}

// backfilled reports whether an interval start is in the backfill range
// asked for at activation: such intervals run even before ScheduleFrom.
func (p *planner) backfilled(start time.Time) bool {
	from, to := p.s.Pipeline.BackfillFrom, p.s.Pipeline.BackfillTo
	return !from.IsZero() && !start.Before(from) && !start.After(to)
}

// setComponentRow records a component row's new state. The snapshot's
// map is copied on the first write, so a snapshot may share its maps with
// the loader's cache.
func (p *planner) setComponentRow(row store.Object) {
	if p.comps == nil {
		p.comps = map[string]store.Object{}
	}
	p.comps[row.ID] = row
}

// componentRow returns the current view of a component's runtime row.
func (p *planner) componentRow(comp string) (store.Object, bool) {
	if row, ok := p.comps[comp]; ok {
		return row, true
	}
	row, ok := p.s.Components[comp]
	return row, ok
}

// count adds (or, with -1, removes) an instance from the counters.
func (p *planner) count(o store.Object, d int) {
	if active(o.Status) && p.moves(o.ComponentID) { // slots matter only where instances move
		p.activeN[o.ComponentID] += d
	}
	if !o.Status.Terminal() {
		p.open += d
	}
}

// moveCursor records the last created interval on the component row.
func (p *planner) moveCursor(comp string, start time.Time) {
	row, ok := p.componentRow(comp)
	if !ok {
		row = store.Object{PipelineID: p.s.Pipeline.ID, ID: comp, Sphere: pipeline.SphereComponent, ComponentID: comp, Status: pipeline.StatusScheduled}
		row.ScheduledStart, row.UpdatedAt = start, p.s.Now
		p.plan.Create = append(p.plan.Create, row)
		p.setComponentRow(row)
		return
	}
	row.ScheduledStart, row.UpdatedAt = start, p.s.Now
	p.setComponentRow(row)
	p.put(row)
}

// put records a changed object (an update of a snapshot object, or a
// further change of one created in this plan).
func (p *planner) put(o store.Object) {
	for i := range p.plan.Create {
		if p.plan.Create[i].ID == o.ID {
			p.plan.Create[i] = o
			p.remember(o)
			return
		}
	}
	if i, ok := p.changed[o.ID]; ok {
		p.plan.Update[i] = o
	} else {
		p.changed[o.ID] = len(p.plan.Update)
		p.plan.Update = append(p.plan.Update, o)
	}
	p.remember(o)
}

func (p *planner) remember(o store.Object) {
	switch o.Sphere {
	case pipeline.SphereInstance:
		p.count(p.instance(o.ID), -1)
		p.count(o, 1)
		p.inst[o.ID] = o
	case pipeline.SphereAttempt:
		p.att[o.ID] = o
	}
}

// finished reports whether every schedule has ended and every instance is
// terminal.
func (p *planner) finished() bool {
	if p.plan.More || len(p.order) == 0 || p.open > 0 {
		return false
	}
	for _, id := range p.order {
		t := p.timingOf(id)
		if !t.ok || !t.bounded() || !p.exhausted(id, t) {
			return false
		}
	}
	return p.open == 0
}

// exhausted reports whether every interval of a bounded schedule exists.
func (p *planner) exhausted(id string, t timing) bool {
	row, _ := p.componentRow(id)
	cursor := row.ScheduledStart
	if t.onDemand {
		return !cursor.IsZero() && !cursor.Before(t.at)
	}
	next := t.spec.Between(cursor.Add(time.Nanosecond), t.spec.Start.AddDate(1000, 0, 0), 1)
	return !cursor.IsZero() && len(next) == 0
}

// instance returns the current view of an open or snapshot instance.
func (p *planner) instance(id string) store.Object {
	if o, ok := p.inst[id]; ok {
		return o
	}
	return p.s.Instances[id]
}

// lookup returns an instance's status, from the plan's changes, the
// snapshot's instances or its terminal statuses.
func (p *planner) lookup(id string) (pipeline.Status, bool) {
	if o, ok := p.inst[id]; ok {
		return o.Status, true
	}
	if o, ok := p.s.Instances[id]; ok {
		return o.Status, true
	}
	st, ok := p.s.Done[id]
	return st, ok
}

// attempt returns the current view of an attempt.
func (p *planner) attempt(id string) (store.Object, bool) {
	if o, ok := p.att[id]; ok {
		return o, true
	}
	o, ok := p.s.Attempts[id]
	return o, ok
}
