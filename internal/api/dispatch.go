package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strings"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// targetPrefix starts every X-Amz-Target value.
const targetPrefix = "DataPipeline."

// opFunc runs one operation: it reads its input from in through d,
// returns d.err() when the input is bad, else calls the control plane and
// returns the output to encode.
type opFunc func(ctx context.Context, c control.Caller, d *decoder, in object) (any, error)

// operations maps operation names to their handlers.
func (s *Server) operations() map[string]opFunc {
	return map[string]opFunc{
		"ActivatePipeline":           s.activatePipeline,
		"AddTags":                    s.addTags,
		"CreatePipeline":             s.createPipeline,
		"DeactivatePipeline":         s.deactivatePipeline,
		"DeletePipeline":             s.deletePipeline,
		"DescribeObjects":            s.describeObjects,
		"DescribePipelines":          s.describePipelines,
		"EvaluateExpression":         s.evaluateExpression,
		"GetPipelineDefinition":      s.getPipelineDefinition,
		"ListPipelines":              s.listPipelines,
		"PollForTask":                s.pollForTask,
		"PutPipelineDefinition":      s.putPipelineDefinition,
		"QueryObjects":               s.queryObjects,
		"RemoveTags":                 s.removeTags,
		"ReportTaskProgress":         s.reportTaskProgress,
		"ReportTaskRunnerHeartbeat":  s.reportTaskRunnerHeartbeat,
		"SetStatus":                  s.setStatus,
		"SetTaskStatus":              s.setTaskStatus,
		"ValidatePipelineDefinition": s.validatePipelineDefinition,
	}
}

// exchange is one API request in flight, as the log and metrics see it.
type exchange struct {
	id     string
	op     string // "" when the target names no operation
	caller control.Caller
	status int
	code   pipeline.Code // "" on success
}

// serveAPI serves POST /.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	ex := &exchange{id: newRequestID(), op: s.operationName(r)}
	w.Header().Set(headerRequestID, ex.id)
	out, err := s.safeHandle(w, r, ex)
	s.respond(w, r, ex, out, err)
	s.record(r.Context(), ex, s.now().Sub(start))
}

// operationName returns the operation X-Amz-Target names, or "".
func (s *Server) operationName(r *http.Request) string {
	name, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	if _, known := s.ops[name]; !ok || !known {
		return ""
	}
	return name
}

// safeHandle runs handle, turning a panic into an internal error so that
// no input can take the server down.
func (s *Server) safeHandle(w http.ResponseWriter, r *http.Request, ex *exchange) (out any, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("panic serving %s: %v\n%s", ex.op, p, debug.Stack())
		}
	}()
	return s.handle(w, r, ex)
}

// handle reads, authenticates, dispatches, decodes and runs a request.
func (s *Server) handle(w http.ResponseWriter, r *http.Request, ex *exchange) (any, error) {
	body, err := s.readBody(w, r)
	if err != nil {
		return nil, err
	}
	if ex.caller, err = s.auth.Authenticate(r, body); err != nil {
		return nil, err
	}
	op, ok := s.ops[ex.op]
	if !ok {
		return nil, unknownOperation(r.Header.Get("X-Amz-Target"))
	}
	if s.ctl == nil {
		return nil, pipeline.Errorf(pipeline.CodeInternal, "no control plane is configured")
	}
	in, err := parseBody(body)
	if err != nil {
		return nil, err
	}
	return op(r.Context(), ex.caller, &decoder{}, in)
}

// unknownOperation is the error for an X-Amz-Target naming no operation.
func unknownOperation(target string) error {
	if target == "" {
		return pipeline.Errorf(CodeUnknownOperation, "missing X-Amz-Target header; expected %s<Operation>", targetPrefix)
	}
	return pipeline.Errorf(CodeUnknownOperation, "unknown operation %q", truncate(target))
}

// readBody reads the request body, at most s.maxBody bytes; a larger one
// is InvalidRequestException.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > s.maxBody {
		return nil, tooLarge(s.maxBody)
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(min(r.ContentLength, preallocBytes))) // trust a claimed length only so far
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.maxBody))
	var big *http.MaxBytesError
	switch {
	case errors.As(err, &big):
		return nil, tooLarge(s.maxBody)
	case err != nil && !errors.Is(err, io.EOF):
		return nil, serializationError("the request body could not be read")
	}
	return buf.Bytes(), nil
}

// preallocBytes bounds the buffer allocated up front from Content-Length.
const preallocBytes = 1 << 20

// tooLarge is the error for a body over the limit.
func tooLarge(limit int64) error {
	return invalidRequest("the request body is larger than the limit of %d bytes", limit)
}

// respond writes the response for out or err and records the status and
// code in ex.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, ex *exchange, out any, err error) {
	if err == nil {
		body, merr := marshal(out)
		if merr == nil {
			ex.status = http.StatusOK
			writeJSON(w, ex.status, body)
			return
		}
		err = fmt.Errorf("encode %s response: %w", ex.op, merr)
	}
	code, msg := describeError(r.Context(), err)
	ex.code = code
	if code == pipeline.CodeInternal {
		s.log.ErrorContext(r.Context(), "internal error", "request_id", ex.id, "operation", ex.op, "error", err.Error())
	}
	ex.status = writeError(w, code, msg)
}
