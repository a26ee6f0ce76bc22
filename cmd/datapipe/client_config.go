package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
)

// defaultRegion is the region used when none is configured.
const defaultRegion = "us-east-1"

// localAccessKey is the access key (and secret) of the dummy credentials
// used against a loopback endpoint when no credentials are configured.
const localAccessKey = "datapipe-local"

// newAPI returns a Data Pipeline client configured from the global options
// in a and the standard AWS configuration (environment, shared files):
//
//   - endpoint: --endpoint-url, else AWS_ENDPOINT_URL_DATA_PIPELINE, else
//     AWS_ENDPOINT_URL (unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true),
//     else the configured or public AWS endpoint;
//   - region: --region, else AWS_REGION, else AWS_DEFAULT_REGION, else the
//     profile's, else us-east-1;
//   - credentials: none with --no-sign-request; else the standard chain
//     (--profile selects the profile) and, when it finds none and the
//     endpoint is a loopback URL, static dummy credentials, so that a local
//     server just works. EC2 instance metadata is not consulted for a
//     loopback endpoint.
//
// It returns a paramError for a malformed endpoint and a configError when
// the configuration cannot be loaded; without credentials, requests fail
// with a configError.
func newAPI(ctx context.Context, a *args, getenv func(string) string) (*datapipeline.Client, error) {
	endpoint := resolveEndpoint(a, getenv)
	if err := checkEndpoint(endpoint); err != nil {
		return nil, err
	}
	local := isLoopback(endpoint)
	cfg, err := loadConfig(ctx, a, getenv, local)
	if err != nil {
		return nil, err
	}
	if endpoint == "" && cfg.BaseEndpoint != nil {
		local = isLoopback(*cfg.BaseEndpoint)
	}
	resolveCredentials(ctx, &cfg, a.flags["no-sign-request"], local)
	return datapipeline.NewFromConfig(cfg, func(o *datapipeline.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}), nil
}

// resolveEndpoint returns the endpoint URL the options and environment
// give, or "".
func resolveEndpoint(a *args, getenv func(string) string) string {
	if e := a.one("endpoint-url", ""); e != "" {
		return e
	}
	if getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") == "true" {
		return ""
	}
	if e := getenv("AWS_ENDPOINT_URL_DATA_PIPELINE"); e != "" {
		return e
	}
	return getenv("AWS_ENDPOINT_URL")
}

// checkEndpoint rejects an endpoint URL without a scheme or host, with
// the aws CLI's message.
func checkEndpoint(endpoint string) error {
	if endpoint == "" {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return paramErrorf("Bad value for --endpoint-url %q: scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/", endpoint)
	}
	return nil
}

// isLoopback reports whether endpoint names this machine: localhost or a
// loopback address.
func isLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loadConfig loads the shared AWS configuration with the region and
// profile the options and environment give.
func loadConfig(ctx context.Context, a *args, getenv func(string) string, local bool) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if r := cmp.Or(a.one("region", ""), getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION")); r != "" {
		opts = append(opts, config.WithRegion(r))
	}
	profile := a.one("profile", "")
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if local {
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	var noProfile config.SharedConfigProfileNotExistError
	switch {
	case errors.As(err, &noProfile):
		return cfg, configError(fmt.Sprintf("The config profile (%s) could not be found", noProfile.Profile))
	case err != nil:
		return cfg, configError(fmt.Sprintf("Unable to load the AWS configuration: %v", err))
	}
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	return cfg, nil
}

// resolveCredentials makes cfg anonymous (noSign), or checks that its
// credentials resolve, falling back to dummy ones when local. When none
// resolve otherwise, the first request fails with a configError (after
// the arguments have been checked, as in the aws CLI).
func resolveCredentials(ctx context.Context, cfg *aws.Config, noSign, local bool) {
	if noSign {
		cfg.Credentials = aws.AnonymousCredentials{}
		return
	}
	var err error = errors.New("no credential providers")
	if cfg.Credentials != nil {
		if _, err = cfg.Credentials.Retrieve(ctx); err == nil {
			return
		}
	}
	if local {
		cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(localAccessKey, localAccessKey, ""))
		return
	}
	cfg.Credentials = noCredentials{configError(fmt.Sprintf("Unable to locate credentials. You can configure credentials with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile (--profile, AWS_PROFILE). (%v)", err))}
}

// noCredentials is a credentials provider that fails with err.
type noCredentials struct{ err error }

// Retrieve returns the error.
func (p noCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, p.err
}
