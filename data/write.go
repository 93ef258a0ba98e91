package data

import (
	"context"
	"database/sql"
)

// Writes go through inTx or exec (decisions through the group committer,
// imports through their batch writer, which keep the same rules), so the
// rules live in few places: counted in s.writes (Close waits for them;
// after Close they return ErrClosed), detached from the caller's
// cancellation (a dropped session must not roll a write back half-way),
// and, for inTx, committed whole or not at all.

// inTx runs fn in one write transaction and commits it if fn succeeds.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.beginWrite(); err != nil {
		return err
	}
	defer s.writes.Done()
	tx, err := s.beginWriteTx(writeCtx(ctx))
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// exec runs one write statement and returns how many rows it changed.
func (s *Store) exec(ctx context.Context, query string, args ...any) (int64, error) {
	if err := s.beginWrite(); err != nil {
		return 0, err
	}
	defer s.writes.Done()
	var res sql.Result
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	err := s.retryBusy(func() error {
		var err error
		res, err = s.w.ExecContext(writeCtx(ctx), query, args...)
		return err
	})
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// sqlBool is a flag as both backends store it: an integer 0 or 1.
func sqlBool(b bool) int {
	if b {
		return 1
	}
	return 0
}
