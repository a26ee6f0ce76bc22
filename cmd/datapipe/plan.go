package main

import (
	"errors"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/scheduler"
)

// planUsage is `datapipe plan help`.
const planUsage = `usage: datapipe plan FILE [--hours 24] [--from YYYY-MM-DDTHH:MM:SS]
                     [--start-timestamp YYYY-MM-DDTHH:MM:SS] [--lenient]
                     [--parameter-values k=v ...] [--parameter-values-uri file://V]
  list the instances the scheduler would create for the definition if it
  were activated at --from (default: now, UTC), whose intervals start in
  the --hours hours after it; with --start-timestamp, those it would SKIP
`

// planOptions are `datapipe plan`'s options beyond the definition.
type planOptions struct {
	from, start time.Time
	hours       int
}

// runPlan implements `datapipe plan FILE`: load and validate like run,
// then list the upcoming instances. Exit 1 for an invalid definition, 2
// for bad usage.
func (m *Main) runPlan(words []string) int {
	a, err := parseArgs(words, map[string]bool{"lenient": true, "help": true}, map[string]bool{"parameter-values": true})
	if err == nil && (a.flags["help"] || (len(a.positional) == 1 && a.positional[0] == "help")) {
		fmt.Fprint(m.Stdout, planUsage)
		return exitOK
	}
	var opts planOptions
	if err == nil {
		opts, err = parsePlanOptions(a)
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "datapipe plan: %v\n\n%s", err, planUsage)
		return exitUsage
	}
	def, code := m.loadPlanDefinition(a, opts.from)
	if code >= 0 {
		return code
	}
	g, res := definition.Compile(&def, definition.NewCatalog(), definition.Options{Now: opts.from})
	if g == nil {
		fmt.Fprintf(m.Stderr, "datapipe plan: %v\n", res.ValidationErrors())
		return exitInvalid
	}
	p := scheduler.ActivatedAt("df-PLAN", opts.from)
	p.ScheduleFrom = opts.start
	to := opts.from.Add(time.Duration(opts.hours) * time.Hour)
	writePlan(m, scheduler.Upcoming(g, p, opts.from, to, 0), opts.from, to)
	return exitOK
}

// parsePlanOptions reads --hours, --from and --start-timestamp.
func parsePlanOptions(a *args) (planOptions, error) {
	opts := planOptions{from: time.Now().UTC().Truncate(time.Second)}
	if bad := a.unknown("parameter-values", "parameter-values-uri", "parameter-objects", "hours", "from", "start-timestamp"); bad != "" {
		return opts, fmt.Errorf("unknown option --%s", bad)
	}
	if len(a.positional) != 1 {
		return opts, errors.New("want exactly one definition file")
	}
	var err error
	if opts.hours, err = strconv.Atoi(a.one("hours", "24")); err != nil || opts.hours <= 0 || opts.hours > 24*366 {
		return opts, fmt.Errorf("--hours %q: want a number of hours from 1 to 8784", a.one("hours", ""))
	}
	for name, dst := range map[string]*time.Time{"from": &opts.from, "start-timestamp": &opts.start} {
		if v := a.one(name, ""); v != "" {
			if *dst, err = time.Parse("2006-01-02T15:04:05", v); err != nil {
				return opts, fmt.Errorf("--%s %q: want YYYY-MM-DDTHH:MM:SS (UTC)", name, v)
			}
		}
	}
	return opts, nil
}

// loadPlanDefinition loads and validates the definition with its
// parameter values; code is -1 to go on, else the exit code (the report
// already printed).
func (m *Main) loadPlanDefinition(a *args, now time.Time) (definition.Definition, int) {
	r := &validateRun{m: m, lenient: a.flags["lenient"]}
	if err := r.load(a); err != nil {
		fmt.Fprintf(m.Stderr, "datapipe plan: %v\n", err)
		return definition.Definition{}, exitUsage
	}
	def := definition.Merge(r.defs[0], r.params, r.values, r.haveValues)
	res := definition.Validate(&def, definition.NewCatalog(), definition.Options{Now: now})
	if res.Errored() {
		writeTextReport(m.Stderr, []fileResult{{doc: r.defs[0], res: res}})
		return def, exitInvalid
	}
	return def, -1
}

// writePlan prints the upcoming instances as a table.
func writePlan(m *Main, insts []scheduler.UpcomingInstance, from, to time.Time) {
	const layout = "2006-01-02T15:04:05"
	fmt.Fprintf(m.Stdout, "%d instances with intervals starting from %s to %s (UTC)\n", len(insts), from.Format(layout), to.Format(layout))
	if len(insts) == 0 {
		return
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "READY AT\tINSTANCE\tCOMPONENT\tINTERVAL\tNOTE")
	for _, o := range insts {
		note := ""
		if o.Skipped {
			note = "SKIPPED (before --start-timestamp)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s..%s\t%s\n", o.ReadyAt.Format(layout), o.ID, o.Component, o.Start.Format(layout), o.End.Format(layout), note)
	}
	_ = tw.Flush()
}
