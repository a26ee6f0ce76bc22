package config

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/datapipe/datapipe/internal/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testEnv is the environment the testdata files expand from.
func testEnv(name string) (string, bool) {
	v, ok := map[string]string{"DP_KEY": "AKIDTEST", "DP_SECRET": "s3cr3t", "DP_EMPTY": ""}[name]
	return v, ok
}

func TestParseEnv(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		files, _ := filepath.Glob("testdata/ok/*.yaml")
		if len(files) == 0 {
			t.Fatal("no testdata/ok files")
		}
		for _, file := range files {
			t.Run(filepath.Base(file), func(t *testing.T) {
				cfg, err := ParseEnv(readFile(t, file), testEnv)
				if err != nil {
					t.Fatal(err)
				}
				got, err := yaml.Marshal(cfg)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, strings.TrimSuffix(file, ".yaml")+".golden", got)
			})
		}
	})
	for _, tc := range errCases {
		t.Run("Err"+tc.file, func(t *testing.T) {
			_, err := ParseEnv(readFile(t, "testdata/err/"+tc.file+".yaml"), testEnv)
			var ce *Error
			if !errors.As(err, &ce) || !errors.Is(err, tc.is) {
				t.Fatalf("error %v (%T); want an *Error wrapping %v", err, err, tc.is)
			}
			if err.Error() != tc.msg {
				t.Errorf("error\n  %s\nwant\n  %s", err, tc.msg)
			}
		})
	}
}

// errCases are the testdata/err files and the error each must give.
var errCases = []struct {
	file string
	is   error
	msg  string
}{
	{"unknown_top", ErrUnknownKey, "line 2: servr: unknown key: want one of aws, notify, server, taskrunner"},
	{"unknown_nested", ErrUnknownKey, "line 4: notify.smtp.hots: unknown key: want one of from, host, password, port, starttls, timeout, to, username"},
	{"duplicate", ErrDuplicateKey, "line 3: aws.region: duplicate key: already given on line 2"},
	{"bad_duration", ErrBadValue, `line 2: server.pollWait: bad value: "20": want a non-negative duration such as 20s, 1m30s or 2h`},
	{"negative_duration", ErrBadValue, `line 2: server.leaseTTL: bad value: "-5s": want a non-negative duration such as 20s, 1m30s or 2h`},
	{"bad_int", ErrBadValue, `line 2: taskrunner.concurrency: bad value: "four": want a whole number`},
	{"negative_int", ErrBadValue, "line 2: taskrunner.concurrency: bad value: want a whole number of at least 1"},
	{"bad_bool", ErrBadValue, `line 2: aws.s3ForcePathStyle: bad value: "maybe": want true or false`},
	{"mapping_for_string", ErrBadValue, "line 3: aws.region: bad value: want a string, not a mapping"},
	{"scalar_for_mapping", ErrBadValue, `line 1: aws: bad value: want a mapping of keys to values, not "us-east-1"`},
	{"list_for_mapping", ErrBadValue, "line 3: aws.endpoints: bad value: want a mapping of keys to values, not a list"},
	{"top_list", ErrBadValue, "line 1: bad value: want a mapping of keys to values, not a list"},
	{"syntax", ErrSyntax, "line 2: invalid YAML: did not find expected key"},
	{"two_docs", ErrSyntax, "line 2: invalid YAML: want one YAML document, found more"},
	{"unset_var", ErrUnsetVariable, "line 2: aws.accessKeyId: unset environment variable: ${DP_UNSET}"},
	{"bad_var", ErrBadValue, "line 2: server.store: bad value: ${HOME/x}: want ${NAME} or ${NAME:-default} with NAME of letters, digits and _"},
	{"unterminated_var", ErrBadValue, "line 2: server.store: bad value: unterminated ${"},
	{"bad_endpoint", ErrBadValue, `line 3: aws.endpoints.s3: bad value: "127.0.0.1:47070": want an http:// or https:// URL`},
	{"unknown_service", ErrBadValue, "line 3: aws.endpoints.s4: bad value: unknown service: want one of dynamodb, s3, sns"},
	{"bad_region", ErrBadValue, `line 2: aws.region: bad value: region "US East": want a region code such as us-east-1`},
	{"bad_region_key", ErrBadValue, `line 3: aws.regionEndpoints.EU_WEST: bad value: region "EU_WEST": want a region code such as us-east-1`},
	{"key_without_secret", ErrBadValue, "line 3: aws.accessKeyId: bad value: aws.secretAccessKey is required with it"},
	{"bad_log_format", ErrBadValue, `line 2: server.logFormat: bad value: "xml": want text or json`},
	{"bad_log_level", ErrBadValue, `line 2: server.logLevel: bad value: "loud": want debug, info, warn or error`},
	{"bad_store", ErrBadValue, `line 2: server.store: bad value: "mysql://db": want sqlite:PATH or postgres://…`},
	{"bad_addr", ErrBadValue, `line 2: server.addr: bad value: "localhost": want host:port, e.g. 127.0.0.1:8080`},
	{"bad_taskrunner_url", ErrBadValue, `line 2: taskrunner.endpointUrl: bad value: "localhost:8080": want an http:// or https:// URL`},
	{"bad_sequence_item", ErrBadValue, "line 5: notify.smtp.to[1]: bad value: want a string, not a mapping"},
}

