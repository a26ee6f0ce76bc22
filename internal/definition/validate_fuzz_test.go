package definition

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/expr"
)

// FuzzCompile feeds arbitrary definitions through load, validation,
// compilation and evaluation of every field: no input may panic, and a
// compiled graph must evaluate or fail with an error.
func FuzzCompile(f *testing.F) {
	for _, dir := range []string{filepath.Join("testdata", "validate"), filepath.Join("testdata", "compile")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, path := range files {
			if data, err := os.ReadFile(path); err == nil {
				f.Add(data)
			}
		}
	}
	cat := NewCatalog()
	start := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	env := &Env{Runtime: map[string]expr.Value{"@scheduledStartTime": expr.DateTimeValue(start), "@scheduledEndTime": expr.DateTimeValue(start)}}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Load("fuzz.json", data, LoadOptions{Lenient: true})
		if err != nil {
			return
		}
		g, res := Compile(&doc.Definition, cat, Options{Now: start})
		_ = res.ValidationErrors()
		if g == nil {
			return
		}
		for _, c := range g.Components {
			env.Node = &Binding{ComponentID: c.ID, Env: env}
			for _, key := range keysOf(c.Fields) {
				_, _ = g.Eval(c.ID, key, env)
			}
			_, _ = g.Resolve(c.ID, env)
		}
	})
}
