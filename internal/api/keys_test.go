package api

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/control"
)

const secret = "s3cr3t-VALUE"

func TestLoadKeysFile(t *testing.T) {
	for _, tt := range []struct {
		name, content string
		want          []Key
		wantErr       string
	}{
		{name: "OK", content: `[{"accessKeyId":"AK1","secretAccessKey":"` + secret + `","accountId":"123456789012","userId":"bob"},{"accessKeyId":"AK2","secretAccessKey":"x"}]`,
			want: []Key{{AccessKeyID: "AK1", SecretAccessKey: secret, AccountID: "123456789012", UserID: "bob"},
				{AccessKeyID: "AK2", SecretAccessKey: "x", AccountID: LocalAccountID, UserID: LocalAccountID}}},
		{name: "OKUserDefaultsToAccount", content: `[{"accessKeyId":"AK1","secretAccessKey":"x","accountId":"123456789012"}]`,
			want: []Key{{AccessKeyID: "AK1", SecretAccessKey: "x", AccountID: "123456789012", UserID: "123456789012"}}},
		{name: "ErrNotJSON", content: `accessKeyId: AK1`, wantErr: "not a JSON array of keys"},
		{name: "ErrObject", content: `{"accessKeyId":"AK1"}`, wantErr: "not a JSON array of keys"},
		{name: "ErrUnknownMember", content: `[{"accessKeyId":"AK1","secret":"` + secret + `"}]`, wantErr: `unknown field "secret"`},
		{name: "ErrEmpty", content: `[]`, wantErr: "no access keys"},
		{name: "ErrNoSecret", content: `[{"accessKeyId":"AK1"}]`, wantErr: "key 1: access key AK1 has an empty secret"},
		{name: "ErrBadKeyID", content: `[{"accessKeyId":"AK/1","secretAccessKey":"` + secret + `"}]`, wantErr: `key 1: access key id "AK/1" must be`},
		{name: "ErrAccount", content: `[{"accessKeyId":"AK1","secretAccessKey":"` + secret + `","accountId":"12"}]`, wantErr: `account id "12" must be 12 digits`},
		{name: "ErrDuplicate", content: `[{"accessKeyId":"AK1","secretAccessKey":"a"},{"accessKeyId":"AK1","secretAccessKey":"b"}]`, wantErr: "key 2: access key AK1 appears twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := LoadKeysFile(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), secret) {
					t.Errorf("err = %v; want one containing %q, without the secret", err, tt.wantErr)
				}
				return
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) || got[0].SecretAccessKey != tt.want[0].SecretAccessKey {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	t.Run("ErrMissingFile", func(t *testing.T) {
		if _, err := LoadKeysFile(filepath.Join(t.TempDir(), "nope.json")); err == nil {
			t.Error("no error")
		}
	})
}

func TestKeysFromEnv(t *testing.T) {
	for _, tt := range []struct {
		name             string
		id, secret, acct string
		want             []Key
		wantErr          bool
	}{
		{name: "OKUnset"},
		{name: "OK", id: "AK1", secret: secret, want: []Key{{AccessKeyID: "AK1", SecretAccessKey: secret, AccountID: LocalAccountID, UserID: LocalAccountID}}},
		{name: "OKAccount", id: "AK1", secret: secret, acct: "123456789012", want: []Key{{AccessKeyID: "AK1", SecretAccessKey: secret, AccountID: "123456789012", UserID: "123456789012"}}},
		{name: "ErrOnlyID", id: "AK1", wantErr: true},
		{name: "ErrOnlySecret", secret: secret, wantErr: true},
		{name: "ErrAccount", id: "AK1", secret: secret, acct: "x", wantErr: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvAccessKeyID, tt.id)
			t.Setenv(EnvSecretAccessKey, tt.secret)
			t.Setenv(EnvAccountID, tt.acct)
			got, err := KeysFromEnv()
			if (err != nil) != tt.wantErr || fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", tt.want) {
				t.Errorf("got %v, %v; want %v (error %v)", got, err, tt.want, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("error shows the secret: %v", err)
			}
			if len(got) == 1 && got[0].SecretAccessKey != secret {
				t.Errorf("secret = %q", got[0].SecretAccessKey)
			}
		})
	}
}

func TestKey_String(t *testing.T) {
	k := Key{AccessKeyID: "AK1", SecretAccessKey: secret, AccountID: "123456789012", UserID: "u"}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("key", "key", k)
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s", k, k, k, k), fmt.Sprint([]Key{k}), logs.String()} {
		if strings.Contains(s, secret) || !strings.Contains(s, "AK1") {
			t.Errorf("shows the secret or hides the key id: %s", s)
		}
	}
}

func TestNewKeyAuth(t *testing.T) {
	if _, err := NewKeyAuth(nil, nil); err == nil {
		t.Error("ErrNoKeys: no error")
	}
	if a, err := NewKeyAuth([]Key{{AccessKeyID: "A", SecretAccessKey: "s"}}, nil); err != nil || a.now == nil {
		t.Errorf("OK: %v", err)
	}
}

func TestLocalAuth_Authenticate(t *testing.T) {
	for _, tt := range []struct{ name, header, wantUser string }{
		{"OKUnsigned", "", LocalAccountID},
		{"OKSigned", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20240101/us-east-1/datapipeline/aws4_request, SignedHeaders=host, Signature=00", "AKIDLOCAL"},
		{"OKBadSignatureIgnored", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/1/2/3/4, SignedHeaders=host, Signature=zz", "AKIDLOCAL"},
		{"OKMalformed", "Bearer xyz", LocalAccountID},
		{"OKOddKeyIgnored", "AWS4-HMAC-SHA256 Credential=a\u0001b/1/2/3/4, SignedHeaders=host, Signature=zz", LocalAccountID},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			c, err := LocalAuth{}.Authenticate(r, nil)
			if err != nil || c != (control.Caller{AccountID: LocalAccountID, UserID: tt.wantUser}) {
				t.Errorf("got %+v, %v", c, err)
			}
		})
	}
}
