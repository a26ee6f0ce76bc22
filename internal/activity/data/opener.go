package data

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	ddb "github.com/datapipe/datapipe/internal/datanode/dynamodb"
	"github.com/datapipe/datapipe/internal/datanode/file"
	"github.com/datapipe/datapipe/internal/datanode/s3"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Clients builds AWS clients per region; *awsclient.Factory implements
// it.
type Clients interface {
	// S3 returns the S3 client of region ("" for the default).
	S3(ctx context.Context, region string) (*awss3.Client, error)
	// DynamoDB returns the DynamoDB client of region ("" for the default).
	DynamoDB(ctx context.Context, region string) (*dynamodb.Client, error)
	// Region picks a node's region: nodeRegion, else resourceRegion, else
	// the default.
	Region(nodeRegion, resourceRegion string) string
}

// Config configures an Opener; zero fields take defaults.
type Config struct {
	// AWS builds the S3 and DynamoDB clients. Nil: s3:// nodes and
	// DynamoDB fail with NotSupported, saying the runner has no AWS
	// configuration.
	AWS Clients
	// S3 tunes S3 transfers.
	S3 s3.Config
	// SQL tunes SQL nodes.
	SQL dsql.Config
	// DynamoDB tunes DynamoDB nodes.
	DynamoDB ddb.Config
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// Opener opens the data nodes and databases of tasks. It is safe for
// concurrent use.
type Opener struct {
	cfg Config
}

// New returns an Opener for cfg.
func New(cfg Config) *Opener {
	cfg.Logger = cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	if cfg.S3.Logger == nil {
		cfg.S3.Logger = cfg.Logger
	}
	if cfg.SQL.Logger == nil {
		cfg.SQL.Logger = cfg.Logger
	}
	if cfg.DynamoDB.Logger == nil {
		cfg.DynamoDB.Logger = cfg.Logger
	}
	return &Opener{cfg: cfg}
}

// Kind is how a data node is read and written.
type Kind int

// The kinds of data node.
const (
	// KindFiles: S3DataNode, a byte-stream node (datanode.Files).
	KindFiles Kind = iota + 1
	// KindSQL: SqlDataNode, MySqlDataNode or RedshiftDataNode.
	KindSQL
	// KindDynamoDB: DynamoDBDataNode.
	KindDynamoDB
)

// KindOf classifies a data node by its type; ok is false for a type that
// is not a data node this runner moves data of.
func KindOf(obj pipeline.Object) (Kind, bool) {
	switch obj.Type() {
	case "S3DataNode":
		return KindFiles, true
	case "SqlDataNode", "MySqlDataNode", "RedshiftDataNode":
		return KindSQL, true
	case "DynamoDBDataNode":
		return KindDynamoDB, true
	}
	return 0, false
}

// Lookup returns the task's objects as a datanode.Lookup.
func Lookup(t *activity.Task) datanode.Lookup { return datanode.MapLookup(t.Objects) }

// Region is the region of obj in task t: its region field, else the
// region of the resource the attempt runs on, else the default.
func (o *Opener) Region(t *activity.Task, obj pipeline.Object) string {
	resource := ""
	if res, ok, _ := t.Ref("runsOn"); ok {
		resource = datanode.Str(res, "region")
	}
	nodeRegion := datanode.Str(obj, "region")
	if o.cfg.AWS == nil {
		return cmp.Or(nodeRegion, resource)
	}
	return o.cfg.AWS.Region(nodeRegion, resource)
}

// Files opens an S3DataNode: on S3 for s3:// paths, on the local file
// system for file:// and plain paths.
func (o *Opener) Files(ctx context.Context, t *activity.Task, obj pipeline.Object) (datanode.Files, error) {
	if k, _ := KindOf(obj); k != KindFiles {
		return nil, activity.Errorf(activity.IDInvalidTask, "%s is not an S3DataNode", datanode.Name(obj))
	}
	return o.FilesOf(ctx, t, obj)
}

// FilesOf opens any object with a filePath or directoryPath (and the
// other S3DataNode fields) as a Files node, whatever its type: the
// S3 preconditions check their keys with it.
func (o *Opener) FilesOf(ctx context.Context, t *activity.Task, obj pipeline.Object) (datanode.Files, error) {
	loc, err := datanode.LocationOf(obj)
	if err != nil {
		return nil, err
	}
	if !datanode.IsS3(loc.URI) {
		n, err := file.New(obj, Lookup(t))
		if err != nil {
			return nil, err // not a nil *file.Node in a non-nil Files
		}
		return n, nil
	}
	client, err := o.S3(ctx, t, obj)
	if err != nil {
		return nil, err
	}
	n, err := s3.New(obj, Lookup(t), client, o.cfg.S3)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// S3 returns the S3 client for obj's region.
func (o *Opener) S3(ctx context.Context, t *activity.Task, obj pipeline.Object) (*awss3.Client, error) {
	if o.cfg.AWS == nil {
		return nil, noAWS(obj, "s3://")
	}
	c, err := o.cfg.AWS.S3(ctx, o.Region(t, obj))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", datanode.Name(obj), err)
	}
	return c, nil
}

// DynamoDB returns the DynamoDB client for obj's region.
func (o *Opener) DynamoDB(ctx context.Context, t *activity.Task, obj pipeline.Object) (*dynamodb.Client, error) {
	if o.cfg.AWS == nil {
		return nil, noAWS(obj, "DynamoDB")
	}
	c, err := o.cfg.AWS.DynamoDB(ctx, o.Region(t, obj))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", datanode.Name(obj), err)
	}
	return c, nil
}

