package taskrunner

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// objectsFromSDK converts a task's objects. An object without an id
// takes its map key; fields without a key are dropped; a field with
// neither value is an empty string.
func objectsFromSDK(in map[string]types.PipelineObject) map[string]pipeline.Object {
	out := make(map[string]pipeline.Object, len(in))
	for key, o := range in {
		obj := pipeline.Object{ID: key, Name: aws.ToString(o.Name)}
		if o.Id != nil && *o.Id != "" {
			obj.ID = *o.Id
		}
		for _, f := range o.Fields {
			if f.Key == nil {
				continue
			}
			if f.RefValue != nil {
				obj.Fields = append(obj.Fields, pipeline.Reference(*f.Key, *f.RefValue))
			} else {
				obj.Fields = append(obj.Fields, pipeline.String(*f.Key, aws.ToString(f.StringValue)))
			}
		}
		out[key] = obj
	}
	return out
}

// fieldsToSDK converts progress fields.
func fieldsToSDK(fs []pipeline.Field) []types.Field {
	if len(fs) == 0 {
		return nil
	}
	out := make([]types.Field, len(fs))
	for i, f := range fs {
		out[i] = types.Field{Key: aws.String(f.Key)}
		if f.Ref {
			out[i].RefValue = aws.String(f.Value)
		} else {
			out[i].StringValue = aws.String(f.Value)
		}
	}
	return out
}
