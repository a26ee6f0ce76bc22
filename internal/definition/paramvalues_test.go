package definition

import (
	"reflect"
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
)

func TestParseParameterValues(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			args []string
			want []pipeline.ParameterValue
		}{
			{nil, nil},
			{[]string{"myA=x"}, []pipeline.ParameterValue{loadVal("myA", "x")}},
			{[]string{"myA=x=y", "myB="}, []pipeline.ParameterValue{loadVal("myA", "x=y"), loadVal("myB", "")}},
			{[]string{"myA=1", "myB=2", "myA=3"}, []pipeline.ParameterValue{loadVal("myA", "1"), loadVal("myA", "3"), loadVal("myB", "2")}},
			{[]string{"=v"}, []pipeline.ParameterValue{loadVal("", "v")}},
		}
		for _, tt := range tests {
			got, err := ParseParameterValues(tt.args)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseParameterValues(%q) = %v, %v; want %v", tt.args, got, err, tt.want)
			}
		}
	})
	t.Run("ErrFormat", func(t *testing.T) {
		_, err := ParseParameterValues([]string{"myA=1", "myB"})
		if err == nil || err.Error() != "Invalid inline parameter format: myB" {
			t.Errorf("err = %v", err)
		}
	})
}

func TestMerge(t *testing.T) {
	objs := []pipeline.Object{{ID: "A", Name: "A"}}
	defParams := []pipeline.ParameterObject{{ID: "myDef"}}
	defVals := []pipeline.ParameterValue{loadVal("myDef", "1")}
	def := &Document{Definition: Definition{Objects: objs, Parameters: defParams, Values: defVals}}
	params := &Document{Definition: Definition{Parameters: []pipeline.ParameterObject{{ID: "mySep"}}}}
	vals := []pipeline.ParameterValue{loadVal("mySep", "2")}
	tests := []struct {
		name       string
		def        *Document
		params     *Document
		vals       []pipeline.ParameterValue
		haveValues bool
		want       Definition
	}{
		{"embedded", def, nil, nil, false, def.Definition},
		{"separate", def, params, vals, true, Definition{Objects: objs, Parameters: params.Parameters, Values: vals}},
		{"emptyValuesReplace", def, nil, nil, true, Definition{Objects: objs, Parameters: defParams}},
		{"emptyParamsFileReplaces", def, &Document{}, nil, false, Definition{Objects: objs, Values: defVals}},
		{"noDefinition", nil, params, vals, true, Definition{Parameters: params.Parameters, Values: vals}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Merge(tt.def, tt.params, tt.vals, tt.haveValues); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Merge = %+v, want %+v", got, tt.want)
			}
		})
	}
}
