package sqlact_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/activity/sqlact"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// sqlTask is a SqlActivity task on database db.
func sqlTask(t *testing.T, db pipeline.Object, fields []pipeline.Field, more ...pipeline.Object) *activity.Task {
	fields = append([]pipeline.Field{dt.Str("type", "SqlActivity"), dt.Ref("@componentParent", "Load"), dt.Ref("database", db.ID)}, fields...)
	return dt.Task(t, fields, append([]pipeline.Object{db}, more...)...)
}

// run executes tk.
func run(t *testing.T, tk *activity.Task) (string, error) {
	t.Helper()
	env, log := dt.NewEnv()
	_, err := sqlact.New(dt.Opener(t)).Execute(dt.Context(), tk, env)
	return log.String(), err
}

func TestExecutor_Execute(t *testing.T) {
	pg := dt.NewPostgres(t)
	pg.Exec(t, "CREATE TABLE t (id INT PRIMARY KEY, name TEXT)")
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	dt.Put(t, c, bucket, "scripts/load.sql", "INSERT INTO t VALUES (?, ?);\n-- #{not evaluated}\nUPDATE t SET name = name || '#{x}' WHERE id = ?;")
	local := filepath.Join(t.TempDir(), "s.sql")
	if err := os.WriteFile(local, []byte("INSERT INTO t VALUES (7, 'local')"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("OKScriptWithArguments", func(t *testing.T) {
		script := "INSERT INTO t VALUES (?, ?); INSERT INTO t VALUES (?, 'b;?');\nDELETE FROM t WHERE id = ?"
		tk := sqlTask(t, pg.DB, []pipeline.Field{dt.Str("script", script), dt.Str("scriptArgument", "1"), dt.Str("scriptArgument", "a"),
			dt.Str("scriptArgument", "2"), dt.Str("scriptArgument", "3")})
		if log, err := run(t, tk); err != nil || !strings.Contains(log, "statement 3 (line 2): 0 rows") {
			t.Fatalf("%v\n%s", err, log)
		}
		if got := pg.Rows(t, "SELECT * FROM t ORDER BY id"); !slices.Equal(got, []string{"1,a", "2,b;?"}) {
			t.Errorf("rows %q", got)
		}
	})
	t.Run("OKScriptUriS3", func(t *testing.T) {
		tk := sqlTask(t, pg.DB, []pipeline.Field{dt.Str("scriptUri", "s3://"+bucket+"/scripts/load.sql"),
			dt.Str("scriptArgument", "5"), dt.Str("scriptArgument", "e"), dt.Str("scriptArgument", "5")})
		if _, err := run(t, tk); err != nil {
			t.Fatal(err)
		}
		if got := pg.Rows(t, "SELECT name FROM t WHERE id = 5"); !slices.Equal(got, []string{"e#{x}"}) {
			t.Errorf("rows %q", got)
		}
	})
	t.Run("OKScriptUriLocalAndCreateOutput", func(t *testing.T) {
		out := dt.Obj("Out", "SqlDataNode", dt.Ref("database", "Db"), dt.Str("table", "made"), dt.Str("createTableSql", "CREATE TABLE made (x INT)"))
		tk := sqlTask(t, pg.DB, []pipeline.Field{dt.Str("scriptUri", "file://"+local), dt.Ref("output", "Out")}, out)
		if _, err := run(t, tk); err != nil {
			t.Fatal(err)
		}
		if got := pg.Rows(t, "SELECT count(*) FROM t WHERE id = 7 UNION ALL SELECT count(*) FROM made"); !slices.Equal(got, []string{"1", "0"}) {
			t.Errorf("rows %q", got)
		}
	})
	t.Run("OKMariaDB", func(t *testing.T) {
		my := dt.NewMySQL(t)
		name := dt.Name("sqlact_")
		my.Exec(t, name, "CREATE TABLE "+name+" (id INT, name TEXT)")
		tk := sqlTask(t, my.DB, []pipeline.Field{dt.Str("script", "INSERT INTO "+name+" VALUES (?, 'it\\'s;?'); INSERT INTO "+name+" VALUES (?, ?)"),
			dt.Str("scriptArgument", "1"), dt.Str("scriptArgument", "2"), dt.Str("scriptArgument", "two")})
		if _, err := run(t, tk); err != nil {
			t.Fatal(err)
		}
		if got := my.Rows(t, "SELECT * FROM "+name+" ORDER BY id"); !slices.Equal(got, []string{"1,it's;?", "2,two"}) {
			t.Errorf("rows %q", got)
		}
	})
	t.Run("ErrFailingStatementRollsBack", func(t *testing.T) {
		tk := sqlTask(t, pg.DB, []pipeline.Field{dt.Str("script", "DELETE FROM t;\nINSERT INTO t VALUES ('x', 'y')")})
		_, err := run(t, tk)
		if err == nil || !strings.Contains(err.Error(), "SqlActivity Load") || !strings.Contains(err.Error(), "statement 2 (line 2)") {
			t.Fatalf("err = %v; want the activity and statement", err)
		}
		if got := pg.Rows(t, "SELECT count(*) FROM t"); got[0] == "0" {
			t.Errorf("the DELETE was committed")
		}
	})
	for _, tc := range []struct {
		name   string
		fields []pipeline.Field
		id     string
	}{
		{"ErrTooFewArguments", []pipeline.Field{dt.Str("script", "SELECT ?, ?"), dt.Str("scriptArgument", "1")}, activity.IDInvalidTask},
		{"ErrNoScript", nil, activity.IDInvalidTask},
		{"ErrBoth", []pipeline.Field{dt.Str("script", "SELECT 1"), dt.Str("scriptUri", local)}, activity.IDInvalidTask},
		{"ErrMissingScriptUri", []pipeline.Field{dt.Str("scriptUri", "s3://"+bucket+"/none.sql")}, data.IDNotFound},
		{"ErrMissingTable", []pipeline.Field{dt.Str("script", "SELECT * FROM nope")}, data.IDNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, sqlTask(t, pg.DB, tc.fields))
			dt.WantID(t, err, tc.id)
		})
	}
	t.Run("ErrWrongPassword", func(t *testing.T) {
		db := pg.DB
		db.Fields = append(slices.Clone(db.Fields), dt.Str("username", "nobody"))
		db.Fields = slices.DeleteFunc(db.Fields, func(f pipeline.Field) bool { return f.Key == "username" && f.Value != "nobody" })
		_, err := run(t, sqlTask(t, db, []pipeline.Field{dt.Str("script", "SELECT 1")}))
		if err == nil || !strings.Contains(err.Error(), `"nobody"`) {
			t.Fatalf("err = %v; want the refused user named", err)
		}
	})
}
