package definition

import (
	"strings"
	"unicode/utf8"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// checkStructure applies the limits and the rules whose violation makes a
// definition unsavable (objects.md §16.1): missing ids, empty values,
// too many objects. It also reports duplicate ids and reserved names.
func (v *validation) checkStructure() {
	if n := len(v.def.Objects); n > v.lim.MaxObjects {
		v.res.add(Fatal, "", "", CodeLimit, "the definition has %d objects; the limit is %d", n, v.lim.MaxObjects)
		return
	}
	seen := make(map[string]bool, len(v.def.Objects))
	for i := range v.def.Objects {
		o := &v.def.Objects[i]
		v.checkIdentity(o, i, seen)
		v.checkFieldsShape(o)
	}
}

func (v *validation) checkIdentity(o *pipeline.Object, i int, seen map[string]bool) {
	switch {
	case o.ID == "":
		v.res.add(Fatal, "", "id", CodeInvalidObject, "object number %d has no id", i+1)
	case seen[o.ID]:
		v.res.add(Fatal, o.ID, "id", CodeInvalidObject, "the id %q is used by more than one object", o.ID)
	case strings.HasPrefix(o.ID, "@"):
		v.res.errorf(o.ID, "id", CodeInvalidObject, "ids starting with '@' are reserved for instances and attempts")
	case len(o.ID) > v.lim.MaxKeyBytes:
		v.res.errorf(o.ID, "id", CodeLimit, "is %d bytes long; the limit is %d", len(o.ID), v.lim.MaxKeyBytes)
	}
	seen[o.ID] = true
}

func (v *validation) checkFieldsShape(o *pipeline.Object) {
	size := len(o.ID) + len(o.Name)
	for _, f := range o.Fields {
		size += len(f.Key) + len(f.Value)
		v.checkFieldShape(o, f)
	}
	if n := len(o.Keys()); n > v.lim.MaxFieldsPerObject {
		v.res.errorf(o.ID, "", CodeLimit, "the object has %d fields; the limit is %d", n, v.lim.MaxFieldsPerObject)
	}
	if size > v.lim.MaxObjectBytes {
		v.res.errorf(o.ID, "", CodeLimit, "the object is %d bytes; the limit is %d", size, v.lim.MaxObjectBytes)
	}
}

func (v *validation) checkFieldShape(o *pipeline.Object, f pipeline.Field) {
	switch {
	case f.Key == "":
		v.res.add(Fatal, o.ID, "", CodeInvalidObject, "a field has an empty key")
	case f.Value == "":
		v.res.add(Fatal, o.ID, f.Key, CodeInvalidFieldValue, "has an empty value; empty values cannot be saved")
	case pipeline.IsRuntimeKey(f.Key):
		v.res.errorf(o.ID, f.Key, CodeFieldNotAllowed, "fields starting with '@' are set by the service and cannot be written")
	case len(f.Key) > v.lim.MaxKeyBytes:
		v.res.errorf(o.ID, f.Key, CodeLimit, "the field name is %d bytes; the limit is %d", len(f.Key), v.lim.MaxKeyBytes)
	case len(f.Value) > v.lim.MaxValueBytes:
		v.res.errorf(o.ID, f.Key, CodeLimit, "the value is %d bytes; the limit is %d", len(f.Value), v.lim.MaxValueBytes)
	case !utf8.ValidString(f.Value):
		v.res.errorf(o.ID, f.Key, CodeInvalidFieldValue, "the value is not valid UTF-8")
	}
}
