package redshift

import (
	"context"
	"fmt"

	"github.com/datapipe/datapipe/internal/activity/copyact"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
)

// stagingTable is the name transformSql selects from.
const stagingTable = "staging"

// createStaging creates the temporary staging table, shaped like the
// target, dropped at the end of the transaction where the database can.
func createStaging(ctx context.Context, s *dsql.Session) error {
	n := s.Node()
	target := n.QualifiedTable()
	var stmts []string
	switch n.Dialect() {
	case dsql.PostgreSQL:
		stmts = []string{"CREATE TEMP TABLE " + stagingTable + " (LIKE " + target + " INCLUDING DEFAULTS) ON COMMIT DROP"}
	case dsql.MySQL:
		stmts = []string{"DROP TEMPORARY TABLE IF EXISTS " + stagingTable, "CREATE TEMPORARY TABLE " + stagingTable + " LIKE " + target}
	default:
		stmts = []string{"DROP TABLE IF EXISTS temp." + stagingTable, "CREATE TEMP TABLE " + stagingTable + " AS SELECT * FROM " + target + " WHERE 0"}
	}
	for _, q := range stmts {
		if _, err := s.Exec(ctx, q); err != nil {
			return fmt.Errorf("create the staging table: %w", err)
		}
	}
	return nil
}

// fill loads the input into staging.
func (e *Executor) fill(ctx context.Context, j *job, s *dsql.Session) (int64, error) {
	if k, _ := data.KindOf(j.in); k != data.KindFiles {
		return e.fillRecords(ctx, j, s, nil)
	}
	src, err := e.open.Files(ctx, j.t, j.in)
	if err != nil {
		return 0, err
	}
	if j.spec.gzip && src.Compression() == datanode.None {
		src = gzipped{src}
	}
	opts, f, ok := j.layout(src)
	if !ok || s.Node().Dialect() != dsql.PostgreSQL {
		return e.fillRecords(ctx, j, s, src)
	}
	files, err := src.List(ctx)
	if err != nil {
		return 0, err
	}
	j.env.Printf("copying %d files into staging with COPY", len(files))
	return copyact.CopyFiles(ctx, s, stagingTable, copyact.Columns(s.Node(), f), src, files, opts, j.spec.header)
}

// layout is how the input files are read: COPY options (ok false when
// COPY cannot read them) and the record format.
func (j *job) layout(src datanode.Files) (dsql.CopyOptions, *format.Format, bool) {
	if j.hasFmt {
		f := src.Format()
		opts, ok := dsql.CopyOptionsFor(f)
		return opts, f, ok && j.spec.header == 0
	}
	return j.spec.copyOptions(), j.spec.format(), true
}

// fillRecords loads record by record: DynamoDB items, SQL rows, or files
// COPY cannot read.
func (e *Executor) fillRecords(ctx context.Context, j *job, s *dsql.Session, src datanode.Files) (int64, error) {
	r, closeFn, err := e.records(ctx, j, src)
	if err != nil {
		return 0, err
	}
	defer closeFn()
	ins := s.NewInserter(stagingTable, "")
	for n := int64(0); ; n++ {
		if n&1023 == 0 && ctx.Err() != nil {
			return 0, context.Cause(ctx)
		}
		rec, err := r.Read()
		if err != nil {
			if isEOF(err) {
				break
			}
			return 0, err
		}
		if err := ins.Write(ctx, rec); err != nil {
			return 0, err
		}
	}
	return ins.Count(), ins.Flush(ctx)
}

// records opens the input's records.
func (e *Executor) records(ctx context.Context, j *job, src datanode.Files) (datanode.RecordReader, func(), error) {
	if src != nil {
		f := src.Format()
		if !j.hasFmt {
			f = j.spec.format()
		}
		if j.spec.header > 1 {
			return nil, nil, fmt.Errorf("IGNOREHEADER %d needs a COPY-readable layout and a PostgreSQL target", j.spec.header)
		}
		if j.spec.header == 1 {
			c := *f
			c.Header = true
			f = &c
		}
		r, err := datanode.OpenRecords(ctx, src, f)
		if err != nil {
			return nil, nil, err
		}
		return r, func() { r.Close() }, nil
	}
	tb, err := e.open.Table(ctx, j.t, j.in)
	if err != nil {
		return nil, nil, err
	}
	r, err := tb.Read(ctx)
	if err != nil {
		tb.Close()
		return nil, nil, err
	}
	return r, func() { r.Close(); tb.Close() }, nil
}

// gzipped is a Files node whose files are gzip whatever it says (the
// GZIP command option).
type gzipped struct{ datanode.Files }

// Compression is gzip.
func (gzipped) Compression() datanode.Compression { return datanode.Gzip }
