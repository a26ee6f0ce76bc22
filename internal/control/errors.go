package control

import (
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// invalid returns an InvalidRequestException.
func invalid(format string, args ...any) error {
	return pipeline.Errorf(pipeline.CodeInvalidRequest, format, args...)
}

// pipelineErr translates a store error about pipeline id into the
// exception clients wait for: PipelineNotFoundException or
// PipelineDeletedException; other errors are wrapped as they are.
func pipelineErr(op, id string, err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return pipeline.Errorf(pipeline.CodePipelineNotFound, "Pipeline %s does not exist.", id)
	case errors.Is(err, store.ErrDeleted):
		return pipeline.Errorf(pipeline.CodePipelineDeleted, "Pipeline %s was deleted.", id)
	}
	return fmt.Errorf("%s %s: %w", op, id, err)
}

// taskErr translates a store error about a task into TaskNotFoundException.
func taskErr(op, id string, err error) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
		return pipeline.Errorf(pipeline.CodeTaskNotFound, "Task %s was not found or is no longer assigned to this runner.", shortID(id))
	}
	return fmt.Errorf("%s %s: %w", op, shortID(id), err)
}

// shortID abbreviates a long opaque task token for messages and logs.
func shortID(id string) string {
	if len(id) > 16 {
		return id[:16] + "…"
	}
	return id
}
