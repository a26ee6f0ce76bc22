package copyact

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// bulkLoad loads files into a PostgreSQL table with one COPY, when it can
// (done is false when it cannot, and nothing was done).
func (e *Executor) bulkLoad(ctx context.Context, t *activity.Task, in, out pipeline.Object, env *activity.Env) (st stats, done bool, err error) {
	if datanode.Str(out, "insertQuery") != "" {
		return stats{}, false, nil
	}
	src, err := e.open.Files(ctx, t, in)
	if err != nil {
		return stats{}, true, err
	}
	opts, ok := dsql.CopyOptionsFor(src.Format())
	if !ok {
		return stats{}, false, nil
	}
	dst, err := e.open.SQL(ctx, t, out)
	if err != nil {
		return stats{}, true, err
	}
	defer dst.Close()
	if dst.Dialect() != dsql.PostgreSQL {
		return stats{}, false, nil
	}
	files, err := src.List(ctx)
	if err != nil {
		return stats{}, true, err
	}
	env.Printf("bulk loading %d files into %s with COPY", len(files), dst.QualifiedTable())
	n, err := Load(ctx, dst, out, src, files, opts, datanode.Append)
	return stats{records: n}, true, err
}

// Load streams files of src into the table of the SQL node dst (whose
// object is obj) with one COPY in one transaction, creating the table
// with createTableSql when it is missing and, in Replace mode, emptying
// it first in the same transaction. The format's column list, when it
// has one, names the target columns. A row PostgreSQL rejects fails the
// load with an error naming the file and its line; the table is then as
// it was.
func Load(ctx context.Context, dst *dsql.Node, obj pipeline.Object, src datanode.Files, files []datanode.File, opts dsql.CopyOptions, mode datanode.WriteMode) (int64, error) {
	s, err := dst.Begin(ctx)
	if err != nil {
		return 0, err
	}
	if err := Prepare(ctx, s, obj, mode); err != nil {
		return 0, errors.Join(err, s.Rollback(ctx))
	}
	n, err := CopyFiles(ctx, s, dst.QualifiedTable(), Columns(dst, src.Format()), src, files, opts, 0)
	if err != nil {
		return 0, errors.Join(err, s.Rollback(ctx))
	}
	return n, s.Commit(ctx)
}

// CopyFiles streams the decompressed bytes of files of src, one after the
// other, into table (SQL) with one COPY … FROM STDIN in session s,
// skipping the first skip lines of every file. columns, when given, are
// the target columns (identifiers). A row PostgreSQL rejects fails with a
// *format.RowError naming the file and its line.
func CopyFiles(ctx context.Context, s *dsql.Session, table string, columns []string, src datanode.Files, files []datanode.File, opts dsql.CopyOptions, skip int) (int64, error) {
	r := newConcatReader(ctx, src, files, src.Format().RecordSeparator)
	r.skip = skip
	defer r.Close()
	n, err := s.CopyFrom(ctx, table, columns, r, opts)
	return n, locateErr(err, r)
}

// Prepare makes the table of a SQL node ready for writing in session s:
// created with the node's createTableSql when missing (a missing table
// without one is an error matching datanode.ErrNotFound) and emptied
// (DELETE, transactional on every database) in Replace mode.
func Prepare(ctx context.Context, s *dsql.Session, obj pipeline.Object, mode datanode.WriteMode) error {
	n := s.Node()
	ok, err := s.TableExists(ctx, datanode.Str(obj, "schemaName"), n.Table())
	if err != nil {
		return err
	}
	if !ok {
		create := datanode.Str(obj, "createTableSql")
		if create == "" {
			return datanode.NotFoundf(n.Name(), "table %s does not exist and the node has no createTableSql", n.QualifiedTable())
		}
		if _, err := s.Exec(ctx, create); err != nil {
			return fmt.Errorf("createTableSql: %w", err)
		}
	}
	if mode == datanode.Replace {
		_, err = s.Exec(ctx, "DELETE FROM "+n.QualifiedTable())
	}
	return err
}

// Columns are the format's column names as identifiers for n's
// database, nil without a column list.
func Columns(n *dsql.Node, f *format.Format) []string {
	var out []string
	for _, c := range f.Columns {
		out = append(out, n.Ident(c.Name))
	}
	return out
}

// copyLine finds the line number in PostgreSQL's COPY context.
var copyLine = regexp.MustCompile(`line (\d+)`)

// locateErr adds the input file and line to a COPY row error.
func locateErr(err error, r *concatReader) error {
	var re *format.RowError
	if err == nil || !errors.As(err, &re) {
		return err
	}
	m := copyLine.FindStringSubmatch(re.Err.Error())
	if m == nil {
		return err
	}
	line, _ := strconv.ParseInt(m[1], 10, 64)
	if f, l, ok := r.locate(line); ok {
		return &format.RowError{Source: re.Source + " from " + f.URL, Row: l, Err: re.Err}
	}
	return err
}
