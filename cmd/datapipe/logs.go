package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/taskrunner"
)

// followEvery is how often `logs --follow` re-reads the log and the
// attempt's status.
const followEvery = 500 * time.Millisecond

// logChunk is the most log text read at once: a long log is printed a
// piece at a time rather than held in memory whole.
const logChunk = 1 << 20

// logsCommand describes `datapipe logs` for argument checks, usage and
// error reports, as the client commands are described.
func logsCommand() *clientCommand {
	return &clientCommand{name: "logs", operation: "DescribeObjects",
		required: []string{"pipeline-id", "object-id"}, flags: []string{"follow"}}
}

// logsError is a failure of `datapipe logs` itself (no log yet, a log on
// another machine); it exits 1.
type logsError string

func (e logsError) Error() string { return string(e) }

// runLogs implements `datapipe logs --pipeline-id P --object-id O
// [--follow]`: it prints the local log of attempt O, or of instance O's
// latest attempt, as its task runner reported it (logLocation). With
// --follow it keeps printing what is appended until the attempt reaches
// a terminal status. Arguments and service errors exit as the client
// commands do.
func (m *Main) runLogs(ctx context.Context, words []string) int {
	cmd := logsCommand()
	c, err := m.newClientCall(cmd, words)
	if errors.Is(err, errHelp) {
		fmt.Fprint(m.Stdout, cmd.usage())
		return exitOK
	}
	if err == nil {
		c.api, err = newAPI(ctx, c.args, os.Getenv)
	}
	if err == nil {
		l := &logReader{m: m, api: c.api, pipelineID: c.args.one("pipeline-id", ""), follow: c.args.flags["follow"]}
		err = l.show(ctx, c.args.one("object-id", ""))
	}
	var le logsError
	if errors.As(err, &le) {
		fmt.Fprintf(m.Stderr, "datapipe logs: %s\n", le)
		return exitInvalid
	}
	if err != nil {
		return m.clientError(cmd, err)
	}
	return exitOK
}

// logReader prints one attempt's log.
type logReader struct {
	m          *Main
	api        *datapipeline.Client
	pipelineID string
	follow     bool
}

// show prints the log of the attempt objectID names.
func (l *logReader) show(ctx context.Context, objectID string) error {
	attemptID, err := l.attemptOf(ctx, objectID)
	if err != nil {
		return err
	}
	var offset int64
	for {
		att, err := l.describe(ctx, attemptID)
		if err != nil {
			return err
		}
		if offset, err = l.printFrom(att, offset); err != nil {
			return err
		}
		if !l.follow || pipeline.ParseStatus(logField(att, "@status")).Terminal() {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(followEvery):
		}
	}
}

// printFrom prints the attempt's log from offset and returns the new
// offset. Without --follow a missing log is an error; with it, the
// runner may not have started yet. A log that is not on disk yet, of a
// running attempt whose runner is on this machine, is empty so far: its
// runner writes it out after its first second (taskrunner.LogMayBeInMemory).
func (l *logReader) printFrom(att types.PipelineObject, offset int64) (int64, error) {
	path, id, host := logField(att, "logLocation"), aws.ToString(att.Id), logField(att, "hostname")
	if path == "" {
		if l.follow {
			return offset, nil
		}
		return offset, logsError(fmt.Sprintf("attempt %s has no log yet (status %s): no task runner has started it",
			id, logField(att, "@status")))
	}
	next, err := copyLogFrom(l.m.Stdout, path, id, offset)
	if errors.Is(err, os.ErrNotExist) {
		if taskrunner.LogMayBeInMemory(host, pipeline.ParseStatus(logField(att, "@status")).Terminal()) {
			return offset, nil
		}
		return offset, logsError(fmt.Sprintf("the log of attempt %s is %s on host %q, which is not on this machine", id, path, host))
	}
	return next, err
}

// copyLogFrom writes the log of attempt attemptID at path (its file, or
// its lines of the shared quiet.log, as taskrunner.ReadAttemptLog reads
// them) from offset to w, and returns the offset after what it wrote.
func copyLogFrom(w io.Writer, path, attemptID string, offset int64) (int64, error) {
	for {
		text, next, err := taskrunner.ReadAttemptLog(path, attemptID, offset, logChunk)
		if err != nil || text == "" {
			return offset, err
		}
		if _, err := io.WriteString(w, text); err != nil {
			return offset, err
		}
		offset = next
	}
}

// describe reads one object; a logsError when it does not exist.
func (l *logReader) describe(ctx context.Context, id string) (types.PipelineObject, error) {
	out, err := l.api.DescribeObjects(ctx, &datapipeline.DescribeObjectsInput{PipelineId: aws.String(l.pipelineID), ObjectIds: []string{id}})
	if err != nil {
		return types.PipelineObject{}, err
	}
	if len(out.PipelineObjects) == 0 {
		return types.PipelineObject{}, logsError(fmt.Sprintf("pipeline %s has no object %s", l.pipelineID, id))
	}
	return out.PipelineObjects[0], nil
}

// attemptOf returns id when it names an attempt, and the latest attempt
// when it names an instance.
func (l *logReader) attemptOf(ctx context.Context, id string) (string, error) {
	o, err := l.describe(ctx, id)
	if err != nil {
		return "", err
	}
	switch pipeline.Sphere(logField(o, "@sphere")) {
	case pipeline.SphereAttempt:
		return id, nil
	case pipeline.SphereInstance:
		return l.latestAttempt(ctx, o)
	}
	return "", logsError(fmt.Sprintf("%s is a component: give an instance or attempt id (list-runs and query-objects list them)", id))
}

// latestAttempt is the instance's @headAttempt, else its attempt with the
// highest number.
func (l *logReader) latestAttempt(ctx context.Context, inst types.PipelineObject) (string, error) {
	if head := logField(inst, "@headAttempt"); head != "" {
		return head, nil
	}
	ids, err := l.attemptsOf(ctx, aws.ToString(inst.Id))
	if err != nil {
		return "", err
	}
	if len(ids) == 0 {
		return "", logsError(fmt.Sprintf("instance %s has no attempts yet", aws.ToString(inst.Id)))
	}
	latest := ids[0]
	for _, id := range ids[1:] {
		if attemptNumber(id) > attemptNumber(latest) {
			latest = id
		}
	}
	return latest, nil
}

// attemptsOf lists the attempts of an instance (@instanceParent).
func (l *logReader) attemptsOf(ctx context.Context, instanceID string) ([]string, error) {
	in := &datapipeline.QueryObjectsInput{PipelineId: aws.String(l.pipelineID), Sphere: aws.String(string(pipeline.SphereAttempt)),
		Query: &types.Query{Selectors: []types.Selector{{FieldName: aws.String("@instanceParent"),
			Operator: &types.Operator{Type: types.OperatorTypeReferenceEqual, Values: []string{instanceID}}}}}}
	var ids []string
	for p := datapipeline.NewQueryObjectsPaginator(l.api, in); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		ids = append(ids, out.Ids...)
	}
	return ids, nil
}

// attemptNumber is N of an "…_Attempt=N" id, or 0.
func attemptNumber(id string) int {
	i := strings.LastIndex(id, "_Attempt=")
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(id[i+len("_Attempt="):])
	return n
}

// logField is the first value of key, string or reference.
func logField(o types.PipelineObject, key string) string {
	for _, f := range o.Fields {
		if aws.ToString(f.Key) == key {
			return aws.ToString(f.StringValue) + aws.ToString(f.RefValue)
		}
	}
	return ""
}
