package notify

import (
	"flag"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestCompose(t *testing.T) {
	from, _ := mail.ParseAddress("datapipe <datapipe@example.com>")
	to := []*mail.Address{{Address: "ops@example.com"}, {Name: "Ünïcode Person", Address: "person@example.org"}}
	m := testMessage("golden")
	m.Subject = "Échec: " + m.Subject
	m.NodeID = "@CopyData\r\nBcc: injected@example.com"
	m.Body = "CopyData failed.\n.dot\nünïcode = ok\n" + strings.Repeat("long line ", 10) + "\n"
	got := compose(from, to, m.Normalized(), time.Time{})
	got = regexp.MustCompile(`Message-ID: <[A-Z2-7]+@`).ReplaceAll(got, []byte("Message-ID: <RANDOM@"))
	golden := filepath.Join("testdata", "compose.eml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("compose =\n%s\nwant\n%s", got, want)
	}
	if _, err := mail.ReadMessage(strings.NewReader(string(got))); err != nil {
		t.Errorf("compose: not an RFC 5322 message: %v", err)
	}
}

func TestCompose_DateDefaultsToNow(t *testing.T) {
	from, _ := mail.ParseAddress("dp@example.com")
	m := testMessage("x")
	m.At = time.Time{}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600))
	msg, err := mail.ReadMessage(strings.NewReader(string(compose(from, []*mail.Address{from}, m, now))))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Date"); got != "Fri, 02 Jan 2026 03:04:05 +0100" {
		t.Errorf("Date = %q", got)
	}
}
