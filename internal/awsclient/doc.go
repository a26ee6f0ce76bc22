// Package awsclient builds aws-sdk-go-v2 clients (S3, DynamoDB, SNS) from
// the aws section of datapipe's configuration file (config.AWS).
//
// A Factory resolves, for a service and a region, the endpoint
// (aws.regionEndpoints.<region>.<service> over aws.endpoints.<service>
// over the SDK's own resolution), S3 path-style addressing and the
// credentials (the file's static keys, else the SDK's default chain:
// AWS_ACCESS_KEY_ID…, shared files, container and instance roles). It
// builds one client per (service, region) and reuses it.
//
// The region of a data node is chosen by Factory.Region: the node's own
// `region` field, else the `region` of the resource it runs on, else the
// configured default region.
package awsclient
