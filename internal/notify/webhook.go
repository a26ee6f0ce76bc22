package notify

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Payload is the JSON body the webhook backend POSTs, one object per
// notification (Content-Type application/json), e.g.
//
//	{
//	  "event": "onFail",
//	  "pipeline_id": "df-0123456789ABCDEFGHIJ",
//	  "object_id": "FailureAlarm",
//	  "node_id": "@CopyData_2026-11-26T00:00:00",
//	  "topic_arn": "arn:aws:sns:us-east-1:123456789012:alerts",
//	  "role": "DataPipelineDefaultRole",
//	  "subject": "CopyData failed",
//	  "message": "Error: …",
//	  "at": "2026-11-26T01:02:03Z"
//	}
//
// Every member is present (empty strings included) except at, omitted when
// the message has no time. Subject and message are normalized (see
// Message.Normalized). Receivers should ignore members they do not know:
// new ones may be added.
type Payload struct {
	Event      string    `json:"event"`
	PipelineID string    `json:"pipeline_id"`
	ObjectID   string    `json:"object_id"`
	NodeID     string    `json:"node_id"`
	TopicArn   string    `json:"topic_arn"`
	Role       string    `json:"role"`
	Subject    string    `json:"subject"`
	Message    string    `json:"message"`
	At         time.Time `json:"at,omitzero"`
}

// NewPayload returns the payload for m, normalized, with At in UTC.
func NewPayload(m Message) Payload {
	m = m.Normalized()
	return Payload{
		Event: m.Event, PipelineID: m.PipelineID, ObjectID: m.ObjectID, NodeID: m.NodeID,
		TopicArn: m.TopicArn, Role: m.Role, Subject: m.Subject, Message: m.Body, At: m.At.UTC(),
	}
}

// Webhook is the webhook backend: it POSTs each notification as a Payload
// to a fixed URL, with the configured static headers. Any 2xx response is
// success; the response body is discarded. Webhook is safe for concurrent
// use.
type Webhook struct {
	url     string
	target  string // scheme://host, what errors show of url
	headers http.Header
	client  *http.Client
	timeout time.Duration
}

var _ Notifier = (*Webhook)(nil)

// userAgent is the default User-Agent of webhook requests.
const userAgent = "datapipe-notify/1"

// NewWebhook returns a webhook backend for cfg. It fails when URL is not
// an absolute http or https URL or a header name is invalid.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if err := checkHTTPURL(cfg.URL); err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	headers := http.Header{"Content-Type": {"application/json"}, "User-Agent": {userAgent}}
	for name, value := range cfg.Headers {
		if !validHeaderName(name) {
			return nil, fmt.Errorf("headers: invalid header name %q", name)
		}
		headers.Set(name, value)
	}
	return &Webhook{
		url:     cfg.URL,
		target:  redactURL(cfg.URL),
		headers: headers,
		client:  cmp.Or(cfg.Client, &http.Client{}),
		timeout: cmp.Or(cfg.Timeout, DefaultWebhookTimeout),
	}, nil
}

// validHeaderName reports whether name is a non-empty HTTP token.
func validHeaderName(name string) bool {
	return name != "" && !strings.ContainsFunc(name, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	})
}

// Notify POSTs the payload of m. It fails when the request cannot be sent
// or answered within the timeout (wrapping context.DeadlineExceeded), or
// when the status is not 2xx (the error quotes the status and up to 256
// bytes of the response body). Errors name the URL by scheme and host
// only.
func (w *Webhook) Notify(ctx context.Context, m Message) error {
	body, err := json.Marshal(NewPayload(m))
	if err != nil {
		return fmt.Errorf("webhook: encode payload: %w", err)
	}
	if err := w.post(ctx, body); err != nil {
		return fmt.Errorf("webhook: POST %s: %w", w.target, err)
	}
	return nil
}

// post sends body and checks the response status.
func (w *Webhook) post(ctx context.Context, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return errors.New("cannot build the request")
	}
	req.Header = w.headers.Clone()
	resp, err := w.client.Do(req)
	if err != nil {
		return withoutURL(err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %s: %q", resp.Status, snippet)
	}
	return nil
}

// withoutURL returns the cause of a *url.Error, whose message repeats the
// full URL (which may hold secrets), or err itself.
func withoutURL(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}
