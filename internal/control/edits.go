package control

import (
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// editProblems returns the changes that objects.md §14.3 forbids once a
// pipeline has been activated: removing an object, changing a schedule's
// period or start, changing reference fields of an existing object, and a
// new object naming an existing one as its output.
func editProblems(active, next definition.Definition) []definition.Problem {
	before := byID(active.Objects)
	after := byID(next.Objects)
	var out []definition.Problem
	for _, o := range active.Objects {
		if _, ok := after[o.ID]; !ok {
			out = append(out, editProblem(o.ID, "", "the object cannot be removed from an activated pipeline"))
		}
	}
	for _, o := range next.Objects {
		old, existed := before[o.ID]
		if existed {
			out = append(out, changedFields(old, o)...)
			continue
		}
		for _, f := range o.All("output") {
			if _, ok := before[f.Value]; ok && f.Ref {
				out = append(out, editProblem(o.ID, "output", "a new object cannot name the existing object "+f.Value+" as its output"))
			}
		}
	}
	return out
}

func editProblem(id, field, msg string) definition.Problem {
	return definition.Problem{Severity: definition.Error, Object: id, Field: field, Code: "INVALID_EDIT",
		Message: msg + " (deactivate, or create a new pipeline)", Pos: -1}
}

// changedFields compares an existing object's references and schedule
// fields.
func changedFields(old, cur pipeline.Object) []definition.Problem {
	var out []definition.Problem
	for _, key := range unionKeys(old, cur) {
		if !sameValues(old.All(key), cur.All(key)) && restricted(old, cur, key) {
			out = append(out, editProblem(cur.ID, key, "cannot be changed after activation"))
		}
	}
	return out
}

// restricted reports whether a key may not change: any reference field,
// and a Schedule's period and start.
func restricted(old, cur pipeline.Object, key string) bool {
	for _, f := range append(old.All(key), cur.All(key)...) {
		if f.Ref {
			return true
		}
	}
	isSchedule := old.Type() == "Schedule" || cur.Type() == "Schedule"
	return isSchedule && (key == "period" || key == "startDateTime" || key == "startAt")
}

func unionKeys(a, b pipeline.Object) []string {
	keys := a.Keys()
	seen := map[string]bool{}
	for _, k := range keys {
		seen[k] = true
	}
	for _, k := range b.Keys() {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	return keys
}

func sameValues(a, b []pipeline.Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func byID(objs []pipeline.Object) map[string]pipeline.Object {
	m := make(map[string]pipeline.Object, len(objs))
	for _, o := range objs {
		m[o.ID] = o
	}
	return m
}
