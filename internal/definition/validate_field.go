package definition

import (
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
)

// checkField checks every value an object sets directly for one key.
// Inherited values are checked on the object that sets them.
func (v *validation) checkField(o *pipeline.Object, spec *TypeSpec, key string) {
	fields := o.All(key)
	switch {
	case key == "type" || pipeline.IsRuntimeKey(key):
		return
	case key == "parent":
		v.checkParent(o, fields)
		return
	case pipeline.IsUserField(key):
		v.checkUserField(o, key, fields)
		return
	}
	fs := v.fieldSpec(o, spec, key)
	if fs == nil {
		v.checkUnknownField(o, spec, key, fields)
		return
	}
	v.checkFieldSpec(o, fs, key, fields)
}

// fieldSpec finds the spec of key on the object's type, or on any type for
// a typeless object.
func (v *validation) fieldSpec(o *pipeline.Object, spec *TypeSpec, key string) *FieldSpec {
	if spec != nil {
		fs, _ := spec.Field(key)
		return fs
	}
	if v.ix.typeOf(o.ID) != "" {
		return nil // an unknown type: reported already, skip its fields
	}
	fs, _ := v.cat.AnyField(key)
	return fs
}

func (v *validation) checkUnknownField(o *pipeline.Object, spec *TypeSpec, key string, fields []pipeline.Field) {
	if spec != nil {
		v.res.warnf(o.ID, key, CodeUnknownField, "is not a field of %s; it is kept but has no effect", spec.Name)
	} else if v.ix.typeOf(o.ID) == "" {
		v.res.warnf(o.ID, key, CodeUnknownField, "is not a field of any object type; it is kept but has no effect")
	}
	v.checkStrings(o, key, fields)
}

func (v *validation) checkFieldSpec(o *pipeline.Object, fs *FieldSpec, key string, fields []pipeline.Field) {
	if fs.NotAllowed {
		v.res.errorf(o.ID, key, CodeFieldNotAllowed, "is not allowed on %s", v.ix.typeOf(o.ID))
		return
	}
	if pipeline.IsSecretKey(key) && !fs.Secret {
		v.res.warnf(o.ID, key, CodeUnknownField, "the '*' prefix marks secret fields such as *password; %s is not one", fs.Name)
	}
	v.checkMulti(o, fs, key, fields)
	for _, f := range fields {
		v.checkValue(o, fs, f)
	}
}

func (v *validation) checkMulti(o *pipeline.Object, fs *FieldSpec, key string, fields []pipeline.Field) {
	switch {
	case len(fields) > 1 && !fs.Multi:
		v.res.errorf(o.ID, key, CodeMultipleValues, "may not have multiple values (it has %d)", len(fields))
	case len(fields) > v.lim.MaxMultiValues:
		v.res.errorf(o.ID, key, CodeLimit, "has %d values; the limit is %d", len(fields), v.lim.MaxMultiValues)
	case len(fields) == 1 && !fs.Multi && v.expandsToList(o, fields[0]):
		v.res.errorf(o.ID, key, CodeMultipleValues, "may not have multiple values, but %q is an array parameter", fields[0].Value)
	}
}

// checkValue checks one value against its field spec.
func (v *validation) checkValue(o *pipeline.Object, fs *FieldSpec, f pipeline.Field) {
	if fs.Kind == KindRef {
		v.checkRef(o, fs, f)
		return
	}
	if f.Ref {
		v.res.errorf(o.ID, f.Key, CodeInvalidFieldValue, "must be a string value, not a reference to %q", f.Value)
		return
	}
	if !v.checkExpressions(o, f) {
		return
	}
	s, ok := v.literal(f.Value)
	if !ok {
		if fs.Literal {
			v.res.errorf(o.ID, f.Key, CodeInvalidFieldValue, "value must be a literal %s value.", strings.ToLower(fs.Kind.String()))
		}
		return
	}
	if msg := kindProblem(fs, s); msg != "" {
		v.res.errorf(o.ID, f.Key, CodeInvalidFieldValue, "%s", msg)
	}
}

