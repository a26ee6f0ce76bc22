package copyact_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity/data"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/pipeline"
)

func TestExecutor_Execute_SQL(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	pg := dt.NewPostgres(t)
	pg.Exec(t, "CREATE TABLE sales (id INTEGER PRIMARY KEY, name TEXT, amount NUMERIC)")
	dt.Put(t, c, bucket, "in/part-1.csv", "1,alpha,1.5\n2,\"be,ta\",2\n")
	dt.Put(t, c, bucket, "in/part-2.csv.gz", gz("3,gamma,"))
	dt.Put(t, c, bucket, "plain/part-2.csv", "3,gamma,")
	csv := dt.Obj("Csv", "CSV", dt.Str("column", "id INT"), dt.Str("column", "name STRING"), dt.Str("column", "amount DOUBLE"))
	table := func(id, name string, more ...pipeline.Field) pipeline.Object {
		return dt.Obj(id, "SqlDataNode", append([]pipeline.Field{dt.Ref("database", "Db"), dt.Str("table", name)}, more...)...)
	}
	t.Run("OKS3ToPostgresBulk", func(t *testing.T) {
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/plain")
		pg.Exec(t, "DELETE FROM sales")
		dt.Put(t, c, bucket, "plain/part-1.csv", "1,alpha,1.5\n2,\"be,ta\",2\n")
		log, err := run(t, copyTask(t, in, table("Out", "sales"), pg.DB))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"1,alpha,1.5", "2,be,ta,2", `3,gamma,\N`}
		if got := pg.Rows(t, "SELECT * FROM sales ORDER BY id"); !slices.Equal(got, want) {
			t.Errorf("rows %q; want %q", got, want)
		}
		if !strings.Contains(log, "with COPY") {
			t.Errorf("log %q; want the COPY path", log)
		}
	})
	t.Run("OKGzipWithColumnsBulk", func(t *testing.T) {
		pg.Exec(t, "DELETE FROM sales")
		in := dt.Obj("In", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/in/part-2.csv.gz"), dt.Str("compression", "gzip"), dt.Ref("dataFormat", "Csv"))
		if _, err := run(t, copyTask(t, in, table("Out", "sales"), pg.DB, csv)); err != nil {
			t.Fatal(err)
		}
		if got := pg.Rows(t, "SELECT * FROM sales"); !slices.Equal(got, []string{`3,gamma,\N`}) {
			t.Errorf("rows %q", got)
		}
	})
	t.Run("OKPostgresToS3", func(t *testing.T) {
		in := table("In", "sales", dt.Str("selectQuery", "SELECT id, name FROM sales ORDER BY id"))
		out := s3Node("Out", "directoryPath", "s3://"+bucket+"/export")
		if _, err := run(t, copyTask(t, in, out, pg.DB)); err != nil {
			t.Fatal(err)
		}
		if got, _ := dt.Get(t, c, bucket, "export/part-00000.csv"); got != "3,gamma\n" {
			t.Errorf("export = %q", got)
		}
	})
	t.Run("OKInsertQueryByRecord", func(t *testing.T) {
		pg.Exec(t, "CREATE TABLE names (n TEXT)")
		in := s3Node("In", "filePath", "s3://"+bucket+"/in/part-1.csv")
		out := table("Out", "names", dt.Str("insertQuery", "INSERT INTO names (n) VALUES (? || '!')"))
		tk := copyTask(t, in, out, pg.DB)
		// the insertQuery binds the record's fields in order; keep one
		tk.Objects["In"] = dt.Obj("In", "S3DataNode", dt.Str("filePath", "s3://"+bucket+"/in/part-1.csv"), dt.Ref("dataFormat", "Re"))
		tk.Objects["Re"] = dt.Obj("Re", "RegEx", dt.Str("inputRegEx", `[0-9]+,"?([a-z]+).*`), dt.Str("column", "name"))
		if _, err := run(t, tk); err != nil {
			t.Fatal(err)
		}
		if got := pg.Rows(t, "SELECT n FROM names ORDER BY n"); !slices.Equal(got, []string{"alpha!", "be!"}) {
			t.Errorf("rows %q", got)
		}
	})
	t.Run("OKS3ToMariaDB", func(t *testing.T) {
		my := dt.NewMySQL(t)
		name := dt.Name("copy_")
		my.Exec(t, name, "CREATE TABLE "+name+" (id INT PRIMARY KEY, name TEXT, amount DECIMAL(10,2))")
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/plain")
		out := dt.Obj("Out", "MySqlDataNode", dt.Ref("database", "MyDb"), dt.Str("table", name))
		if _, err := run(t, copyTask(t, in, out, my.DB)); err != nil {
			t.Fatal(err)
		}
		if got := my.Rows(t, "SELECT * FROM "+name+" ORDER BY id"); !slices.Equal(got, []string{"1,alpha,1.50", "2,be,ta,2.00", `3,gamma,\N`}) {
			t.Errorf("rows %q", got)
		}
	})
	t.Run("ErrMalformedRowKeepsTable", func(t *testing.T) {
		pg.Exec(t, "DELETE FROM sales", "INSERT INTO sales VALUES (9, 'old', 0)")
		dt.Put(t, c, bucket, "bad/a.csv", "1,a,1\n")
		dt.Put(t, c, bucket, "bad/b.csv", "2,b,2\nx,c,3\n")
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/bad")
		_, err := run(t, copyTask(t, in, table("Out", "sales"), pg.DB))
		dt.WantID(t, err, data.IDMalformed)
		if !strings.Contains(err.Error(), "SqlDataNode Out") || !strings.Contains(err.Error(), "s3://"+bucket+"/bad/b.csv row 2") {
			t.Errorf("err = %v; want the node, file and row", err)
		}
		if got := pg.Rows(t, "SELECT id FROM sales"); !slices.Equal(got, []string{"9"}) {
			t.Errorf("rows %q; want the old row only", got)
		}
	})
	t.Run("ErrMissingTable", func(t *testing.T) {
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/plain")
		_, err := run(t, copyTask(t, in, table("Out", "nope"), pg.DB))
		dt.WantID(t, err, data.IDNotFound)
		if !strings.Contains(err.Error(), "SqlDataNode Out") || !strings.Contains(err.Error(), "nope") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("OKCreateTableSql", func(t *testing.T) {
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/plain")
		out := table("Out", "created", dt.Str("createTableSql", "CREATE TABLE created (id INT, name TEXT, amount TEXT)"))
		if _, err := run(t, copyTask(t, in, out, pg.DB)); err != nil {
			t.Fatal(err)
		}
		if got := pg.Rows(t, "SELECT count(*) FROM created"); !slices.Equal(got, []string{"3"}) {
			t.Errorf("rows %q", got)
		}
	})
}
