package definition

import (
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// Options configure validation and compilation.
type Options struct {
	// Limits bound the definition; zero fields take their defaults.
	Limits Limits
	// Now, when set, enables the checks that depend on the current time
	// (backfill warnings). Domain code never reads the clock itself.
	Now time.Time
}

// validation is one run of Validate: the definition, its index, the
// resolved parameters and the problems found so far.
type validation struct {
	def    *Definition
	cat    *Catalog
	opt    Options
	lim    Limits
	ix     *index
	params *Params
	res    *Result
	// onDemand: Default sets scheduleType ondemand.
	onDemand bool
	kids     map[string][]string
	parsed   map[string]parsed
	required map[*TypeSpec][]*FieldSpec
}

// Validate checks a definition against the catalog and returns every
// problem found, in the service's shape (objects.md §16): errors and
// warnings per object id, plus fatal problems that forbid saving. It never
// fails and never panics; a nil Definition is a fatal problem.
func Validate(def *Definition, cat *Catalog, opt Options) *Result {
	v := newValidation(def, cat, opt)
	if def == nil {
		v.res.add(Fatal, "", "", CodeInvalidObject, "no pipeline definition was given")
		return v.res
	}
	v.run()
	return v.res
}

func newValidation(def *Definition, cat *Catalog, opt Options) *validation {
	lim := opt.Limits.WithDefaults()
	opt.Limits = lim
	return &validation{def: def, cat: cat, opt: opt, lim: lim, res: &Result{}}
}

// run is the sequence of checks. Structural (fatal) problems stop it early:
// the later checks assume unique ids and non-empty values.
func (v *validation) run() {
	v.checkStructure()
	if v.res.IsFatal() {
		return
	}
	v.ix = newIndex(v.def.Objects)
	v.kids = v.ix.children()
	v.params = resolveParams(v.def, v.lim, v.res)
	v.onDemand = v.isOnDemand()
	for _, id := range v.ix.order {
		v.checkObject(id)
	}
	v.checkCycles()
	v.checkPipelineSchedule()
	v.res.sortStable(v.objectOrder())
}

func (v *validation) objectOrder() map[string]int {
	order := make(map[string]int, len(v.ix.order))
	for i, id := range v.ix.order {
		order[id] = i
	}
	return order
}

// checkObject runs every per-object check.
func (v *validation) checkObject(id string) {
	o := v.ix.objects[id]
	spec := v.typeCheck(o)
	for _, key := range o.Keys() {
		v.checkField(o, spec, key)
	}
	v.checkRanges(o)
	if spec != nil {
		v.checkRequired(o, spec)
		v.checkRules(o, spec)
		v.checkScheduling(o, spec)
	}
}

// typeCheck returns the object's type spec, reporting an unknown type or a
// typeless object that is neither Default nor anyone's parent.
func (v *validation) typeCheck(o *pipeline.Object) *TypeSpec {
	t := v.ix.typeOf(o.ID)
	if t == "" {
		if o.ID != pipeline.DefaultID && len(v.kids[o.ID]) == 0 {
			v.res.errorf(o.ID, "type", CodeMissingField, "is required: the object has no type and is not the parent of any object")
		}
		return nil
	}
	spec, ok := v.cat.Type(t)
	if !ok {
		v.res.errorf(o.ID, "type", CodeUnknownType, "%q is not a known object type%s", t, suggestType(v.cat, t))
		return nil
	}
	return spec
}

// suggestType names the known type closest to t, when one is within two
// edits (ignoring case), for a "did you mean" hint.
func suggestType(cat *Catalog, t string) string {
	best, bestDist := "", 3
	for _, s := range cat.Types() {
		if d := editDistance(strings.ToLower(s.Name), strings.ToLower(t)); d < bestDist {
			best, bestDist = s.Name, d
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// isOnDemand reports whether Default (directly) sets scheduleType ondemand.
func (v *validation) isOnDemand() bool {
	d := v.ix.objects[pipeline.DefaultID]
	if d == nil {
		return false
	}
	st, ok := d.StringValue("scheduleType")
	return ok && strings.EqualFold(v.literalOr(st), "ondemand")
}
