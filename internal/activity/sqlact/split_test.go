package sqlact_test

import (
	"reflect"
	"testing"

	"github.com/datapipe/datapipe/internal/activity/sqlact"
)

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		bs           bool
		want         []sqlact.Statement
	}{
		{"OKTwo", "INSERT INTO t VALUES (?, ?);\nDELETE FROM t WHERE id = ?", false,
			[]sqlact.Statement{{"INSERT INTO t VALUES (?, ?)", 1, 2}, {"DELETE FROM t WHERE id = ?", 2, 1}}},
		{"OKQuotes", "SELECT ';?', \"a;?\" FROM t -- ; ?\n;", false,
			[]sqlact.Statement{{"SELECT ';?', \"a;?\" FROM t -- ; ?", 1, 0}}},
		{"OKDoubledQuote", "SELECT 'it''s; ?'; SELECT 2", false,
			[]sqlact.Statement{{"SELECT 'it''s; ?'", 1, 0}, {"SELECT 2", 1, 0}}},
		{"OKBackslashMySQL", `SELECT 'a\';?'; SELECT ?`, true,
			[]sqlact.Statement{{`SELECT 'a\';?'`, 1, 0}, {"SELECT ?", 1, 1}}},
		{"OKDollar", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\nSELECT $1", false,
			[]sqlact.Statement{{"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql", 1, 0}, {"SELECT $1", 3, 0}}},
		{"OKTaggedDollar", "DO $x$ BEGIN PERFORM 1; END $x$", false,
			[]sqlact.Statement{{"DO $x$ BEGIN PERFORM 1; END $x$", 1, 0}}},
		{"OKBlockComment", "/* a; ? */\nSELECT 1; /* only */ ;", false,
			[]sqlact.Statement{{"/* a; ? */\nSELECT 1", 2, 0}}},
		{"OKEmpty", " ;; -- nothing\n", false, nil},
		{"OKUnterminated", "SELECT 'abc", false, []sqlact.Statement{{"SELECT 'abc", 1, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sqlact.Split(tc.script, tc.bs); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Split(%q) = %#v; want %#v", tc.script, got, tc.want)
			}
		})
	}
}
