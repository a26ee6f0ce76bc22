package dynamodb

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

// Record converts an item to a record, fields in name order.
func Record(item map[string]types.AttributeValue) format.Record {
	names := make([]string, 0, len(item))
	for k := range item {
		names = append(names, k)
	}
	sort.Strings(names)
	rec := make(format.Record, len(names))
	for i, k := range names {
		rec[i] = format.Field{Name: k, Value: Value(item[k])}
	}
	return rec
}

// Value converts an attribute value.
func Value(av types.AttributeValue) format.Value {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return format.Str(v.Value)
	case *types.AttributeValueMemberN:
		return format.Num(v.Value)
	case *types.AttributeValueMemberB:
		return format.Value{Kind: format.Binary, Str: string(v.Value)}
	case *types.AttributeValueMemberBOOL:
		return format.Value{Kind: format.Bool, Bool: v.Value}
	case *types.AttributeValueMemberSS:
		return set(format.StringSet, format.String, v.Value)
	case *types.AttributeValueMemberNS:
		return set(format.NumberSet, format.Number, v.Value)
	case *types.AttributeValueMemberBS:
		out := format.Value{Kind: format.BinarySet, List: make([]format.Value, len(v.Value))}
		for i, b := range v.Value {
			out.List[i] = format.Value{Kind: format.Binary, Str: string(b)}
		}
		return out
	case *types.AttributeValueMemberL:
		out := format.Value{Kind: format.List, List: make([]format.Value, len(v.Value))}
		for i, e := range v.Value {
			out.List[i] = Value(e)
		}
		return out
	case *types.AttributeValueMemberM:
		return format.Value{Kind: format.Map, Map: Record(v.Value)}
	}
	return format.Value{} // NULL and unknown members
}

// set builds a string or number set value.
func set(kind, elem format.Kind, vals []string) format.Value {
	out := format.Value{Kind: kind, List: make([]format.Value, len(vals))}
	for i, s := range vals {
		out.List[i] = format.Value{Kind: elem, Str: s}
	}
	return out
}

// Item converts a record to an item. Every field needs a name.
func Item(rec format.Record) (map[string]types.AttributeValue, error) {
	item := make(map[string]types.AttributeValue, len(rec))
	for i, f := range rec {
		if f.Name == "" {
			return nil, fmt.Errorf("field %d has no name; a DynamoDB item needs attribute names (give the input format a column list)", i+1)
		}
		item[f.Name] = Attribute(f.Value)
	}
	return item, nil
}

// Attribute converts a value to an attribute value.
func Attribute(v format.Value) types.AttributeValue {
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
		if v.Kind == format.NumberSet {
			return &types.AttributeValueMemberNS{Value: ss}
		}
		return &types.AttributeValueMemberSS{Value: ss}
	case format.BinarySet:
		bs := make([][]byte, len(v.List))
		for i, e := range v.List {
			bs[i] = []byte(e.Str)
		}
		return &types.AttributeValueMemberBS{Value: bs}
	case format.List:
		l := make([]types.AttributeValue, len(v.List))
		for i, e := range v.List {
			l[i] = Attribute(e)
		}
		return &types.AttributeValueMemberL{Value: l}
	case format.Map:
		m := make(map[string]types.AttributeValue, len(v.Map))
		for _, f := range v.Map {
			m[f.Name] = Attribute(f.Value)
		}
		return &types.AttributeValueMemberM{Value: m}
	}
	return &types.AttributeValueMemberNULL{Value: true}
}

// itemSize estimates an item's size in bytes as DynamoDB counts it
// (names plus values), for write capacity accounting.
func itemSize(rec format.Record) int {
	n := 0
	for _, f := range rec {
		n += len(f.Name) + valueSize(f.Value)
	}
	return n
}

// valueSize estimates one value's size.
func valueSize(v format.Value) int {
	n := len(v.Str) + 1
	for _, e := range v.List {
		n += valueSize(e)
	}
	for _, f := range v.Map {
		n += len(f.Name) + valueSize(f.Value)
	}
	return n
}
