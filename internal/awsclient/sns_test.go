package awsclient

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datapipe/datapipe/internal/config"
)

func TestFactory_SNS(t *testing.T) {
	ctx := context.Background()
	f := New(Config{AWS: config.AWS{Region: "us-east-1",
		Endpoints:   map[string]string{"sns": serverEnv(t, "DATAPIPE_TEST_SNS_ENDPOINT")},
		AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"}})
	c, err := f.SNS(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	name := uniqueName("awsclient")
	out, err := c.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateTopic: %v", err)
	}
	if !strings.HasSuffix(aws.ToString(out.TopicArn), ":"+name) {
		t.Fatalf("TopicArn %q; want one ending in :%s", aws.ToString(out.TopicArn), name)
	}
}