// kindProblem returns what is wrong with literal value s for the field, or "".
func kindProblem(fs *FieldSpec, s string) string {
	var err error
	switch fs.Kind {
	case KindInteger:
		_, err = strconv.ParseInt(s, 10, 64)
	case KindDouble:
		_, err = strconv.ParseFloat(s, 64)
	case KindBoolean:
		_, err = strconv.ParseBool(strings.ToLower(s))
	case KindDateTime:
		_, err = schedule.ParseDateTime(s)
		if err != nil {
			return "value " + strconv.Quote(s) + " is not a datetime of the form YYYY-MM-DDTHH:MM:SS"
		}
	case KindPeriod:
		return periodProblem(fs, s)
	case KindEnum:
		if !containsFold(fs.Enum, s) {
			return "value " + strconv.Quote(s) + " is not one of " + strings.Join(fs.Enum, ", ")
		}
	}
	if err != nil {
		return "value " + strconv.Quote(s) + " is not a valid " + fs.Kind.String()
	}
	return ""
}

func periodProblem(fs *FieldSpec, s string) string {
	if fs.Name == "period" && s == schedule.OnDemandPeriod {
		return ""
	}
	if fs.Name == "terminateAfter" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return "" // a bare integer means hours (objects.md §2.1)
		}
	}
	if _, err := schedule.ParsePeriod(s); err != nil {
		return "value " + strconv.Quote(s) + " is not a valid period: " + periodHint(err)
	}
	return ""
}

func periodHint(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// checkRef checks that a reference names an existing object of an allowed type.
func (v *validation) checkRef(o *pipeline.Object, fs *FieldSpec, f pipeline.Field) {
	if !f.Ref {
		v.res.errorf(o.ID, f.Key, CodeInvalidFieldValue, "must be a reference ({\"ref\": \"%s\"}), not a string", f.Value)
		return
	}
	if !v.refExists(o, f) || len(fs.Targets) == 0 {
		return
	}
	if t := v.ix.typeOf(f.Value); !contains(fs.Targets, t) {
		v.res.errorf(o.ID, f.Key, CodeWrongReferenceType, "refers to %q of type %s; it must refer to %s",
			f.Value, typeName(t), strings.Join(fs.Targets, ", "))
	}
}

func typeName(t string) string {
	if t == "" {
		return "(none)"
	}
	return t
}

func (v *validation) refExists(o *pipeline.Object, f pipeline.Field) bool {
	if _, ok := v.ix.objects[f.Value]; ok {
		return true
	}
	v.res.errorf(o.ID, f.Key, CodeInvalidReference, "refers to %q, which is not an object in this definition", f.Value)
	return false
}

func (v *validation) checkParent(o *pipeline.Object, fields []pipeline.Field) {
	if len(fields) > 1 {
		v.res.errorf(o.ID, "parent", CodeMultipleValues, "may not have multiple values (it has %d)", len(fields))
	}
	for _, f := range fields {
		if !f.Ref {
			v.res.errorf(o.ID, "parent", CodeInvalidFieldValue, "must be a reference ({\"ref\": \"%s\"}), not a string", f.Value)
			continue
		}
		v.refExists(o, f)
	}
}

// checkUserField checks a my* field: references must exist; strings may
// hold expressions.
func (v *validation) checkUserField(o *pipeline.Object, key string, fields []pipeline.Field) {
	for _, f := range fields {
		if f.Ref {
			v.refExists(o, f)
		} else {
			v.checkExpressions(o, f)
		}
	}
}

func (v *validation) checkStrings(o *pipeline.Object, key string, fields []pipeline.Field) {
	for _, f := range fields {
		if !f.Ref {
			v.checkExpressions(o, f)
		}
	}
}
