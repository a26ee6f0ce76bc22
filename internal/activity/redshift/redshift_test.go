package redshift_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/activity/redshift"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// loadTask is a RedshiftCopyActivity task from in to out.
func loadTask(t *testing.T, in, out pipeline.Object, fields []pipeline.Field, more ...pipeline.Object) *activity.Task {
	fields = append([]pipeline.Field{dt.Str("type", "RedshiftCopyActivity"), dt.Ref("@componentParent", "Load"), dt.Ref("input", in.ID), dt.Ref("output", out.ID)}, fields...)
	return dt.Task(t, fields, append([]pipeline.Object{in, out}, more...)...)
}

// run executes tk.
func run(t *testing.T, tk *activity.Task) (string, error) {
	t.Helper()
	env, log := dt.NewEnv()
	_, err := redshift.New(dt.Opener(t)).Execute(dt.Context(), tk, env)
	return log.String(), err
}

func TestExecutor_Execute(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	pg := dt.NewPostgres(t)
	dt.Put(t, c, bucket, "pipe/a.txt", "1|new one|10\n3|three|30\n")
	dt.Put(t, c, bucket, "csv/a.csv", "id,name,amount\n1,\"new, one\",10\n3,three,30\n")
	dt.Put(t, c, bucket, "bad/a.txt", "1|new one|10\nx|bad|30\n")
	target := dt.Obj("Out", "RedshiftDataNode", dt.Ref("database", "Db"), dt.Str("tableName", "sales"),
		dt.Str("createTableSql", "CREATE TABLE sales (id INT PRIMARY KEY, name TEXT, amount INT)"))
	pipe := dt.Obj("In", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/pipe"))
	reset := func(t *testing.T) {
		pg.Exec(t, "CREATE TABLE IF NOT EXISTS sales (id INT PRIMARY KEY, name TEXT, amount INT)", "DELETE FROM sales",
			"INSERT INTO sales VALUES (1, 'old one', 1), (2, 'old two', 2)")
	}
	for _, tc := range []struct {
		name   string
		in     pipeline.Object
		fields []pipeline.Field
		want   []string
	}{
		{"OKKeepExisting", pipe, []pipeline.Field{dt.Str("insertMode", "KEEP_EXISTING")}, []string{"1,old one,1", "2,old two,2", "3,three,30"}},
		{"OKOverwriteExisting", pipe, []pipeline.Field{dt.Str("insertMode", "OVERWRITE_EXISTING")}, []string{"1,new one,10", "2,old two,2", "3,three,30"}},
		{"OKTruncate", pipe, []pipeline.Field{dt.Str("insertMode", "TRUNCATE")}, []string{"1,new one,10", "3,three,30"}},
		{"OKAppendTransform", pipe, []pipeline.Field{dt.Str("insertMode", "APPEND"), dt.Str("transformSql", "SELECT id + 10, upper(name), amount * 2 FROM staging")},
			[]string{"1,old one,1", "2,old two,2", "11,NEW ONE,20", "13,THREE,60"}},
		{"OKCommandOptionsCSV", dt.Obj("In", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/csv/a.csv")),
			[]pipeline.Field{dt.Str("insertMode", "OVERWRITE_EXISTING"), dt.Str("commandOptions", "CSV"), dt.Str("commandOptions", "IGNOREHEADER 1 COMPUPDATE OFF")},
			[]string{"1,new, one,10", "2,old two,2", "3,three,30"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reset(t)
			if log, err := run(t, loadTask(t, tc.in, target, tc.fields, pg.DB)); err != nil {
				t.Fatalf("%v\n%s", err, log)
			}
			if got := pg.Rows(t, "SELECT * FROM sales ORDER BY id"); !slices.Equal(got, tc.want) {
				t.Errorf("rows %q; want %q", got, tc.want)
			}
		})
	}
	t.Run("OKCreatesTargetAndPrimaryKeys", func(t *testing.T) {
		out := dt.Obj("Out", "RedshiftDataNode", dt.Ref("database", "Db"), dt.Str("tableName", "fresh"), dt.Str("primaryKeys", "id"),
			dt.Str("createTableSql", "CREATE TABLE fresh (id INT, name TEXT, amount INT)"))
		for range 2 {
			if _, err := run(t, loadTask(t, pipe, out, []pipeline.Field{dt.Str("insertMode", "OVERWRITE_EXISTING")}, pg.DB)); err != nil {
				t.Fatal(err)
			}
		}
		if got := pg.Rows(t, "SELECT count(*) FROM fresh"); !slices.Equal(got, []string{"2"}) {
			t.Errorf("rows %q", got)
		}
	})
	t.Run("OKDynamoDBInput", func(t *testing.T) {
		reset(t)
		dc := dt.DynamoDB(t, "")
		table := dt.Table(t, dc)
		dt.PutItems(t, dc, table, map[string]string{"id": "7", "name": "from dynamo"})
		in := dt.Obj("In", "DynamoDBDataNode", dt.Str("tableName", table))
		if _, err := run(t, loadTask(t, in, target, []pipeline.Field{dt.Str("insertMode", "APPEND")}, pg.DB)); err != nil {
			t.Fatal(err)
		}
		if got := pg.Rows(t, "SELECT * FROM sales WHERE id = 7"); !slices.Equal(got, []string{`7,from dynamo,\N`}) {
			t.Errorf("rows %q", got)
		}
	})
	for _, mode := range []string{"OVERWRITE_EXISTING", "TRUNCATE"} {
		t.Run("ErrMalformedRowKeepsOldData"+mode, func(t *testing.T) {
			reset(t)
			in := dt.Obj("In", "S3DataNode", dt.Str("directoryPath", "s3://"+bucket+"/bad"))
			_, err := run(t, loadTask(t, in, target, []pipeline.Field{dt.Str("insertMode", mode)}, pg.DB))
			dt.WantID(t, err, data.IDMalformed)
			if !strings.Contains(err.Error(), "RedshiftCopyActivity Load") || !strings.Contains(err.Error(), "s3://"+bucket+"/bad/a.txt row 2") {
				t.Errorf("err = %v; want the activity, file and row", err)
			}
			if got := pg.Rows(t, "SELECT * FROM sales ORDER BY id"); !slices.Equal(got, []string{"1,old one,1", "2,old two,2"}) {
				t.Errorf("rows %q; want the old rows", got)
			}
		})
	}
	t.Run("ErrTransformKeepsOldData", func(t *testing.T) {
		reset(t)
		_, err := run(t, loadTask(t, pipe, target, []pipeline.Field{dt.Str("insertMode", "TRUNCATE"), dt.Str("transformSql", "SELECT nope FROM staging")}, pg.DB))
		if err == nil || !strings.Contains(err.Error(), "nope") {
			t.Fatalf("err = %v", err)
		}
		if got := pg.Rows(t, "SELECT count(*) FROM sales"); !slices.Equal(got, []string{"2"}) {
			t.Errorf("rows %q; want the old rows", got)
		}
	})
	for _, tc := range []struct {
		name   string
		fields []pipeline.Field
		out    pipeline.Object
		want   string
	}{
		{"ErrBadInsertMode", []pipeline.Field{dt.Str("insertMode", "MERGE")}, target, activity.IDInvalidTask},
		{"ErrUnsupportedOption", []pipeline.Field{dt.Str("insertMode", "APPEND"), dt.Str("commandOptions", "JSON 'auto'")}, target, activity.IDInvalidTask},
		{"ErrNoKey", []pipeline.Field{dt.Str("insertMode", "KEEP_EXISTING")}, dt.Obj("Out", "RedshiftDataNode", dt.Ref("database", "Db"), dt.Str("tableName", "nokey"),
			dt.Str("createTableSql", "CREATE TABLE nokey (id INT, name TEXT, amount INT)")), activity.IDRunnerError},
		{"ErrMissingTable", []pipeline.Field{dt.Str("insertMode", "APPEND")}, dt.Obj("Out", "RedshiftDataNode", dt.Ref("database", "Db"), dt.Str("tableName", "absent")), data.IDNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := run(t, loadTask(t, pipe, tc.out, tc.fields, pg.DB))
			dt.WantID(t, err, tc.want)
		})
	}
}
