package data

import (
	"context"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// dynamoTable opens a DynamoDBDataNode.
func (o *Opener) dynamoTable(ctx context.Context, t *activity.Task, obj pipeline.Object) (datanode.Table, error) {
	if _, err := o.DynamoDB(ctx, t, obj); err != nil {
		return nil, err
	}
	return nil, activity.Errorf(activity.IDNotSupported, "%s: DynamoDB tables are not supported yet", datanode.Name(obj))
}
