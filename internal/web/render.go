package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// view is what a page template receives.
type view struct {
	Template string
	Title    string
	// Nav marks the current section in the header (pipelines, metrics).
	Nav   string
	Error string
	Flash string
	Next  string
	CSRF  string
	User  string
	Local bool
	// Pipeline is the pipeline a page is about, if any.
	PipelineID   string
	PipelineName string
	Data         any
}

// renderer holds one parsed template set per page.
type renderer struct {
	pages map[string]*template.Template
}

// templateFuncs are the helpers templates use.
var templateFuncs = template.FuncMap{
	"statusClass": statusClass,
	"fmtTime":     fmtTime,
	"fmtDur":      fmtDur,
	"objectURL":   objectURL,
	"query":       url.QueryEscape,
	"join":        strings.Join,
	"add":         func(a, b int) int { return a + b },
	"isInstance":  func(id string) bool { return strings.HasPrefix(id, "@") },
}

func newRenderer() *renderer {
	sub, _ := fs.Sub(assets, "assets/templates")
	base := template.Must(template.New("layout.html").Funcs(templateFuncs).ParseFS(sub, "layout.html"))
	r := &renderer{pages: map[string]*template.Template{}}
	names, _ := fs.Glob(sub, "*.html")
	for _, n := range names {
		if n == "layout.html" {
			continue
		}
		t := template.Must(template.Must(base.Clone()).ParseFS(sub, n))
		r.pages[strings.TrimSuffix(n, ".html")] = t
	}
	return r
}

// render executes a page into a buffer first, so a template error is a
// clean 500.
func (r *renderer) render(w http.ResponseWriter, status int, name string, v *view) {
	t, ok := r.pages[name]
	if !ok {
		http.Error(w, "unknown page "+name, http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// staticFS is the embedded CSS and JavaScript, served at /console/static/.
func staticFS() fs.FS {
	sub, _ := fs.Sub(assets, "assets")
	return sub
}

// statusClass is the CSS class of a status.
func statusClass(s any) string {
	st := strings.ToLower(fmt.Sprint(s))
	switch pipeline.Status(strings.ToUpper(st)) {
	case pipeline.StatusFinished, pipeline.StatusMarkFinished:
		return "st-ok"
	case pipeline.StatusFailed, pipeline.StatusCascadeFailed, pipeline.StatusTimedOut:
		return "st-fail"
	case pipeline.StatusRunning:
		return "st-run"
	case pipeline.StatusWaitingForRunner, pipeline.StatusWaitingOnDependencies:
		return "st-wait"
	case pipeline.StatusCanceled, pipeline.StatusSkipped, pipeline.StatusPaused:
		return "st-off"
	}
	switch st {
	case "healthy", "scheduled":
		return "st-ok"
	case "error":
		return "st-fail"
	}
	return "st-none"
}

// fmtTime renders a time as the service does; "—" for zero.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

// fmtDur renders a duration to the second; "—" for zero.
func fmtDur(d time.Duration) string {
	if d <= 0 {
		return "—"
	}
	return d.Truncate(time.Second).String()
}

// objectURL links to an object's page.
func objectURL(pipelineID, objectID string) string {
	return path.Join("/console/pipelines", url.PathEscape(pipelineID), "object") + "?id=" + url.QueryEscape(objectID)
}
