package emr

import (
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

// toRecord converts a DynamoDB item to a record, attributes in name
// order so that exports are reproducible.
func toRecord(item map[string]types.AttributeValue) format.Record {
	rec := make(format.Record, 0, len(item))
	for _, name := range slices.Sorted(maps.Keys(item)) {
		rec = append(rec, format.Field{Name: name, Value: toValue(item[name])})
	}
	return rec
}

// toValue converts one attribute value.
func toValue(av types.AttributeValue) format.Value {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return format.Value{Kind: format.String, Str: v.Value}
	case *types.AttributeValueMemberN:
		return format.Value{Kind: format.Number, Str: v.Value}
	case *types.AttributeValueMemberB:
		return format.Value{Kind: format.Binary, Str: string(v.Value)}
	case *types.AttributeValueMemberBOOL:
		return format.Value{Kind: format.Bool, Bool: v.Value}
	case *types.AttributeValueMemberSS:
		return format.Value{Kind: format.StringSet, List: scalars(format.String, v.Value)}
	case *types.AttributeValueMemberNS:
		return format.Value{Kind: format.NumberSet, List: scalars(format.Number, v.Value)}
	case *types.AttributeValueMemberBS:
		list := make([]format.Value, len(v.Value))
		for i, b := range v.Value {
			list[i] = format.Value{Kind: format.Binary, Str: string(b)}
		}
		return format.Value{Kind: format.BinarySet, List: list}
	case *types.AttributeValueMemberL:
		list := make([]format.Value, len(v.Value))
		for i, e := range v.Value {
			list[i] = toValue(e)
		}
		return format.Value{Kind: format.List, List: list}
	case *types.AttributeValueMemberM:
		return format.Value{Kind: format.Map, Map: toRecord(v.Value)}
	}
	return format.Value{Kind: format.Null}
}

// scalars wraps strings as values of kind k.
func scalars(k format.Kind, ss []string) []format.Value {
	out := make([]format.Value, len(ss))
	for i, s := range ss {
		out[i] = format.Value{Kind: k, Str: s}
	}
	return out
}

// toItem converts a record to a DynamoDB item. Fields without a name
// cannot be attributes and fail.
func toItem(rec format.Record) (map[string]types.AttributeValue, error) {
	item := make(map[string]types.AttributeValue, len(rec))
	for i, f := range rec {
		if f.Name == "" {
			return nil, fmt.Errorf("field %d has no name", i+1)
		}
		item[f.Name] = toAttribute(f.Value)
	}
	return item, nil
}

// toAttribute converts one value.
func toAttribute(v format.Value) types.AttributeValue {
	switch v.Kind {
	case format.String:
		return &types.AttributeValueMemberS{Value: v.Str}
	case format.Number:
		return &types.AttributeValueMemberN{Value: v.Str}
	case format.Binary:
		return &types.AttributeValueMemberB{Value: []byte(v.Str)}
	case format.Bool:
		return &types.AttributeValueMemberBOOL{Value: v.Bool}
	case format.StringSet, format.NumberSet:
		ss := make([]string, len(v.List))
		for i, e := range v.List {
			ss[i] = e.Str
		}
		if v.Kind == format.StringSet {
			return &types.AttributeValueMemberSS{Value: ss}
		}
		return &types.AttributeValueMemberNS{Value: ss}
	case format.BinarySet:
		bs := make([][]byte, len(v.List))
		for i, e := range v.List {
			bs[i] = []byte(e.Str)
		}
		return &types.AttributeValueMemberBS{Value: bs}
	case format.List:
		list := make([]types.AttributeValue, len(v.List))
		for i, e := range v.List {
			list[i] = toAttribute(e)
		}
		return &types.AttributeValueMemberL{Value: list}
	case format.Map:
		m := make(map[string]types.AttributeValue, len(v.Map))
		for _, f := range v.Map {
			m[f.Name] = toAttribute(f.Value)
		}
		return &types.AttributeValueMemberM{Value: m}
	}
	return &types.AttributeValueMemberNULL{Value: true}
}
