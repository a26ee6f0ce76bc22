package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// validateRun is one `datapipe validate` invocation.
type validateRun struct {
	m       *Main
	lenient bool
	output  string
	limits  definition.Limits
	// defs are the files holding objects; params the separately given
	// parameter declarations; values the separately given values.
	defs       []*definition.Document
	params     *definition.Document
	values     []pipeline.ParameterValue
	haveValues bool
}

// runValidate implements `datapipe validate FILE…`. Files holding objects
// are definitions; files holding only parameters or only values apply to
// every definition, as --parameter-objects and --parameter-values-uri do.
func (m *Main) runValidate(words []string) int {
	a, err := parseArgs(words, map[string]bool{"lenient": true}, map[string]bool{"parameter-values": true})
	if err == nil {
		if bad := a.unknown("output", "parameter-values", "parameter-values-uri", "parameter-objects", "max-objects"); bad != "" {
			err = fmt.Errorf("unknown option --%s", bad)
		}
	}
	if err == nil && len(a.positional) == 0 {
		err = errors.New("no definition file given")
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "datapipe validate: %v\n", err)
		return exitUsage
	}
	r := &validateRun{m: m, lenient: a.flags["lenient"], output: a.one("output", "text")}
	if n := a.one("max-objects", ""); n != "" {
		if r.limits.MaxObjects, err = strconv.Atoi(n); err != nil || r.limits.MaxObjects < 1 {
			fmt.Fprintf(m.Stderr, "datapipe validate: --max-objects %q is not a positive number\n", n)
			return exitUsage
		}
	}
	if err := r.load(a); err != nil {
		fmt.Fprintf(m.Stderr, "datapipe validate: %v\n", err)
		return exitUsage
	}
	return r.report()
}

// load reads every input: positional files, then the option files and
// inline values.
func (r *validateRun) load(a *args) error {
	for _, name := range a.positional {
		doc, err := r.loadFile(name)
		if err != nil {
			return err
		}
		r.classify(doc)
	}
	if err := r.loadOptionFiles(a); err != nil {
		return err
	}
	if len(r.defs) == 0 {
		return errors.New("none of the files holds pipeline objects")
	}
	return nil
}

func (r *validateRun) loadFile(name string) (*definition.Document, error) {
	data, err := r.m.ReadFile(fileURI(name))
	if err != nil {
		return nil, err
	}
	return definition.Load(fileURI(name), data, definition.LoadOptions{Lenient: r.lenient})
}

// classify sorts a loaded file into a definition, a parameters file or a
// values file.
func (r *validateRun) classify(doc *definition.Document) {
	switch {
	case doc.HasObjects:
		r.defs = append(r.defs, doc)
	case doc.HasParameters:
		r.params = doc
		if doc.HasValues {
			r.values, r.haveValues = doc.Values, true
		}
	case doc.HasValues:
		r.values, r.haveValues = doc.Values, true
	}
}

func (r *validateRun) loadOptionFiles(a *args) error {
	if p := a.one("parameter-objects", ""); p != "" {
		doc, err := r.loadFile(p)
		if err != nil {
			return err
		}
		r.params = doc
	}
	if uri := a.one("parameter-values-uri", ""); uri != "" {
		if len(a.options["parameter-values"]) > 0 {
			return errors.New("only parameter-values or parameter-values-uri is allowed")
		}
		doc, err := r.loadFile(uri)
		if err != nil {
			return err
		}
		r.values, r.haveValues = doc.Values, true
	}
	if inline := a.options["parameter-values"]; len(inline) > 0 {
		vals, err := definition.ParseParameterValues(inline)
		if err != nil {
			return err
		}
		r.values, r.haveValues = vals, true
	}
	return nil
}

// report validates every definition, prints the report and returns the
// exit code: 1 when any definition has errors.
func (r *validateRun) report() int {
	cat := definition.NewCatalog()
	var outs []fileResult
	code := exitOK
	for _, doc := range r.defs {
		def := definition.Merge(doc, r.params, r.values, r.haveValues)
		res := definition.Validate(&def, cat, definition.Options{Now: time.Now().UTC(), Limits: r.limits})
		if res.Errored() {
			code = exitInvalid
		}
		outs = append(outs, fileResult{doc: doc, res: res})
	}
	if r.output == "json" {
		writeJSONReport(r.m.Stdout, outs)
	} else {
		writeTextReport(r.m.Stdout, outs)
	}
	return code
}

type fileResult struct {
	doc *definition.Document
	res *definition.Result
}

// apiResult is the API's ValidatePipelineDefinition output shape.
type apiResult struct {
	File               string                         `json:"file,omitempty"`
	Errored            bool                           `json:"errored"`
	ValidationErrors   []definition.ValidationError   `json:"validationErrors,omitempty"`
	ValidationWarnings []definition.ValidationWarning `json:"validationWarnings,omitempty"`
}

// writeJSONReport prints the API shape: one object for one file, an array
// of objects (each with its file) for several.
func writeJSONReport(w io.Writer, outs []fileResult) {
	var all []apiResult
	for _, o := range outs {
		all = append(all, apiResult{File: o.doc.File, Errored: o.res.Errored(),
			ValidationErrors: o.res.ValidationErrors(), ValidationWarnings: o.res.ValidationWarnings()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "    ")
	if len(all) == 1 {
		all[0].File = ""
		_ = enc.Encode(all[0])
		return
	}
	_ = enc.Encode(all)
}
