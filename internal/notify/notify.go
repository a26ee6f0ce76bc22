package notify

import (
	"context"
	"time"
)

// Events that trigger an action, as the action fields of the triggering
// object name them.
const (
	EventFail    = "onFail"       // the instance reached FAILED
	EventSuccess = "onSuccess"    // the instance reached FINISHED
	EventLate    = "onLateAction" // the instance became late
)

// Message is one SnsAlarm notification, with every expression already
// evaluated in the context of the triggering instance. Backends deliver it
// normalized (see Message.Normalized).
type Message struct {
	TopicArn   string    // the SnsAlarm's topicArn
	Subject    string    // the SnsAlarm's evaluated subject
	Body       string    // the SnsAlarm's evaluated message
	PipelineID string    // the pipeline, df-…
	ObjectID   string    // the id of the SnsAlarm action object
	NodeID     string    // the id of the instance that triggered the action
	Event      string    // EventFail, EventSuccess or EventLate
	Role       string    // the SnsAlarm's role (recorded; see the SNS backend)
	At         time.Time // when the triggering transition happened
}

// Notifier delivers notifications: the port between the engine and the
// delivery backends.
//
// Notify delivers m once and returns nil when the backend accepted it, or
// an error describing the failed delivery (wrapping the cause, and any
// ctx error when ctx ended first). Delivery is not retried beyond what the
// backend's own client does. Implementations are safe for concurrent use
// and never put secrets (passwords, credentials, header values, webhook
// URL paths) in errors or logs. A failed notification never changes an
// instance's status: the engine logs the error and moves on.
type Notifier interface {
	Notify(ctx context.Context, m Message) error
}
