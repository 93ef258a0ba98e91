package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// Waiting for the write lock. SQLite's own busy handler sleeps longer the
// longer it waits (up to 100 ms between tries), so a writer waiting behind
// a busy importer kept missing the short gaps between the import's
// transactions: one decision waited 25 s, and others failed with "database
// is locked". So the writer connection has no busy timeout; a write that
// finds the database busy says so with a shared flock on "<db>-writers" and
// tries again every writeRetry, for up to writeWait. Before each of its
// transactions the importer checks that file: while anyone waits, it waits
// (up to importYieldMax), so waiting writers go first. With no one waiting
// the check costs one non-blocking flock.
const (
	writeRetry     = 200 * time.Microsecond
	writeWait      = 10 * time.Second
	importYieldMax = 200 * time.Millisecond
)

func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// intentPath is the file whose flock says a writer is waiting.
func (s *Store) intentPath() string { return s.path + "-writers" }

// retryBusy runs op until it is not refused for a busy database, or until
// writeWait has passed. op must have no effect when it fails busy (a BEGIN,
// or an autocommit statement: SQLite refused it before writing anything).
func (s *Store) retryBusy(op func() error) error {
	err := op()
	if !isBusy(err) {
		return err
	}
	if f, ferr := os.OpenFile(s.intentPath(), os.O_RDWR|os.O_CREATE, 0o644); ferr == nil {
		// Blocks only while an importer holds it exclusively, a moment.
		syscall.Flock(int(f.Fd()), syscall.LOCK_SH)
		defer f.Close() // closing drops the flock
	}
	return whileBusy(op)
}

// whileBusy tries op again every writeRetry while the database is busy, for
// up to writeWait; the same rule as retryBusy for connections that have no
// Store yet (opening and migrating).
func whileBusy(op func() error) error {
	deadline := time.Now().Add(writeWait)
	for {
		err := op()
		if !isBusy(err) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the database stayed locked by another process for %s: %w", writeWait, err)
		}
		time.Sleep(writeRetry)
	}
}

// writersWaiting reports whether a writer of another process waits for the
// lock (it holds the intent file shared), or one of this process (queued
// for the writer connection the import holds).
func (s *Store) writersWaiting(intent *os.File) bool {
	if s.waiting.Load() > 0 {
		return true
	}
	if intent == nil {
		return false
	}
	if syscall.Flock(int(intent.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return true
	}
	syscall.Flock(int(intent.Fd()), syscall.LOCK_UN)
	return false
}

// yieldToWaiters is the importer's turn-taking: while another writer waits
// (holds the intent file shared), it waits too, up to importYieldMax, so
// that writer gets the lock the import just released.
func (s *Store) yieldToWaiters() {
	f, err := os.OpenFile(s.intentPath(), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return // no intent file (a read-only directory): plain retries only
	}
	defer f.Close()
	deadline := time.Now().Add(importYieldMax)
	for syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil && time.Now().Before(deadline) {
		time.Sleep(writeRetry)
	}
}

// beginWriteTx begins a write transaction (BEGIN IMMEDIATE on the writer).
func (s *Store) beginWriteTx(ctx context.Context) (*sql.Tx, error) {
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	var tx *sql.Tx
	err := s.retryBusy(func() error {
		var err error
		tx, err = s.w.BeginTx(ctx, nil)
		return err
	})
	return tx, err
}
