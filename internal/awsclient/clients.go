package awsclient

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// S3 returns the S3 client for region ("" means the default region), with
// the configured endpoint and path-style addressing. Errors are those of
// AWSConfig.
func (f *Factory) S3(ctx context.Context, region string) (*s3.Client, error) {
	return cached(ctx, f, "s3", region, func(cfg aws.Config, ep string) *s3.Client {
		return s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.BaseEndpoint = baseEndpoint(ep)
			o.UsePathStyle = f.aws.S3ForcePathStyle
		})
	})
}

// DynamoDB returns the DynamoDB client for region ("" means the default
// region), with the configured endpoint. Errors are those of AWSConfig.
func (f *Factory) DynamoDB(ctx context.Context, region string) (*dynamodb.Client, error) {
	return cached(ctx, f, "dynamodb", region, func(cfg aws.Config, ep string) *dynamodb.Client {
		return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = baseEndpoint(ep) })
	})
}

// SNS returns the SNS client for region ("" means the default region),
// with the configured endpoint. Errors are those of AWSConfig.
func (f *Factory) SNS(ctx context.Context, region string) (*sns.Client, error) {
	return cached(ctx, f, "sns", region, func(cfg aws.Config, ep string) *sns.Client {
		return sns.NewFromConfig(cfg, func(o *sns.Options) { o.BaseEndpoint = baseEndpoint(ep) })
	})
}
