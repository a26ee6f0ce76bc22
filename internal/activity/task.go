package activity

import (
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// Task is one attempt handed to an executor: the attempt object, with
// every effective field resolved and every expression evaluated by the
// service, and the objects its references point at, keyed by id.
type Task struct {
	TaskID     string
	PipelineID string
	AttemptID  string
	Attempt    pipeline.Object
	Objects    map[string]pipeline.Object
}

// NewTask returns the Task for a task object. It fails with IDInvalidTask
// when the task id or attempt id is empty or the attempt is not among
// objects. objects may be nil only in that failing case.
func NewTask(taskID, pipelineID, attemptID string, objects map[string]pipeline.Object) (*Task, error) {
	switch {
	case taskID == "":
		return nil, Errorf(IDInvalidTask, "the task object has no taskId")
	case attemptID == "":
		return nil, Errorf(IDInvalidTask, "the task object has no attemptId")
	}
	att, ok := objects[attemptID]
	if !ok {
		return nil, Errorf(IDInvalidTask, "the task object does not include its attempt %s", attemptID)
	}
	return &Task{TaskID: taskID, PipelineID: pipelineID, AttemptID: attemptID, Attempt: att, Objects: objects}, nil
}

// Type returns the attempt's type field ("ShellCommandActivity"), or "".
func (t *Task) Type() string { return t.Attempt.Type() }

// Field returns the attempt's first string value for key.
func (t *Task) Field(key string) (string, bool) { return t.Attempt.StringValue(key) }

// Fields returns every string value of key (a multi-valued field such as
// scriptArgument), in order.
func (t *Task) Fields(key string) []string {
	var out []string
	for _, f := range t.Attempt.All(key) {
		if !f.Ref {
			out = append(out, f.Value)
		}
	}
	return out
}

// Bool reads a Boolean field: absent is false; "true" and "false" in any
// case; anything else is an IDInvalidTask error.
func (t *Task) Bool(key string) (bool, error) {
	v, ok := t.Field(key)
	if !ok {
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, nil
	case "false", "":
		return false, nil
	}
	return false, Errorf(IDInvalidTask, "field %s of %s is %q, not true or false", key, t.AttemptID, v)
}

// ComponentID returns the attempt's component (@componentParent), or "".
func (t *Task) ComponentID() string { return refOrString(t.Attempt, "@componentParent") }

// InstanceID returns the attempt's instance (@instanceParent), or "".
func (t *Task) InstanceID() string { return refOrString(t.Attempt, "@instanceParent") }

// Ref resolves the attempt's field key through Objects. ok is false when
// the attempt has no such field; an id missing from Objects is an
// IDInvalidTask error.
func (t *Task) Ref(key string) (obj pipeline.Object, ok bool, err error) {
	refs, err := t.Refs(key)
	if err != nil || len(refs) == 0 {
		return pipeline.Object{}, false, err
	}
	return refs[0], true, nil
}

// Refs resolves every value of the attempt's field key (input, output…)
// through Objects, in order. A value may be a reference or a string
// naming an object; an id missing from Objects is an IDInvalidTask error.
func (t *Task) Refs(key string) ([]pipeline.Object, error) {
	var out []pipeline.Object
	for _, f := range t.Attempt.All(key) {
		o, ok := t.Objects[f.Value]
		if !ok {
			return nil, Errorf(IDInvalidTask, "field %s of %s refers to %q, which the task object does not include", key, t.AttemptID, f.Value)
		}
		out = append(out, o)
	}
	return out, nil
}

// refOrString returns the first value of key, reference or string.
func refOrString(o pipeline.Object, key string) string {
	f, _ := o.Get(key)
	return f.Value
}
