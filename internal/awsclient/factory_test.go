package awsclient

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/config"
)

func TestFactory_Region(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	for _, tc := range []struct {
		name            string
		cfg             Config
		node, res, want string
	}{
		{"OKNode", Config{AWS: config.AWS{Region: "eu-west-1"}}, "ap-south-1", "us-west-2", "ap-south-1"},
		{"OKResource", Config{AWS: config.AWS{Region: "eu-west-1"}}, "", "us-west-2", "us-west-2"},
		{"OKConfigured", Config{AWS: config.AWS{Region: "eu-west-1"}, Getenv: env(map[string]string{"AWS_REGION": "us-west-1"})}, "", "", "eu-west-1"},
		{"OKAWSRegion", Config{Getenv: env(map[string]string{"AWS_REGION": "us-west-1", "AWS_DEFAULT_REGION": "us-east-2"})}, "", "", "us-west-1"},
		{"OKAWSDefaultRegion", Config{Getenv: env(map[string]string{"AWS_DEFAULT_REGION": "us-east-2"})}, "", "", "us-east-2"},
		{"OKDefault", Config{Getenv: env(nil)}, "", "", DefaultRegion},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := New(tc.cfg).Region(tc.node, tc.res); got != tc.want {
				t.Errorf("Region(%q, %q) = %q; want %q", tc.node, tc.res, got, tc.want)
			}
		})
	}
}

func TestFactory_Endpoint(t *testing.T) {
	f := New(Config{AWS: config.AWS{Region: "eu-west-1",
		Endpoints:       map[string]string{"s3": "http://s3.all", "dynamodb": "http://ddb.all"},
		RegionEndpoints: map[string]map[string]string{"eu-west-1": {"dynamodb": "http://ddb.eu"}}}})
	for _, tc := range []struct{ service, region, want string }{
		{"dynamodb", "", "http://ddb.eu"},
		{"dynamodb", "us-east-1", "http://ddb.all"},
		{"s3", "", "http://s3.all"},
		{"sns", "", ""},
	} {
		if got := f.Endpoint(tc.service, tc.region); got != tc.want {
			t.Errorf("Endpoint(%s, %q) = %q; want %q", tc.service, tc.region, got, tc.want)
		}
	}
}

func TestFactory_AWSConfig(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		f := New(Config{AWS: config.AWS{Region: "eu-west-1", AccessKeyID: "AKID", SecretAccessKey: "secret"}})
		cfg, err := f.AWSConfig(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		creds, err := cfg.Credentials.Retrieve(ctx)
		if cfg.Region != "eu-west-1" || err != nil || creds.AccessKeyID != "AKID" {
			t.Fatalf("region %q, credentials %+v, %v; want eu-west-1 and AKID", cfg.Region, creds, err)
		}
		if cfg, _ := f.AWSConfig(ctx, "us-west-2"); cfg.Region != "us-west-2" {
			t.Fatalf("AWSConfig(us-west-2).Region = %q", cfg.Region)
		}
	})
	t.Run("ErrMissingProfile", func(t *testing.T) {
		empty := filepath.Join(t.TempDir(), "config")
		if err := os.WriteFile(empty, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("AWS_CONFIG_FILE", empty)
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", empty)
		t.Setenv("AWS_PROFILE", "datapipe-no-such-profile")
		f := New(Config{})
		_, err := f.AWSConfig(ctx, "")
		if err == nil {
			t.Fatal("AWSConfig succeeded with a missing profile")
		}
		_, err = f.S3(ctx, "")
		if err == nil || !strings.Contains(err.Error(), "s3 client for us-east-1: load AWS configuration:") ||
			!strings.Contains(err.Error(), "datapipe-no-such-profile") {
			t.Fatalf("S3() error = %v; want the load error naming the profile", err)
		}
	})
}

func TestFactory_cache(t *testing.T) {
	ctx := context.Background()
	f := New(Config{AWS: config.AWS{Region: "us-east-1", AccessKeyID: "AKID", SecretAccessKey: "secret"}})
	a, _ := f.S3(ctx, "")
	b, _ := f.S3(ctx, "us-east-1")
	c, _ := f.S3(ctx, "us-west-2")
	if a == nil || a != b || a == c {
		t.Fatalf("S3 clients: default %p, us-east-1 %p, us-west-2 %p; want the first two the same", a, b, c)
	}
	d1, _ := f.DynamoDB(ctx, "us-west-2")
	d2, _ := f.DynamoDB(ctx, "us-west-2")
	if d1 == nil || d1 != d2 {
		t.Fatalf("DynamoDB clients %p and %p; want one", d1, d2)
	}
}
