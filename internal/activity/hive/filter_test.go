package hive_test

import (
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity/hive"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

func TestFilter_Keep(t *testing.T) {
	rec := format.Record{
		{Name: "id", Value: format.Str("a-17")},
		{Name: "Score", Value: format.Num("42")},
		{Name: "ok", Value: format.Value{Kind: format.Bool, Bool: true}},
		{Name: "gone", Value: format.Value{}},
	}
	for _, tc := range []struct {
		sql  string
		keep bool
	}{
		{"", true},
		{"score > 9", true},
		{"WHERE score > 9", true},
		{"score > 100", false},
		{"score = 42.0", true},
		{"score >= '100'", false},
		{"id = 'a-17' AND score <> 0", true},
		{"id = \"b\" OR ok = TRUE", true},
		{"NOT (score < 50)", false},
		{"id LIKE 'a-%'", true},
		{"id NOT LIKE 'b%'", true},
		{"id IN ('x', 'a-17')", true},
		{"id NOT IN ('x', 'y')", true},
		{"score BETWEEN 40 AND 50", true},
		{"score NOT BETWEEN 40 AND 50", false},
		{"gone IS NULL AND missing IS NULL", true},
		{"gone IS NOT NULL", false},
		{"missing = 1", false},
		{"NOT missing = 1", false},
		{"missing = 1 OR `Score` = 42", true},
		{"id IN ('x', NULL)", false},
		{"score > -1e3", true},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			f, err := hive.ParseFilter(tc.sql)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Keep(rec); got != tc.keep {
				t.Errorf("Keep = %v; want %v", got, tc.keep)
			}
		})
	}
}

func TestParseFilter(t *testing.T) {
	for _, tc := range []struct{ sql, want string }{
		{"score >", "at 7: want a column or a value"},
		{"upper(id) = 'A'", "at 5: want a comparison operator"},
		{"score + 1 > 2", `at 6: unexpected '+'`},
		{"id = 'open", "at 5: unterminated string"},
		{"(id = 'a'", "want )"},
		{"id IS 3", "want NULL after IS"},
		{"id NOT = 3", "want IN, LIKE or BETWEEN after NOT"},
		{"id IN ('a' 'b')", "want , or )"},
		{"id LIKE x", "want a 'pattern' after LIKE"},
		{"id = 1 extra", `at 7: unexpected "extra"`},
		{"id ! 1", `"!" is not a comparison operator`},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			_, err := hive.ParseFilter(tc.sql)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
}
