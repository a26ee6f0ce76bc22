package pipeline

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorCode(t *testing.T) {
	wrapped := fmt.Errorf("activate df-1: %w", Errorf(CodePipelineNotFound, "pipeline %s not found", "df-1"))
	for _, tt := range []struct {
		name string
		err  error
		want Code
	}{
		{"Nil", nil, ""},
		{"Domain", Errorf(CodeInvalidRequest, "bad"), CodeInvalidRequest},
		{"Wrapped", wrapped, CodePipelineNotFound},
		{"Foreign", errors.New("disk on fire"), CodeInternal},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.err); got != tt.want {
				t.Errorf("ErrorCode = %q; want %q", got, tt.want)
			}
		})
	}
	if got := ErrorMessage(wrapped); got != "pipeline df-1 not found" {
		t.Errorf("ErrorMessage = %q", got)
	}
}

func TestObject_Get(t *testing.T) {
	o := Object{ID: "A", Fields: []Field{String("type", "S3DataNode"), Reference("input", "X"), Reference("input", "Y")}}
	if o.Type() != "S3DataNode" {
		t.Errorf("Type = %q", o.Type())
	}
	if all := o.All("input"); len(all) != 2 || all[1].Value != "Y" || !all[1].Ref {
		t.Errorf("All(input) = %v", all)
	}
	if _, ok := o.StringValue("input"); ok {
		t.Error("StringValue on a reference should be false")
	}
	if keys := o.Keys(); len(keys) != 2 {
		t.Errorf("Keys = %v", keys)
	}
}

func TestIsUserField(t *testing.T) {
	for key, want := range map[string]bool{"myComment": true, "my_ref": true, "my": false, "mycomment": false, "myx": false, "command": false} {
		if IsUserField(key) != want {
			t.Errorf("IsUserField(%q) != %v", key, want)
		}
	}
}