// noAWS is the error of a runner built without AWS clients.
func noAWS(obj pipeline.Object, what string) error {
	return activity.Errorf(activity.IDNotSupported, "%s: %s needs AWS clients, and this task runner was built without an AWS configuration", datanode.Name(obj), what)
}

// SQL opens a SqlDataNode, MySqlDataNode or RedshiftDataNode. Close it.
func (o *Opener) SQL(_ context.Context, t *activity.Task, obj pipeline.Object) (*dsql.Node, error) {
	if k, _ := KindOf(obj); k != KindSQL {
		return nil, activity.Errorf(activity.IDInvalidTask, "%s is not a SQL data node", datanode.Name(obj))
	}
	return dsql.New(obj, Lookup(t), o.cfg.SQL)
}

// Table opens a record node: SQL or DynamoDB. Close it.
func (o *Opener) Table(ctx context.Context, t *activity.Task, obj pipeline.Object) (datanode.Table, error) {
	switch k, _ := KindOf(obj); k {
	case KindSQL:
		n, err := o.SQL(ctx, t, obj)
		if err != nil {
			return nil, err
		}
		return n, nil
	case KindDynamoDB:
		return o.dynamoTable(ctx, t, obj)
	}
	return nil, activity.Errorf(activity.IDInvalidTask, "%s is not a SQL or DynamoDB data node", datanode.Name(obj))
}

// Node opens any data node; close releases what it holds (a no-op for
// files).
func (o *Opener) Node(ctx context.Context, t *activity.Task, obj pipeline.Object) (n datanode.Node, closeFn func() error, err error) {
	k, ok := KindOf(obj)
	if !ok {
		return nil, nil, activity.Errorf(activity.IDNotSupported, "%s: data node type %s is not supported", datanode.Name(obj), obj.Type())
	}
	if k == KindFiles {
		f, err := o.Files(ctx, t, obj)
		return f, func() error { return nil }, err
	}
	tb, err := o.Table(ctx, t, obj)
	if err != nil {
		return nil, nil, err
	}
	return tb, tb.Close, nil
}

// Database opens the database an activity or precondition names in its
// database field (or, without one, its own connectionString, username
// and *password), as a SQL node without a table: use its DB, Dialect and
// Begin. Close it.
func (o *Opener) Database(_ context.Context, t *activity.Task, owner pipeline.Object) (*dsql.Node, error) {
	conn := pipeline.Object{ID: owner.ID, Fields: []pipeline.Field{pipeline.String("type", owner.Type()), pipeline.String("table", "-")}}
	for _, key := range []string{"database", "connectionString", "username", "*password", "rdsInstanceId", "jdbcProperties"} {
		conn.Fields = append(conn.Fields, owner.All(key)...)
	}
	return dsql.New(conn, Lookup(t), o.cfg.SQL)
}
