package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/explain"
)

// explainPath is the console's JSON endpoint `datapipe explain` calls.
// The AWS API has no such operation, so it lives beside the console.
const explainPath = "/console/api/explain"

// explainCommand describes `datapipe explain` for argument checks, usage
// and error reports, as the client commands are described.
func explainCommand() *clientCommand {
	return &clientCommand{name: "explain", operation: "Explain", required: []string{"pipeline-id", "object-id"}}
}

// runExplain implements `datapipe explain --pipeline-id P --object-id I`:
// it asks the server why instance I (or attempt I's instance) is not
// running, with GET /console/api/explain signed like an API call, and
// prints the reasons (--output json prints the server's JSON). Arguments
// and errors exit as the client commands do.
func (m *Main) runExplain(ctx context.Context, words []string) int {
	cmd := explainCommand()
	c, err := m.newClientCall(cmd, words)
	if errors.Is(err, errHelp) {
		fmt.Fprint(m.Stdout, cmd.usage())
		return exitOK
	}
	if err == nil {
		c.api, err = newAPI(ctx, c.args, os.Getenv)
	}
	var e explain.Explanation
	var raw []byte
	if err == nil {
		raw, err = fetchExplanation(ctx, c.api.Options(), c.args.one("pipeline-id", ""), c.args.one("object-id", ""))
	}
	if err == nil {
		err = json.Unmarshal(raw, &e)
	}
	if err != nil {
		return m.clientError(cmd, err)
	}
	if c.output == outputJSON {
		_, _ = m.Stdout.Write(raw)
		return exitOK
	}
	printExplanation(m.Stdout, e)
	return exitOK
}

// fetchExplanation calls the explain endpoint of the client's server,
// signing the request with its credentials (SigV4, service
// datapipeline) unless they are anonymous.
func fetchExplanation(ctx context.Context, o datapipeline.Options, pipelineID, objectID string) ([]byte, error) {
	if o.BaseEndpoint == nil {
		return nil, configError("datapipe explain needs the endpoint of a datapipe server: set --endpoint-url or AWS_ENDPOINT_URL")
	}
	u := strings.TrimRight(*o.BaseEndpoint, "/") + explainPath + "?" + url.Values{"pipelineId": {pipelineID}, "objectId": {objectID}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, paramErrorf("Bad endpoint %q: %v", *o.BaseEndpoint, err)
	}
	if err := signGet(ctx, o, req); err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, explainError(res.StatusCode, body)
	}
	return body, nil
}

// signGet signs a bodiless request as the SDK signs API calls.
func signGet(ctx context.Context, o datapipeline.Options, req *http.Request) error {
	if o.Credentials == nil {
		return nil
	}
	if _, anon := o.Credentials.(aws.AnonymousCredentials); anon {
		return nil
	}
	creds, err := o.Credentials.Retrieve(ctx)
	if err != nil {
		return configError(fmt.Sprintf("Unable to locate credentials: %v", err))
	}
	empty := sha256.Sum256(nil)
	return v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(empty[:]), "datapipeline", o.Region, time.Now())
}

// explainError turns the endpoint's JSON error into a service error.
func explainError(status int, body []byte) error {
	var e struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		e.Message = fmt.Sprintf("HTTP %d from %s: %.200s", status, explainPath, body)
	}
	if e.Code == "" {
		e.Code = http.StatusText(status)
	}
	return &smithy.GenericAPIError{Code: strings.ReplaceAll(e.Code, " ", ""), Message: e.Message}
}

// printExplanation writes an explanation for a person.
func printExplanation(w io.Writer, e explain.Explanation) {
	verb := "is not waiting"
	if e.Waiting {
		verb = "is not running"
	}
	fmt.Fprintf(w, "%s (%s) is %s and %s:\n", e.ObjectID, e.Component, e.Status, verb)
	for _, r := range e.Reasons {
		fmt.Fprintf(w, "  %-15s %s\n", r.Code, r.Message)
	}
}
