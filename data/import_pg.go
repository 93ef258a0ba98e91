package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// On PostgreSQL each import unit (import_bulk.go) is a transaction of its
// own, written by COPY on the connection the transaction runs on.

// pgImportBatch is the unit on PostgreSQL: each is one transaction (a few
// tens of milliseconds), so reviewers' decisions get in between.
const pgImportBatch = 1000

// beginPG begins the writer's transaction on a connection of its own, so
// COPY can run inside it.
func (w *batchWriter) beginPG(ctx context.Context) (*sql.Tx, error) {
	conn, err := w.s.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	w.conn = conn
	return tx, nil
}

// copyRows writes rows on PostgreSQL by COPY, in the writer's transaction.
func (w *batchWriter) copyBulk(tables []tableRows) error {
	return w.conn.Raw(func(dc any) error {
		pc, ok := dc.(*pgConn)
		if !ok {
			return errors.New("import: not a PostgreSQL connection")
		}
		conn := pc.Conn.(*stdlib.Conn).Conn()
		for _, t := range tables {
			if len(t.rows) == 0 {
				continue
			}
			if _, err := conn.CopyFrom(context.Background(), pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("%s: %w", t.table, err)
			}
		}
		return nil
	})
}

// analyzeAfterImport refreshes PostgreSQL's statistics after a large
// import, rather than waiting for autovacuum: search relies on them to
// choose between the word index (a rare word) and walking the posts in
// flag order (a common one), and without them it walks for every word.
func (s *Store) analyzeAfterImport(ctx context.Context, imported int) error {
	if s.pg == nil || imported < 1000 {
		return nil
	}
	_, err := s.w.ExecContext(writeCtx(ctx), `ANALYZE posts, posts_search`)
	return err
}
