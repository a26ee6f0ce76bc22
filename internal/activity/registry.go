package activity

import (
	"context"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
)

// Registry maps object types to their executors. It is a value built at
// wiring time (NewRegistry, then Register) and read-only afterwards, so
// concurrent Execute calls are safe once registration is done.
type Registry struct {
	byType map[string]Executor
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byType: map[string]Executor{}} }

// Register makes e the executor of typeName, replacing any earlier one.
func (r *Registry) Register(typeName string, e Executor) { r.byType[typeName] = e }

// Lookup returns the executor of typeName.
func (r *Registry) Lookup(typeName string) (Executor, bool) {
	e, ok := r.byType[typeName]
	return e, ok
}

// Close releases what the executors keep between attempts (those that
// are io.Closers, such as the shell executors' work directories); call it
// once the runner using the registry has stopped.
func (r *Registry) Close() error {
	var errs []error
	for _, e := range r.byType {
		if c, ok := e.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// Types returns the registered type names, sorted.
func (r *Registry) Types() []string { return slices.Sorted(maps.Keys(r.byType)) }

// Execute runs t with the executor of its type. An attempt without a
// type fails with IDInvalidTask; a type nobody registered fails with
// IDNotImplemented, naming the supported types.
func (r *Registry) Execute(ctx context.Context, t *Task, env *Env) (Outcome, error) {
	typ := t.Type()
	if typ == "" {
		return 0, Errorf(IDInvalidTask, "attempt %s has no type field", t.AttemptID)
	}
	e, ok := r.Lookup(typ)
	if !ok {
		return 0, Errorf(IDNotImplemented, "activity type %s is not implemented by this task runner (supported: %s)",
			typ, strings.Join(r.Types(), ", "))
	}
	return e.Execute(ctx, t, env)
}
