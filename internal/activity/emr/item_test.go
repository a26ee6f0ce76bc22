package emr

import (
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

func TestToRecord(t *testing.T) {
	item := map[string]types.AttributeValue{
		"id":   &types.AttributeValueMemberS{Value: "a\nb"},
		"n":    &types.AttributeValueMemberN{Value: "1.5"},
		"bin":  &types.AttributeValueMemberB{Value: []byte{0, 1, 2}},
		"ok":   &types.AttributeValueMemberBOOL{Value: true},
		"none": &types.AttributeValueMemberNULL{Value: true},
		"ss":   &types.AttributeValueMemberSS{Value: []string{"x", "y"}},
		"ns":   &types.AttributeValueMemberNS{Value: []string{"1", "2"}},
		"bs":   &types.AttributeValueMemberBS{Value: [][]byte{{9}}},
		"list": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberS{Value: "e"}}},
		"map":  &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"k": &types.AttributeValueMemberN{Value: "7"}}},
	}
	rec := toRecord(item)
	var b strings.Builder
	format.AppendItemJSON(&b, rec)
	want := `{"bin":{"b":"AAEC"},"bs":{"bS":["CQ=="]},"id":{"s":"a\nb"},"list":{"l":[{"s":"e"}]},"map":{"m":{"k":{"n":"7"}}},` +
		`"n":{"n":"1.5"},"none":{"nULLValue":true},"ns":{"nS":["1","2"]},"ok":{"bOOL":true},"ss":{"sS":["x","y"]}}`
	if b.String() != want {
		t.Fatalf("export line\n got %s\nwant %s", b.String(), want)
	}
	back, err := toItem(rec)
	if err != nil || !reflect.DeepEqual(back, item) {
		t.Fatalf("toItem(toRecord(item)) = %v, %v; want the item back", back, err)
	}
	t.Run("ErrUnnamed", func(t *testing.T) {
		if _, err := toItem(format.Record{{Value: format.Str("x")}}); err == nil {
			t.Fatal("want an error")
		}
	})
}
