package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// shape is a string shape of the model (api.md §2.1): its length bounds in
// characters (max 0 means unbounded), whether it carries the model's
// character pattern, its enum values, and whether the member using it is
// required.
type shape struct {
	min, max int
	pattern  bool
	enum     []string
	required bool
}

// req returns sh for a required member.
func (sh shape) req() shape {
	sh.required = true
	return sh
}

// The model's string shapes.
var (
	shapeID           = shape{min: 1, max: 1024, pattern: true}
	shapeString       = shape{max: 1024, pattern: true}
	shapeFieldName    = shape{min: 1, max: 256, pattern: true}
	shapeFieldValue   = shape{max: 10240, pattern: true}
	shapeAttrName     = shape{min: 1, max: 256, pattern: true}
	shapeAttrValue    = shape{max: 10240, pattern: true}
	shapeLongString   = shape{max: 20971520, pattern: true}
	shapeTaskID       = shape{min: 1, max: 2048, pattern: true}
	shapeTagKey       = shape{min: 1, max: 128}
	shapeTagValue     = shape{max: 256}
	shapeErrorMessage = shape{}
	shapeOperatorType = shape{enum: []string{"EQ", "REF_EQ", "LE", "GE", "BETWEEN"}}
	shapeTaskStatus   = shape{enum: []string{"FINISHED", "FAILED", "FALSE"}}
)

// listShape bounds a list member: max items (0 = unbounded) and whether it
// is required.
type listShape struct {
	max      int
	required bool
}

// patternText is the model's pattern for most string shapes, as AWS quotes
// it in validation messages.
const patternText = `[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*`

// matchesPattern reports whether s matches patternText: no C0 control
// characters but TAB, LF and CR, and no U+FFFE or U+FFFF. (Decoded JSON
// strings hold no surrogates or invalid UTF-8.)
func matchesPattern(s string) bool {
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

// check records every constraint of sh that s violates.
func (d *decoder) check(path, s string, sh shape) {
	n := utf8.RuneCountInString(s)
	if n < sh.min {
		d.violate(path, s, "Member must have length greater than or equal to "+strconv.Itoa(sh.min))
	}
	if sh.max > 0 && n > sh.max {
		d.violate(path, s, "Member must have length less than or equal to "+strconv.Itoa(sh.max))
	}
	if sh.pattern && !matchesPattern(s) {
		d.violate(path, s, "Member must satisfy regular expression pattern: "+patternText)
	}
	if sh.enum != nil && !slices.Contains(sh.enum, s) {
		d.violate(path, s, "Member must satisfy enum value set: ["+strings.Join(sh.enum, ", ")+"]")
	}
}

// violate records that the value v at path fails a constraint.
func (d *decoder) violate(path string, v any, constraint string) {
	d.violations = append(d.violations,
		fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", render(v), path, constraint))
}

// maxRendered bounds how much of a value a validation message quotes, and
// maxListed how many violations it lists.
const (
	maxRendered = 128
	maxListed   = 10
)

// render quotes a value for a validation message: null, or the string (a
// list as JSON) in single quotes, shortened to maxRendered characters.
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "'" + truncate(x) + "'"
	case []any:
		v = x[:min(len(x), maxListed)] // enough to fill maxRendered
	}
	b, _ := json.Marshal(v)
	return "'" + truncate(string(b)) + "'"
}

// truncate shortens s to maxRendered characters, marking the cut.
func truncate(s string) string {
	n := 0
	for i := range s {
		if n == maxRendered {
			return s[:i] + "..."
		}
		n++
	}
	return s
}

// validationError builds the ValidationException for violations, in the
// AWS form "N validation error(s) detected: a; b". At most maxListed are
// listed; the count is of all.
func validationError(violations []string) error {
	noun := "errors"
	if len(violations) == 1 {
		noun = "error"
	}
	listed := violations[:min(len(violations), maxListed)]
	msg := fmt.Sprintf("%d validation %s detected: %s", len(violations), noun, strings.Join(listed, "; "))
	if len(violations) > maxListed {
		msg += fmt.Sprintf("; and %d more", len(violations)-maxListed)
	}
	return &pipeline.Error{Code: CodeValidation, Message: msg}
}
