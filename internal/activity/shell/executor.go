package shell

import (
	"context"
	"fmt"
	"os"
	"syscall"

	"github.com/datapipe/datapipe/internal/activity"
)

// The shell executors are activity executors.
var (
	_ activity.Executor = (*Activity)(nil)
	_ activity.Executor = (*Precondition)(nil)
)

// Activity executes ShellCommandActivity attempts.
type Activity struct{ cfg Config }

// NewActivity returns the ShellCommandActivity executor.
func NewActivity(cfg Config) *Activity {
	cfg = cfg.withDefaults()
	cfg.dirs, cfg.lookups = cfg.workDirs(), &lookupCache{}
	return &Activity{cfg: cfg}
}

// Close removes the empty work directories kept for later attempts
// (those of every executor sharing them; see Config.ShareWorkDirs).
// Attempts may still run afterwards, each in a directory of its own
// that is removed when it ends. It always returns nil.
func (a *Activity) Close() error {
	a.cfg.dirs.close()
	return nil
}

// Execute runs the command (staging first when stage is true): Finished
// on exit 0; a ShellCommandFailed error on any other exit.
func (a *Activity) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	stage, err := t.Bool("stage")
	if err != nil {
		return 0, err
	}
	res, err := runAttempt(ctx, a.cfg, t, env, stage)
	if err != nil {
		return 0, err
	}
	if !res.ok() {
		return 0, res.failure()
	}
	return activity.Finished, nil
}

// Precondition executes ShellCommandPrecondition attempts.
type Precondition struct{ cfg Config }

// NewPrecondition returns the ShellCommandPrecondition executor.
func NewPrecondition(cfg Config) *Precondition {
	cfg = cfg.withDefaults()
	cfg.dirs, cfg.lookups = cfg.workDirs(), &lookupCache{}
	return &Precondition{cfg: cfg}
}

// Close removes the empty work directories kept for later attempts, as
// Activity.Close does.
func (p *Precondition) Close() error {
	p.cfg.dirs.close()
	return nil
}

// Execute runs the command: Finished on exit 0, False on any other exit;
// an error only when the command could not run or was stopped.
func (p *Precondition) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	res, err := runAttempt(ctx, p.cfg, t, env, false)
	if err != nil {
		return 0, err
	}
	if !res.ok() {
		env.Printf("precondition does not hold: %s", res)
		return activity.False, nil
	}
	return activity.Finished, nil
}

// runAttempt runs the attempt's command in an empty work directory of
// its own from cfg.dirs, staging data around it when stage is set. A
// non-nil error means the command did not run to an exit status of its
// own.
func runAttempt(ctx context.Context, cfg Config, t *activity.Task, env *activity.Env, stage bool) (result, error) {
	sp, err := parseSpec(t)
	if err != nil {
		return result{}, err
	}
	wd, err := cfg.dirs.take()
	if err != nil {
		return result{}, fmt.Errorf("create the attempt's work directory: %w", err)
	}
	defer func() {
		if sp.script != "" {
			// The copy the runner made; gone, the directory can be reused.
			_ = syscall.Unlink(sp.localScript(wd.path))
		}
		cfg.dirs.put(wd)
	}()
	work := wd.path
	var st *staging
	if stage {
		if st, err = prepareStaging(ctx, cfg.Data, t, work, env); err != nil {
			return result{}, err
		}
	}
	res, err := runSpec(ctx, cfg, sp, wd, st.environ(), env)
	if err == nil && res.ok() && st != nil {
		err = st.publish(ctx, env)
	}
	return res, err
}

// runSpec runs one command with its output sinks.
func runSpec(ctx context.Context, cfg Config, sp spec, wd workDir, extraEnv []string, env *activity.Env) (result, error) {
	argv, err := sp.argv(cfg.Shell, wd.path)
	if err != nil {
		return result{}, err
	}
	out, err := openOutputs(sp, env, cfg.TailLines)
	if err != nil {
		return result{}, err
	}
	defer out.close()
	env.Printf("running %s", sp.describe())
	p := proc{argv: argv, dir: wd.path, physDir: wd.phys, env: append(os.Environ(), extraEnv...), stdout: out.stdout, stderr: out.stderr}
	res, err := runCommand(ctx, cfg, sp, p)
	res.tail = out.tail.lines(cfg.TailLines)
	if err == nil {
		env.Printf("command %s", res)
	}
	return res, err
}

// runCommand runs p, the command line through the shell, or, when sp is
// a simple command and the fast path is on, the command itself without
// a shell. A direct command the kernel refuses to execute (a script
// without "#!", say) runs through the shell after all, which knows what
// to do with it; nothing ran in between.
func runCommand(ctx context.Context, cfg Config, sp spec, p proc) (result, error) {
	if !cfg.AlwaysShell {
		if d, ok := sp.direct(cfg.Shell, p.env, p.dir, p.physDir, cfg.lookups); ok {
			return runProcess(ctx, cfg.KillGrace, d.apply(p), p)
		}
	}
	return runProcess(ctx, cfg.KillGrace, p)
}
