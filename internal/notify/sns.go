package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// SNS is the SNS backend: it publishes each notification to its topic ARN
// with the SNS Publish API, on AWS or on an SNS-compatible endpoint.
//
// The message becomes Publish's Message, its subject Publish's Subject
// (omitted when empty), and its event, pipeline, action and node ids the
// String message attributes datapipe.event, datapipe.pipelineId,
// datapipe.objectId and datapipe.nodeId (omitted when empty), which
// subscription filter policies can match. The SnsAlarm's role is not
// assumed: the backend publishes with its configured credentials.
// SNS is safe for concurrent use.
type SNS struct {
	client  *sns.Client
	region  string // "" means the topic ARN's region
	timeout time.Duration
}

var _ Notifier = (*SNS)(nil)

// NewSNS returns an SNS backend for cfg (Enabled is not consulted). It
// fails when Endpoint is not an absolute http(s) URL or the SDK's shared
// configuration cannot be loaded; it does no network I/O.
func NewSNS(cfg SNSConfig) (*SNS, error) {
	if cfg.Endpoint != "" {
		if err := checkHTTPURL(cfg.Endpoint); err != nil {
			return nil, fmt.Errorf("endpoint: %w", err)
		}
	}
	var opts []func(*config.LoadOptions) error
	if cfg.Credentials != nil {
		opts = append(opts, config.WithCredentialsProvider(cfg.Credentials))
	}
	awsCfg, err := config.LoadDefaultConfig(context.Background(), opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	fallback := cmp.Or(cfg.Region, awsCfg.Region, "us-east-1")
	client := sns.NewFromConfig(awsCfg, func(o *sns.Options) {
		o.Region = fallback
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
	})
	return &SNS{client: client, region: cfg.Region, timeout: cmp.Or(cfg.Timeout, DefaultSNSTimeout)}, nil
}

// Notify publishes the normalized m to m.TopicArn. It fails when the topic
// ARN is empty, or with the SDK's error (an *smithy.OperationError whose
// API error code says why, e.g. NotFound) when SNS refuses or cannot be
// reached.
func (s *SNS) Notify(ctx context.Context, m Message) error {
	m = m.Normalized()
	if m.TopicArn == "" {
		return errors.New("sns: publish: empty topic ARN")
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	_, err := s.client.Publish(ctx, publishInput(m), s.regionFor(m.TopicArn))
	if err != nil {
		return fmt.Errorf("sns: publish to %s: %w", m.TopicArn, err)
	}
	return nil
}

// publishInput returns the Publish request for the normalized m.
func publishInput(m Message) *sns.PublishInput {
	in := &sns.PublishInput{
		TopicArn:          aws.String(m.TopicArn),
		Message:           aws.String(m.Body),
		MessageAttributes: map[string]types.MessageAttributeValue{},
	}
	if m.Subject != "" {
		in.Subject = aws.String(m.Subject)
	}
	for name, v := range map[string]string{
		"datapipe.event":      m.Event,
		"datapipe.pipelineId": m.PipelineID,
		"datapipe.objectId":   m.ObjectID,
		"datapipe.nodeId":     m.NodeID,
	} {
		if v != "" {
			in.MessageAttributes[name] = types.MessageAttributeValue{
				DataType: aws.String("String"), StringValue: aws.String(v),
			}
		}
	}
	return in
}

// regionFor returns the per-call option that signs for the topic ARN's
// region when no region is configured, or a no-op.
func (s *SNS) regionFor(topicArn string) func(*sns.Options) {
	region := arnRegion(topicArn)
	return func(o *sns.Options) {
		if s.region == "" && region != "" {
			o.Region = region
		}
	}
}

// arnRegion returns the region field of an ARN
// (arn:partition:service:region:account:resource), or "" when arn is not
// one.
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

// checkHTTPURL reports whether raw is an absolute http or https URL with a
// host. Its error never repeats the URL, which may hold secrets.
func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q is not http or https", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("no host")
	}
	return nil
}
