package config

import (
	"cmp"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/datapipe/datapipe/internal/notify"
)

// Config is the whole configuration file. The zero Config (an empty
// file) sets nothing.
type Config struct {
	// AWS says how to reach AWS services or compatible servers.
	AWS AWS `yaml:"aws"`
	// Notify configures the SnsAlarm backends of the server and of
	// `datapipe run`.
	Notify notify.Config `yaml:"notify"`
	// Server holds defaults for `datapipe server`'s flags.
	Server Server `yaml:"server"`
	// TaskRunner holds defaults for `datapipe taskrunner`'s flags.
	TaskRunner TaskRunner `yaml:"taskrunner"`
}

// AWS is the aws section: regions, endpoints and credentials for the AWS
// services datapipe calls (S3, DynamoDB, SNS).
type AWS struct {
	// Region is the region of a node that names none, directly or through
	// the resource it runs on. Empty means AWS_REGION, else
	// AWS_DEFAULT_REGION, else us-east-1.
	Region string `yaml:"region"`
	// Endpoints maps a service (s3, dynamodb, sns) to the base URL used
	// for it in every region, e.g. an S3-compatible server.
	Endpoints map[string]string `yaml:"endpoints"`
	// RegionEndpoints maps a region, then a service, to a base URL that
	// overrides Endpoints in that region.
	RegionEndpoints map[string]map[string]string `yaml:"regionEndpoints"`
	// S3ForcePathStyle addresses buckets as http://host/bucket/key rather
	// than http://bucket.host/key; S3-compatible servers usually need it.
	S3ForcePathStyle bool `yaml:"s3ForcePathStyle"`
	// AccessKeyID, SecretAccessKey and the optional SessionToken are
	// static credentials. Empty means the SDK's default chain
	// (AWS_ACCESS_KEY_ID…, shared files, container and instance roles).
	AccessKeyID     string `yaml:"accessKeyId"`
	SecretAccessKey string `yaml:"secretAccessKey"`
	SessionToken    string `yaml:"sessionToken"`
}

// Server is the server section: defaults for the flags of `datapipe
// server` with the same meaning (--addr, --store, --keys-file, …).
type Server struct {
	Addr            string        `yaml:"addr"`
	Store           string        `yaml:"store"`
	KeysFile        string        `yaml:"keysFile"`
	PollWait        time.Duration `yaml:"pollWait"`
	AckTimeout      time.Duration `yaml:"ackTimeout"`
	ProgressTimeout time.Duration `yaml:"progressTimeout"`
	LeaseTTL        time.Duration `yaml:"leaseTTL"`
	LogFormat       string        `yaml:"logFormat"`
	LogLevel        string        `yaml:"logLevel"`
}

// TaskRunner is the taskrunner section: defaults for the flags of
// `datapipe taskrunner` (--endpoint-url, --worker-group, --concurrency).
type TaskRunner struct {
	EndpointURL string `yaml:"endpointUrl"`
	WorkerGroup string `yaml:"workerGroup"`
	Concurrency int    `yaml:"concurrency"`
}

// services are the keys aws.endpoints and aws.regionEndpoints.<region>
// accept: the AWS services datapipe calls.
var services = []string{"dynamodb", "s3", "sns"}

// Endpoint returns the base URL configured for service in region:
// aws.regionEndpoints.<region>.<service>, else aws.endpoints.<service>,
// else "" (the SDK's own resolution, AWS_ENDPOINT_URL_<SERVICE>
// included).
func (a AWS) Endpoint(service, region string) string {
	if ep := a.RegionEndpoints[region][service]; ep != "" {
		return ep
	}
	return a.Endpoints[service]
}

// Credentials returns the static credentials the file sets, or nil when
// it sets none (meaning the SDK's default chain).
func (a AWS) Credentials() aws.CredentialsProvider {
	if a.AccessKeyID == "" {
		return nil
	}
	return credentials.NewStaticCredentialsProvider(a.AccessKeyID, a.SecretAccessKey, a.SessionToken)
}

// LogValue describes a for logs without its secrets: the region, the
// endpoints, path style and whether static credentials are set (with
// the access key id, never the secret or token).
func (a AWS) LogValue() slog.Value {
	return slog.GroupValue(slog.String("region", a.Region), slog.Any("endpoints", a.Endpoints),
		slog.Any("region_endpoints", a.RegionEndpoints), slog.Bool("s3_force_path_style", a.S3ForcePathStyle),
		slog.String("access_key_id", a.AccessKeyID))
}

// NotifyConfig returns the notify section with the aws section's help:
// an SNS backend without an endpoint uses the aws endpoint for sns (in
// notify.sns.region, else aws.region), and without credentials of its own
// the aws section's static credentials, if any.
func (c Config) NotifyConfig() notify.Config {
	n := c.Notify
	if n.SNS.Endpoint == "" {
		n.SNS.Endpoint = c.AWS.Endpoint("sns", cmp.Or(n.SNS.Region, c.AWS.Region))
	}
	if n.SNS.Credentials == nil {
		n.SNS.Credentials = c.AWS.Credentials()
	}
	return n
}
