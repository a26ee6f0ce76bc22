package definition

import (
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
)

// has reports whether the object has key, directly or through inheritance.
func (v *validation) has(id, key string) bool {
	for _, f := range v.ix.effective(id) {
		if f.Key == key || f.Key == "*"+key {
			return true
		}
	}
	return false
}

// value returns the object's effective string value for key, with
// parameters substituted when that makes it a literal.
func (v *validation) value(id, key string) (string, bool) {
	for _, f := range v.ix.effective(id) {
		if f.Key == key && !f.Ref {
			return v.literalOr(f.Value), true
		}
	}
	return "", false
}

// checkRequired reports required fields missing after inheritance. The
// schedule field is checked with the scheduling rules, which know about
// on-demand pipelines.
func (v *validation) checkRequired(o *pipeline.Object, spec *TypeSpec) {
	for _, fs := range v.requiredFields(spec) {
		if !v.has(o.ID, fs.Name) {
			v.res.errorf(o.ID, displayKey(fs), CodeMissingField, "is required for %s", spec.Name)
		}
	}
}

// requiredFields returns a type's required fields in name order, memoised
// per validation.
func (v *validation) requiredFields(spec *TypeSpec) []*FieldSpec {
	if v.required == nil {
		v.required = map[*TypeSpec][]*FieldSpec{}
	}
	req, ok := v.required[spec]
	if !ok {
		for _, name := range sortedFieldNames(spec) {
			if fs := spec.Fields[name]; fs.Required && name != "schedule" {
				req = append(req, fs)
			}
		}
		v.required[spec] = req
	}
	return req
}

func displayKey(fs *FieldSpec) string {
	if fs.Secret {
		return "*" + fs.Name
	}
	return fs.Name
}

// checkRules applies the type's exactly-one, at-least-one and exclusive
// field groups, counting inherited fields.
func (v *validation) checkRules(o *pipeline.Object, spec *TypeSpec) {
	for _, rule := range spec.Rules {
		var set []string
		for _, f := range rule.Fields {
			if v.has(o.ID, f) {
				set = append(set, f)
			}
		}
		v.checkRule(o, spec, rule, set)
	}
}

func (v *validation) checkRule(o *pipeline.Object, spec *TypeSpec, rule Rule, set []string) {
	switch {
	case len(set) == 0 && rule.Kind != Exclusive:
		v.res.errorf(o.ID, rule.Fields[0], CodeFieldGroup, "(or %s) is required for %s", quoteJoin(rule.Fields[1:], " or "), spec.Name)
	case len(set) > 1 && rule.Kind != AtLeastOne:
		v.res.errorf(o.ID, set[1], CodeFieldGroup, "cannot be set together with %s: %s", quoteJoin(set[:1], ""), exclusiveHint(rule))
	}
}

func exclusiveHint(rule Rule) string {
	if rule.Kind == ExactlyOne {
		return "exactly one of " + quoteJoin(rule.Fields, ", ") + " may be set"
	}
	return "at most one of " + quoteJoin(rule.Fields, ", ") + " may be set"
}

func quoteJoin(vs []string, sep string) string {
	q := make([]string, len(vs))
	for i, s := range vs {
		q[i] = "'" + s + "'"
	}
	return strings.Join(q, sep)
}

// checkRanges applies numeric bounds to values the object sets directly.
// The AWS floors that only protected a shared service are warnings.
func (v *validation) checkRanges(o *pipeline.Object) {
	v.checkIntRange(o, "maximumRetries", 0, v.lim.AWSMaxRetries, "more than %d retries exceeds the AWS limit; datapipe allows it")
	v.checkIntRange(o, "maxActiveInstances", 1, v.lim.AWSMaxActiveInstances, "more than %d active instances exceeds the AWS default limit; datapipe allows it")
	v.checkFraction(o, "readThroughputPercent")
	v.checkFraction(o, "writeThroughputPercent")
	v.checkRetryDelay(o)
	v.checkBidPrice(o, "spotBidPrice")
	if _, ok := o.Get("onLateAction"); ok && !v.has(o.ID, "lateAfterTimeout") {
		v.res.warnf(o.ID, "onLateAction", CodeFieldGroup, "has no effect without 'lateAfterTimeout'")
	}
}

func (v *validation) ownLiteral(o *pipeline.Object, key string) (string, bool) {
	raw, ok := o.StringValue(key)
	if !ok {
		return "", false
	}
	return v.literal(raw)
}

func (v *validation) checkIntRange(o *pipeline.Object, key string, min, awsMax int, warn string) {
	s, ok := v.ownLiteral(o, key)
	if !ok {
		return
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return
	case n < min:
		v.res.errorf(o.ID, key, CodeInvalidFieldValue, "value %d is below the minimum %d", n, min)
	case n > awsMax:
		v.res.warnf(o.ID, key, CodeBelowServiceMinimum, warn, awsMax)
	}
}

func (v *validation) checkFraction(o *pipeline.Object, key string) {
	s, ok := v.ownLiteral(o, key)
	if !ok {
		return
	}
	x, err := strconv.ParseFloat(s, 64)
	if err == nil && (x < 0.1 || x > 1.0) {
		v.res.errorf(o.ID, key, CodeInvalidFieldValue, "value %s must be between 0.1 and 1.0", s)
	}
}

func (v *validation) checkBidPrice(o *pipeline.Object, key string) {
	s, ok := v.ownLiteral(o, key)
	if !ok {
		return
	}
	x, err := strconv.ParseFloat(s, 64)
	if err == nil && (x <= 0 || x >= 20) {
		v.res.errorf(o.ID, key, CodeInvalidFieldValue, "value %s must be more than 0 and less than 20.00", s)
	}
}

func (v *validation) checkRetryDelay(o *pipeline.Object) {
	s, ok := v.ownLiteral(o, "retryDelay")
	if !ok {
		return
	}
	p, err := schedule.ParsePeriod(s)
	if err == nil && p.Approx() < v.lim.AWSMinRetryDelay {
		v.res.warnf(o.ID, "retryDelay", CodeBelowServiceMinimum, "%s is below the AWS minimum of %s; datapipe honours it", p, fmtDuration(v.lim.AWSMinRetryDelay))
	}
}

// fmtDuration renders a limit as a period ("15 minutes", "1 minute").
func fmtDuration(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "hour"}, {time.Minute, "minute"}} {
		if d%u.d == 0 {
			n := int(d / u.d)
			if n == 1 {
				return "1 " + u.name
			}
			return strconv.Itoa(n) + " " + u.name + "s"
		}
	}
	return d.String()
}

func atoi(s string) (int, error) { return strconv.Atoi(strings.TrimSpace(s)) }
