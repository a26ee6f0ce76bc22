package awsclient

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/datapipe/datapipe/internal/config"
)

// DefaultRegion is the region when neither the configuration nor the
// environment names one.
const DefaultRegion = "us-east-1"

// Config configures a Factory.
type Config struct {
	// AWS is the aws section of the configuration file.
	AWS config.AWS
	// Getenv reads AWS_REGION and AWS_DEFAULT_REGION for the default
	// region when AWS.Region is empty; nil means os.Getenv.
	Getenv func(string) string
	// HTTPClient sends every client's requests; nil means the SDK's.
	HTTPClient aws.HTTPClient
}

// Factory builds and caches SDK clients per (service, region). It is safe
// for concurrent use; the zero Factory is not usable, use New.
type Factory struct {
	aws    config.AWS
	region string
	http   aws.HTTPClient

	mu      sync.Mutex
	base    *aws.Config
	clients map[clientKey]any
}

// clientKey identifies a cached client.
type clientKey struct{ service, region string }

// New returns a Factory for c. It does no I/O: the SDK's shared
// configuration is loaded by the first call that needs it.
func New(c Config) *Factory {
	getenv := c.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	region := cmp.Or(c.AWS.Region, getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION"), DefaultRegion)
	return &Factory{aws: c.AWS, region: region, http: c.HTTPClient, clients: map[clientKey]any{}}
}

// Region returns the region to use for a data node: nodeRegion (the
// node's `region` field), else resourceRegion (the `region` of the
// resource it runs on), else the factory's default region.
func (f *Factory) Region(nodeRegion, resourceRegion string) string {
	return cmp.Or(nodeRegion, resourceRegion, f.region)
}

// Endpoint returns the configured base URL of service in region, or ""
// when the SDK resolves it (see config.AWS.Endpoint).
func (f *Factory) Endpoint(service, region string) string {
	return f.aws.Endpoint(service, cmp.Or(region, f.region))
}

// AWSConfig returns the SDK configuration for region ("" means the
// default region): the shared configuration, loaded once, with the
// file's credentials when it sets some. Service endpoints are not in it;
// the client methods apply them. A shared configuration that does not
// load (say AWS_PROFILE names a missing profile) is an error.
func (f *Factory) AWSConfig(ctx context.Context, region string) (aws.Config, error) {
	base, err := f.loadBase(ctx)
	if err != nil {
		return aws.Config{}, err
	}
	cfg := base.Copy()
	cfg.Region = cmp.Or(region, f.region)
	return cfg, nil
}

// loadBase loads the shared configuration once; a failure is retried by
// the next call.
func (f *Factory) loadBase(ctx context.Context) (aws.Config, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.base != nil {
		return *f.base, nil
	}
	opts := []func(*awsconfig.LoadOptions) error{awsconfig.WithRegion(f.region)}
	if creds := f.aws.Credentials(); creds != nil {
		opts = append(opts, awsconfig.WithCredentialsProvider(creds))
	}
	if f.http != nil {
		opts = append(opts, awsconfig.WithHTTPClient(f.http))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	f.base = &cfg
	return cfg, nil
}

// cached returns the client of service in region, building it with build
// the first time.
func cached[T any](ctx context.Context, f *Factory, service, region string, build func(aws.Config, string) T) (T, error) {
	k := clientKey{service, cmp.Or(region, f.region)}
	f.mu.Lock()
	c, ok := f.clients[k].(T)
	f.mu.Unlock()
	if ok {
		return c, nil
	}
	cfg, err := f.AWSConfig(ctx, k.region)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%s client for %s: %w", service, k.region, err)
	}
	c = build(cfg, f.aws.Endpoint(service, k.region))
	f.mu.Lock()
	defer f.mu.Unlock()
	if prev, ok := f.clients[k].(T); ok {
		return prev, nil
	}
	f.clients[k] = c
	return c, nil
}

// baseEndpoint returns ep as an SDK option value: nil when empty.
func baseEndpoint(ep string) *string {
	if ep == "" {
		return nil
	}
	return aws.String(ep)
}
