package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/copyact"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/activity/emr"
	"github.com/datapipe/datapipe/internal/activity/exists"
	"github.com/datapipe/datapipe/internal/activity/hive"
	"github.com/datapipe/datapipe/internal/activity/precondition"
	"github.com/datapipe/datapipe/internal/activity/redshift"
	"github.com/datapipe/datapipe/internal/activity/shell"
	"github.com/datapipe/datapipe/internal/activity/sqlact"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/config"
	"github.com/datapipe/datapipe/internal/taskrunner"
)

// taskRunnerUsage is `datapipe taskrunner help`.
const taskRunnerUsage = `usage: datapipe taskrunner --worker-group NAME [--endpoint-url URL] [--concurrency N]
                          [--config FILE] [--runner-id ID] [--hostname H] [--log-dir D]
                          [--log-format text|json] [--log-level info]
                          [--region R] [--profile P] [--no-sign-request]
  poll the worker group and run its attempts (ShellCommand, Copy, Sql, RedshiftCopy,
  HiveCopy and Emr activities; ShellCommand, Exists, S3, DynamoDB and RdsSql
  preconditions) until SIGINT/SIGTERM or a heartbeat asks the runner to stop;
  attempt logs go to --log-dir (default $TMPDIR/datapipe-logs); --config's
  taskrunner section sets defaults for --endpoint-url, --worker-group and
  --concurrency, its aws section the AWS services data activities use
`

// taskRunnerOptions are the options `datapipe taskrunner` takes besides
// the client ones (endpoint, region, profile, signing).
var taskRunnerOptions = []string{"config", "worker-group", "concurrency", "runner-id", "hostname", "log-dir", "log-format", "log-level"}

// runTaskRunner implements `datapipe taskrunner`: it runs a task runner
// against the endpoint until ctx ends (SIGINT/SIGTERM) or the service
// asks it to terminate. Credentials, region and endpoint resolve as for
// the client commands. Bad options exit 2.
func (m *Main) runTaskRunner(ctx context.Context, words []string) int {
	a, cfg, err := parseTaskRunnerFlags(words)
	if errors.Is(err, errHelp) {
		fmt.Fprint(m.Stdout, taskRunnerUsage)
		return exitOK
	}
	if err == nil {
		cfg.Client, err = newAPI(ctx, a, os.Getenv)
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "datapipe taskrunner: %v\n\n%s", err, taskRunnerUsage)
		return exitUsage
	}
	cfg.Logger = m.logger(serverConfig{logFormat: a.one("log-format", "text"), logLevel: cfg.level})
	cfg.Executors, cfg.S3 = newExecutors(m.useAWS(cfg.conf)), m.aws
	defer cfg.Executors.Close()
	if err := taskrunner.New(cfg.Config).Run(ctx); err != nil {
		fmt.Fprintf(m.Stderr, "datapipe taskrunner: %v\n", err)
		return exitInvalid
	}
	return exitOK
}

// runnerFlags is the runner's configuration from flags and the
// --config file.
type runnerFlags struct {
	taskrunner.Config
	level slog.Level
	conf  config.Config
}

// parseTaskRunnerFlags parses the options; errHelp for help.
func parseTaskRunnerFlags(words []string) (*args, runnerFlags, error) {
	var cfg runnerFlags
	a, err := parseArgs(words, map[string]bool{"help": true, "no-sign-request": true}, nil)
	if err != nil {
		return nil, cfg, err
	}
	if a.flags["help"] || slices.Contains(a.positional, "help") {
		return nil, cfg, errHelp
	}
	if bad := a.unknown(append(slices.Clone(taskRunnerOptions), "endpoint-url", "region", "profile")...); bad != "" {
		return nil, cfg, fmt.Errorf("unknown option --%s", bad)
	}
	if len(a.positional) > 0 {
		return nil, cfg, fmt.Errorf("unexpected argument %q", a.positional[0])
	}
	if cfg.conf, err = loadConfigFile(a); err != nil {
		return nil, cfg, err
	}
	fileDefaults(a, cfg.conf.TaskRunner)
	cfg.Config = taskrunner.Config{WorkerGroup: a.one("worker-group", ""), RunnerID: a.one("runner-id", ""),
		Hostname: a.one("hostname", ""), LogDir: a.one("log-dir", "")}
	if cfg.WorkerGroup == "" {
		return nil, cfg, errors.New("--worker-group is required")
	}
	if cfg.Concurrency, err = strconv.Atoi(a.one("concurrency", "1")); err != nil || cfg.Concurrency < 1 {
		return nil, cfg, fmt.Errorf("--concurrency %q: want a whole number of at least 1", a.one("concurrency", ""))
	}
	if err := cfg.level.UnmarshalText([]byte(a.one("log-level", "info"))); err != nil {
		return nil, cfg, fmt.Errorf("--log-level: %w", err)
	}
	return a, cfg, nil
}

// fileDefaults gives the options the command line leaves out the values
// of the --config file's taskrunner section.
func fileDefaults(a *args, t config.TaskRunner) {
	for name, v := range map[string]string{"endpoint-url": t.EndpointURL, "worker-group": t.WorkerGroup} {
		if v != "" && a.one(name, "") == "" {
			a.options[name] = []string{v}
		}
	}
	if t.Concurrency > 0 && a.one("concurrency", "") == "" {
		a.options["concurrency"] = []string{strconv.Itoa(t.Concurrency)}
	}
}

// newExecutors is the registry of the activity types this binary runs;
// data activities get their AWS clients from aws (nil: none). The shell
// executors share one pool of work directories; Close the registry when
// its runner stops.
func newExecutors(aws *awsclient.Factory) *activity.Registry {
	dc := data.Config{}
	if aws != nil {
		dc.AWS = aws
	}
	open := data.New(dc)
	reg := activity.NewRegistry()
	reg.Register("CopyActivity", copyact.New(open))
	reg.Register("SqlActivity", sqlact.New(open))
	reg.Register("RedshiftCopyActivity", redshift.New(open))
	reg.Register("HiveCopyActivity", hive.New(open))
	sh := shell.Config{Data: open}.ShareWorkDirs()
	reg.Register("EmrActivity", emr.New(emr.Config{Clients: dc.AWS, Shell: shell.NewActivity(sh)}))
	reg.Register("ShellCommandActivity", shell.NewActivity(sh))
	reg.Register("ShellCommandPrecondition", shell.NewPrecondition(sh))
	reg.Register("Exists", exists.New(open))
	reg.Register("S3KeyExists", precondition.NewS3KeyExists(open))
	reg.Register("S3PrefixNotEmpty", precondition.NewS3PrefixNotEmpty(open))
	reg.Register("DynamoDBTableExists", precondition.NewDynamoDBTableExists(open))
	reg.Register("DynamoDBDataExists", precondition.NewDynamoDBDataExists(open))
	reg.Register("RdsSqlPrecondition", precondition.NewRdsSqlPrecondition(open))
	return reg
}
