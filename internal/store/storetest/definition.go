package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// richDefinition exercises everything a definition must keep exactly:
// object, field and parameter order, repeated and interleaved keys,
// references versus strings that look like ids, empty values, objects
// without fields, secrets, escapes and non-ASCII text.
func richDefinition() definition.Definition {
	return definition.Definition{
		Objects: []pipeline.Object{
			{ID: "Default", Name: "Default", Fields: []pipeline.Field{
				pipeline.String("scheduleType", "cron"),
				pipeline.Reference("schedule", "DailySchedule"),
				pipeline.String("failureAndRerunMode", "CASCADE"),
				pipeline.String("role", "DataPipelineDefaultRole"),
			}},
			{ID: "DailySchedule", Name: "Every day", Fields: []pipeline.Field{
				pipeline.String("type", "Schedule"),
				pipeline.String("period", "1 day"),
				pipeline.String("startAt", "FIRST_ACTIVATION_DATE_TIME"),
			}},
			{ID: "Shell", Name: "Shell \"quoted\" <&> ünïcødé ✓", Fields: []pipeline.Field{
				pipeline.String("type", "ShellCommandActivity"),
				pipeline.Reference("dependsOn", "Copy"),
				pipeline.String("command", "echo #{myVar}\nline 2\t\"tab\" \\ \u2028"),
				pipeline.Reference("dependsOn", "Default"),
				pipeline.String("myNote", "Default"),
				pipeline.String("myEmpty", ""),
				pipeline.String("*password", "s3cr3t"),
				pipeline.Reference("runsOn", "Ec2"),
			}},
			{ID: "Copy", Name: "Copy"},
			{ID: "Ec2", Name: "", Fields: []pipeline.Field{pipeline.String("type", "Ec2Resource")}},
		},
		Parameters: []pipeline.ParameterObject{
			{ID: "myVar", Attributes: []pipeline.Attribute{
				{Key: "type", Value: "String"},
				{Key: "allowedValues", Value: "a"},
				{Key: "description", Value: "a variable"},
				{Key: "allowedValues", Value: "b"},
				{Key: "default", Value: "a"},
			}},
			{ID: "*myPassword", Attributes: []pipeline.Attribute{{Key: "type", Value: "String"}}},
			{ID: "myBare"},
		},
		Values: []pipeline.ParameterValue{
			{ID: "myVar", Value: "b"},
			{ID: "myList", Value: "x"},
			{ID: "*myPassword", Value: "hunter2"},
			{ID: "myList", Value: "y"},
			{ID: "myEmpty", Value: ""},
		},
	}
}

// putDefinition saves d as the next version of pipeline id at now.
func putDefinition(t *testing.T, s store.Queries, id string, d definition.Definition, errored bool, now time.Time) store.DefinitionVersion {
	t.Helper()
	return try(s.DefinitionPut(t.Context(), store.DefinitionPutParams{PipelineID: id, Definition: d, Errored: errored, Now: now})).must(t)
}

// getDefinition reads version v of pipeline id.
func getDefinition(t *testing.T, s store.Queries, id string, v int) store.DefinitionVersion {
	t.Helper()
	return try(s.DefinitionGet(t.Context(), store.DefinitionGetParams{PipelineID: id, Version: v})).must(t)
}

// testDefinitionPut: DefinitionPut numbers versions from 1 per pipeline
// and moves LatestVersion with them.
func testDefinitionPut(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		for v := 1; v <= 3; v++ {
			now := at(time.Duration(v) * time.Minute)
			got := putDefinition(t, s, "df-1", richDefinition(), v == 2, now)
			equal(t, "version", []any{got.PipelineID, got.Version, got.Errored, got.CreatedAt}, []any{"df-1", v, v == 2, now})
			equal(t, "latest", try(getPipeline(t, s, acct, "df-1")).must(t).LatestVersion, v)
		}
	})
	t.Run("PerPipeline", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		seed(t, s, "df-2")
		putDefinition(t, s, "df-1", definition.Definition{}, false, at(0))
		putDefinition(t, s, "df-1", definition.Definition{}, false, at(0))
		equal(t, "df-2 first version", putDefinition(t, s, "df-2", definition.Definition{}, false, at(0)).Version, 1)
	})
	t.Run("RoundTrip", func(t *testing.T) { testDefinitionRoundTrip(t, open) })
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, err := s.DefinitionPut(t.Context(), store.DefinitionPutParams{PipelineID: "df-unknown", Now: at(0)})
		wantErr(t, err, store.ErrNotFound)
	})
	t.Run("ErrDeleted", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		deletePipeline(t, s, "df-1")
		_, err := s.DefinitionPut(t.Context(), store.DefinitionPutParams{PipelineID: "df-1", Now: at(0)})
		wantErr(t, err, store.ErrDeleted)
	})
}

// testDefinitionRoundTrip: a definition reads back exactly as saved.
func testDefinitionRoundTrip(t *testing.T, open Opener) {
	tests := []struct {
		name string
		def  definition.Definition
	}{
		{"Empty", definition.Definition{}},
		{"Rich", richDefinition()},
		{"ObjectsOnly", definition.Definition{Objects: richDefinition().Objects}},
		{"ValuesOnly", definition.Definition{Values: richDefinition().Values}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			put := putDefinition(t, s, "df-1", tt.def, false, at(0))
			got := getDefinition(t, s, "df-1", put.Version)
			equal(t, "definition", canonDefinition(got.Definition), canonDefinition(tt.def))
			equal(t, "put result", canonDefinition(put.Definition), canonDefinition(tt.def))
		})
	}
}

// testDefinitionGet: DefinitionGet reads any saved version.
func testDefinitionGet(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		first := richDefinition()
		second := definition.Definition{Objects: []pipeline.Object{{ID: "Default", Name: "Default"}}}
		putDefinition(t, s, "df-1", first, true, at(time.Minute))
		putDefinition(t, s, "df-1", second, false, at(2*time.Minute))
		v1 := getDefinition(t, s, "df-1", 1)
		equal(t, "v1", []any{v1.PipelineID, v1.Version, v1.Errored, v1.CreatedAt}, []any{"df-1", 1, true, at(time.Minute)})
		equal(t, "v1 definition", canonDefinition(v1.Definition), canonDefinition(first))
		v2 := getDefinition(t, s, "df-1", 2)
		equal(t, "v2", []any{v2.Version, v2.Errored, v2.CreatedAt}, []any{2, false, at(2 * time.Minute)})
		equal(t, "v2 definition", canonDefinition(v2.Definition), canonDefinition(second))
	})
	tests := []struct {
		name     string
		pipeline string
		version  int
	}{
		{"ErrNotFound/VersionZero", "df-1", 0},
		{"ErrNotFound/NotYetSaved", "df-1", 2},
		{"ErrNotFound/Negative", "df-1", -1},
		{"ErrNotFound/UnknownPipeline", "df-unknown", 1},
		{"ErrNotFound/OtherPipeline", "df-2", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			seed(t, s, "df-2")
			putDefinition(t, s, "df-1", richDefinition(), false, at(0))
			_, err := s.DefinitionGet(t.Context(), store.DefinitionGetParams{PipelineID: tt.pipeline, Version: tt.version})
			wantErr(t, err, store.ErrNotFound)
		})
	}
}
