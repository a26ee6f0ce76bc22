package precondition

import (
	"context"
	"errors"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	ddb "github.com/datapipe/datapipe/internal/datanode/dynamodb"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// DynamoDBTableExists executes DynamoDBTableExists attempts.
type DynamoDBTableExists struct{ open *data.Opener }

// DynamoDBDataExists executes DynamoDBDataExists attempts.
type DynamoDBDataExists struct{ open *data.Opener }

var (
	_ activity.Executor = (*DynamoDBTableExists)(nil)
	_ activity.Executor = (*DynamoDBDataExists)(nil)
)

// NewDynamoDBTableExists returns the DynamoDBTableExists executor.
func NewDynamoDBTableExists(open *data.Opener) *DynamoDBTableExists {
	return &DynamoDBTableExists{open: open}
}

// NewDynamoDBDataExists returns the DynamoDBDataExists executor.
func NewDynamoDBDataExists(open *data.Opener) *DynamoDBDataExists {
	return &DynamoDBDataExists{open: open}
}

// Execute checks that the table exists.
func (p *DynamoDBTableExists) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	n, err := table(ctx, p.open, t)
	if err != nil {
		return 0, err
	}
	ok, err := n.Exists(ctx)
	return outcome(env, ok, err, "table "+n.TableName())
}

// Execute checks that the table holds an item.
func (p *DynamoDBDataExists) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	n, err := table(ctx, p.open, t)
	if err != nil {
		return 0, err
	}
	ok, err := n.HasItems(ctx)
	if errors.Is(err, datanode.ErrNotFound) {
		ok, err = false, nil
	}
	return outcome(env, ok, err, "table "+n.TableName())
}

// table opens tableName in the precondition's region, else the guarded
// node's.
func table(ctx context.Context, open *data.Opener, t *activity.Task) (*ddb.Node, error) {
	tbl, err := required(t, "tableName")
	if err != nil {
		return nil, err
	}
	obj := self(t, pipeline.String("tableName", tbl))
	if _, ok := t.Field("region"); !ok {
		if node, found, _ := t.Ref("node"); found && datanode.Str(node, "region") != "" {
			obj.Fields = append(obj.Fields, pipeline.String("region", datanode.Str(node, "region")))
		}
	}
	c, err := open.DynamoDB(ctx, t, obj)
	if err != nil {
		return nil, err
	}
	n, err := ddb.New(obj, data.Lookup(t), c, ddb.Config{})
	return n, data.Fail(err)
}
