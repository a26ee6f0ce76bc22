package definition

import "github.com/datapipe/datapipe/internal/pipeline"

// index is a definition's objects by id, with inheritance resolved on demand
// and memoised. It is built once per validation or compilation.
type index struct {
	objects map[string]*pipeline.Object
	order   []string
	chains  map[string][]*pipeline.Object
	fields  map[string][]pipeline.Field
}

func newIndex(objs []pipeline.Object) *index {
	ix := &index{
		objects: make(map[string]*pipeline.Object, len(objs)),
		chains:  make(map[string][]*pipeline.Object, len(objs)),
		fields:  make(map[string][]pipeline.Field, len(objs)),
	}
	for i := range objs {
		o := &objs[i]
		if _, dup := ix.objects[o.ID]; dup {
			continue // the first object with an id wins; validation reports the duplicate
		}
		ix.objects[o.ID] = o
		ix.order = append(ix.order, o.ID)
	}
	return ix
}

// explicitParent returns the id an object names in its parent field.
func explicitParent(o *pipeline.Object) (string, bool) {
	f, ok := o.Get("parent")
	if !ok || !f.Ref {
		return "", false
	}
	return f.Value, true
}

// chain returns the object followed by its ancestors, nearest first, ending
// at Default (objects.md §3.1): the explicit parent chain, then Default as
// the implicit parent of the chain's root. It stops at a cycle or at a
// dangling parent; validation reports both.
func (ix *index) chain(id string) []*pipeline.Object {
	if c, ok := ix.chains[id]; ok {
		return c
	}
	var c []*pipeline.Object
	seen := map[string]bool{}
	for o := ix.objects[id]; o != nil && !seen[o.ID]; {
		seen[o.ID] = true
		c = append(c, o)
		p, ok := explicitParent(o)
		if !ok {
			if o.ID != pipeline.DefaultID && !seen[pipeline.DefaultID] {
				if d := ix.objects[pipeline.DefaultID]; d != nil {
					c = append(c, d)
				}
			}
			break
		}
		o = ix.objects[p]
	}
	ix.chains[id] = c
	return c
}

// parentCycle returns the ids on a parent cycle reachable from id, or nil.
func (ix *index) parentCycle(id string) []string {
	var path []string
	pos := map[string]int{}
	for cur, ok := id, true; ok; {
		if i, seen := pos[cur]; seen {
			return path[i:]
		}
		o := ix.objects[cur]
		if o == nil {
			return nil
		}
		pos[cur] = len(path)
		path = append(path, cur)
		cur, ok = explicitParent(o)
	}
	return nil
}

// effective returns an object's fields after inheritance: its own fields,
// then, for every key it does not set, all the values of the nearest
// ancestor that sets it (lists are never merged). The parent field itself
// is not inherited, and neither are id and name, which are not fields.
func (ix *index) effective(id string) []pipeline.Field {
	if f, ok := ix.fields[id]; ok {
		return f
	}
	chain := ix.chain(id)
	var out []pipeline.Field
	if len(chain) > 0 {
		out = chain[0].Fields
	}
	for _, anc := range chain[1:] {
		out = appendUnseen(out, anc.Fields, len(chain[0].Fields))
	}
	ix.fields[id] = out
	return out
}

// appendUnseen appends the fields whose key is not already in out. Objects
// have few fields, so a linear scan beats a map. The first call copies out
// (which is then the object's own field slice) before appending.
func appendUnseen(out, fields []pipeline.Field, own int) []pipeline.Field {
	have := len(out)
	for _, f := range fields {
		if f.Key == "parent" || hasKey(out[:have], f.Key) {
			continue
		}
		if len(out) == own {
			out = append(out[:own:own], f)
			continue
		}
		out = append(out, f)
	}
	return out
}

func hasKey(fields []pipeline.Field, key string) bool {
	for _, f := range fields {
		if f.Key == key {
			return true
		}
	}
	return false
}

// typeOf returns an object's type: its own, or one inherited through an
// explicit parent chain (the child's own type wins).
func (ix *index) typeOf(id string) string {
	for _, f := range ix.effective(id) {
		if f.Key == "type" && !f.Ref {
			return f.Value
		}
	}
	return ""
}

// children returns, for every object, the objects that name it as parent.
func (ix *index) children() map[string][]string {
	out := map[string][]string{}
	for _, id := range ix.order {
		if p, ok := explicitParent(ix.objects[id]); ok {
			out[p] = append(out[p], id)
		}
	}
	return out
}