func TestParse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		t.Setenv("DATAPIPE_CONFIG_TEST_REGION", "eu-west-1")
		cfg, err := Parse([]byte("aws:\n  region: ${DATAPIPE_CONFIG_TEST_REGION}\n"))
		if err != nil || cfg.AWS.Region != "eu-west-1" {
			t.Fatalf("Parse = %+v, %v; want region eu-west-1", cfg.AWS, err)
		}
	})
	t.Run("ErrSyntax", func(t *testing.T) {
		_, err := Parse([]byte("aws: [\n"))
		if !errors.Is(err, ErrSyntax) {
			t.Fatalf("err = %v; want ErrSyntax", err)
		}
	})
}

func TestLoad(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		cfg, err := Load("testdata/ok/anchors.yaml")
		if err != nil || cfg.TaskRunner.Concurrency != 2 {
			t.Fatalf("Load = %+v, %v", cfg.TaskRunner, err)
		}
	})
	t.Run("ErrNotExist", func(t *testing.T) {
		_, err := Load("testdata/missing.yaml")
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v; want os.ErrNotExist", err)
		}
	})
	t.Run("ErrUnknownKey", func(t *testing.T) {
		_, err := Load("testdata/err/unknown_top.yaml")
		want := "testdata/err/unknown_top.yaml: line 2: servr: unknown key"
		if !errors.Is(err, ErrUnknownKey) || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("err = %v; want %s…", err, want)
		}
	})
}

func TestAWS_Endpoint(t *testing.T) {
	a := AWS{
		Endpoints:       map[string]string{"s3": "http://s3.all", "dynamodb": "http://ddb.all"},
		RegionEndpoints: map[string]map[string]string{"eu-west-1": {"dynamodb": "http://ddb.eu"}},
	}
	for _, tc := range []struct{ service, region, want string }{
		{"dynamodb", "eu-west-1", "http://ddb.eu"},
		{"dynamodb", "us-east-1", "http://ddb.all"},
		{"s3", "eu-west-1", "http://s3.all"},
		{"sns", "eu-west-1", ""},
		{"sns", "", ""},
	} {
		if got := a.Endpoint(tc.service, tc.region); got != tc.want {
			t.Errorf("Endpoint(%s, %s) = %q; want %q", tc.service, tc.region, got, tc.want)
		}
	}
}

func TestAWS_Credentials(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		creds, err := AWS{AccessKeyID: "AKID", SecretAccessKey: "secret"}.Credentials().Retrieve(context.Background())
		if err != nil || creds.AccessKeyID != "AKID" || creds.SecretAccessKey != "secret" {
			t.Fatalf("Retrieve = %+v, %v", creds, err)
		}
	})
	t.Run("OKDefaultChain", func(t *testing.T) {
		if p := (AWS{}).Credentials(); p != nil {
			t.Fatalf("Credentials() = %v; want nil (the default chain)", p)
		}
	})
}

func TestConfig_NotifyConfig(t *testing.T) {
	aws := AWS{Region: "us-east-1", Endpoints: map[string]string{"sns": "http://sns.all"},
		RegionEndpoints: map[string]map[string]string{"eu-west-1": {"sns": "http://sns.eu"}},
		AccessKeyID:     "AKID", SecretAccessKey: "secret"}
	for _, tc := range []struct {
		name         string
		sns          notify.SNSConfig
		wantEndpoint string
	}{
		{"OKAWSEndpoint", notify.SNSConfig{Enabled: true}, "http://sns.all"},
		{"OKRegionEndpoint", notify.SNSConfig{Enabled: true, Region: "eu-west-1"}, "http://sns.eu"},
		{"OKOwnEndpoint", notify.SNSConfig{Enabled: true, Endpoint: "http://own"}, "http://own"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Config{AWS: aws, Notify: notify.Config{SNS: tc.sns}}.NotifyConfig()
			if got.SNS.Endpoint != tc.wantEndpoint || got.SNS.Credentials == nil {
				t.Fatalf("SNS = %+v; want endpoint %s and the aws credentials", got.SNS, tc.wantEndpoint)
			}
		})
	}
}

// readFile reads a testdata file.
func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readFile(t, name)
	if string(got) != string(want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
