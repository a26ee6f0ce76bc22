package data

import (
	"context"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	ddb "github.com/datapipe/datapipe/internal/datanode/dynamodb"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// DynamoDBTable opens a DynamoDBDataNode with the client of its region.
func (o *Opener) DynamoDBTable(ctx context.Context, t *activity.Task, obj pipeline.Object) (*ddb.Node, error) {
	if k, _ := KindOf(obj); k != KindDynamoDB {
		return nil, activity.Errorf(activity.IDInvalidTask, "%s is not a DynamoDBDataNode", datanode.Name(obj))
	}
	c, err := o.DynamoDB(ctx, t, obj)
	if err != nil {
		return nil, err
	}
	return ddb.New(obj, Lookup(t), c, o.cfg.DynamoDB)
}

// dynamoTable opens a DynamoDBDataNode as a Table.
func (o *Opener) dynamoTable(ctx context.Context, t *activity.Task, obj pipeline.Object) (datanode.Table, error) {
	n, err := o.DynamoDBTable(ctx, t, obj)
	if err != nil {
		return nil, err // not a nil *ddb.Node in a non-nil Table
	}
	return n, nil
}
