package main

import (
	"context"
	"log/slog"

	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/resource"
	"github.com/datapipe/datapipe/internal/resource/local"
	"github.com/datapipe/datapipe/internal/taskrunner"
)

// localResources is the local resource provider of `datapipe server` and
// `datapipe run`: a dedicated in-process task runner per resource
// instance, calling the control plane directly. svc and wake are read
// when a runner starts and when a state changes (they are built after the
// provider); logDir is the runners' log directory ("" for the default).
func localResources(ctx context.Context, svc func() *control.Service, aws *awsclient.Factory, logDir string, log *slog.Logger, wake func()) *local.Provider {
	return local.New(ctx, local.Config{Logger: log, Notify: wake, Start: func(ctx context.Context, r resource.Request) error {
		client := taskrunner.NewLocalClient(taskrunner.LocalConfig{Service: svc(),
			Caller: control.Caller{AccountID: r.AccountID, UserID: "resource-provider"}, LogDir: logDir})
		execs := newExecutors(aws)
		defer execs.Close()
		return taskrunner.New(taskrunner.Config{Client: client, WorkerGroup: r.Group, Concurrency: 4,
			Executors: execs, S3: aws, Logger: log, LogDir: logDir}).Run(ctx)
	}})
}
