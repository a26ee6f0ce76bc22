package notify

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// snsNotification is the SNS HTTP notification that goaws POSTs to a
// subscriber.
type snsNotification struct {
	Type, TopicArn, Subject, Message string
	MessageAttributes                map[string]struct{ Type, Value string }
}

// subscribedTopic creates a uniquely named topic on goaws at endpoint,
// subscribes a test HTTP server to it, and returns the topic's ARN and the
// notifications the server receives. Subscribing takes goaws a second.
func subscribedTopic(t *testing.T, endpoint string) (string, <-chan snsNotification) {
	t.Helper()
	got := make(chan snsNotification, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n snsNotification
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			t.Errorf("subscriber: decode: %v", err)
		}
		if n.Type == "Notification" {
			got <- n
		}
	}))
	t.Cleanup(srv.Close)
	admin := sns.New(sns.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint), Credentials: testCredentials})
	topic, err := admin.CreateTopic(t.Context(), &sns.CreateTopicInput{Name: aws.String("datapipe-" + rand.Text())})
	if err != nil {
		t.Fatalf("CreateTopic: %v", err)
	}
	_, err = admin.Subscribe(t.Context(), &sns.SubscribeInput{TopicArn: topic.TopicArn,
		Protocol: aws.String("http"), Endpoint: aws.String(srv.URL + "/sns")})
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	return *topic.TopicArn, got
}

// receive returns the next notification, failing after 10 s.
func receive(t *testing.T, got <-chan snsNotification) snsNotification {
	t.Helper()
	select {
	case n := <-got:
		return n
	case <-time.After(10 * time.Second):
		t.Fatal("no notification reached the subscriber")
		return snsNotification{}
	}
}

// The subtests share one topic and run in order: goaws's subscription
// state is not safe for concurrent use.
func TestSNS_Notify(t *testing.T) {
	endpoint := serverEnv(t, "DATAPIPE_TEST_SNS_ENDPOINT")
	arn, got := subscribedTopic(t, endpoint)
	n, err := NewSNS(SNSConfig{Endpoint: endpoint, Credentials: testCredentials})
	if err != nil {
		t.Fatalf("NewSNS: %v", err)
	}
	t.Run("OK", func(t *testing.T) {
		m := testMessage(rand.Text())
		m.TopicArn = arn
		if err := n.Notify(t.Context(), m); err != nil {
			t.Fatalf("Notify: %v", err)
		}
		r := receive(t, got)
		if r.TopicArn != arn || r.Subject != m.Subject || r.Message != m.Body {
			t.Errorf("received %+v, want topic %s subject %q message %q", r, arn, m.Subject, m.Body)
		}
		for name, want := range map[string]string{"datapipe.event": m.Event, "datapipe.pipelineId": m.PipelineID,
			"datapipe.objectId": m.ObjectID, "datapipe.nodeId": m.NodeID} {
			if a := r.MessageAttributes[name]; a.Type != "String" || a.Value != want {
				t.Errorf("attribute %s = %+v, want String %q", name, a, want)
			}
		}
	})
	t.Run("OKTruncatedSubject", func(t *testing.T) {
		m := testMessage(strings.Repeat("long ", 30))
		m.TopicArn = arn
		if err := n.Notify(t.Context(), m); err != nil {
			t.Fatalf("Notify: %v", err)
		}
		if r := receive(t, got); r.Subject != Subject(m.Subject) || len(r.Subject) != MaxSubjectChars {
			t.Errorf("received subject %q, want %q", r.Subject, Subject(m.Subject))
		}
	})
	t.Run("ErrTopicNotFound", func(t *testing.T) {
		m := testMessage("x")
		m.TopicArn = "arn:aws:sns:us-east-1:100010001000:datapipe-missing-" + rand.Text()
		err := n.Notify(t.Context(), m)
		if err == nil || !strings.Contains(err.Error(), m.TopicArn) {
			t.Errorf("Notify = %v, want an error naming the topic", err)
		}
	})
	t.Run("ErrEmptyTopic", func(t *testing.T) {
		m := testMessage("x")
		m.TopicArn = ""
		if err := n.Notify(t.Context(), m); err == nil {
			t.Error("Notify succeeded without a topic ARN")
		}
	})
}

func TestArnRegion(t *testing.T) {
	tests := []struct{ arn, want string }{
		{"arn:aws:sns:eu-west-1:123456789012:alerts", "eu-west-1"},
		{"arn:aws-cn:sns:cn-north-1:123456789012:a:b", "cn-north-1"},
		{"alerts", ""},
		{"urn:aws:sns:eu-west-1:1:x", ""},
	}
	for _, tt := range tests {
		if got := arnRegion(tt.arn); got != tt.want {
			t.Errorf("arnRegion(%q) = %q, want %q", tt.arn, got, tt.want)
		}
	}
}

func TestSNS_regionFor(t *testing.T) {
	tests := []struct {
		configured, arn, want string
	}{
		{"", "arn:aws:sns:eu-west-1:123456789012:alerts", "eu-west-1"},
		{"us-east-2", "arn:aws:sns:eu-west-1:123456789012:alerts", "client"},
		{"", "not-an-arn", "client"},
	}
	for _, tt := range tests {
		o := sns.Options{Region: "client"}
		(&SNS{region: tt.configured}).regionFor(tt.arn)(&o)
		if o.Region != tt.want {
			t.Errorf("region %q, topic %q: signed for %q, want %q", tt.configured, tt.arn, o.Region, tt.want)
		}
	}
}
