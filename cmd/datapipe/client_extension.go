package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// withMembers adds members the SDK does not model (datapipe's extensions,
// such as ActivatePipeline's backfillFrom and backfillTo) to a request's
// JSON body. It runs at the end of serialisation, so the content length
// and the signature cover the final body.
func withMembers(members map[string]any) func(*datapipeline.Options) {
	return func(o *datapipeline.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Serialize.Add(middleware.SerializeMiddlewareFunc("datapipeExtensionMembers",
				func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
					if err := addMembers(in.Request, members); err != nil {
						return middleware.SerializeOutput{}, middleware.Metadata{}, err
					}
					return next.HandleSerialize(ctx, in)
				}), middleware.After)
		})
	}
}

// addMembers rewrites the request body with the extra members.
func addMembers(request any, members map[string]any) error {
	req, ok := request.(*smithyhttp.Request)
	if !ok {
		return fmt.Errorf("extension members: unexpected request type %T", request)
	}
	body := map[string]any{}
	if s := req.GetStream(); s != nil {
		data, err := io.ReadAll(s)
		if err != nil {
			return err
		}
		if len(data) > 0 {
			if err := json.Unmarshal(data, &body); err != nil {
				return fmt.Errorf("extension members: %w", err)
			}
		}
	}
	for k, v := range members {
		body[k] = v
	}
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	out, err := req.SetStream(bytes.NewReader(data))
	if err != nil {
		return err
	}
	*req = *out
	return nil
}

// epochSeconds is a timestamp member as the JSON 1.1 protocol sends it.
func epochSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
