package data

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database;
// checkpointBusy is how long the checkpointer waits for a lock it needs.
const (
	checkpointEvery = time.Second
	checkpointBusy  = 5 * time.Second
)

// startCheckpointer takes WAL checkpoints off the commit path. SQLite's
// automatic checkpoint runs inside whichever commit crosses the threshold and
// makes that one decision pay for syncing the whole database file; instead the
// writer's autocheckpoint is off and a separate connection checkpoints
// passively once a second, never blocking the writer or readers.
func (s *Store) startCheckpointer() error {
	if _, err := s.w.Exec("PRAGMA wal_autocheckpoint = 0"); err != nil {
		return err
	}
	db, err := sql.Open(storeDriver, dsn(s.path, fmt.Sprintf("_busy_timeout=%d", checkpointBusy.Milliseconds())))
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	s.stopCkpt = make(chan struct{})
	s.ckptDone = make(chan struct{})
	s.ckptErr = make(chan error, 1)
	s.ckptNow = make(chan chan struct{})
	go func() {
		defer close(s.ckptDone)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		var last error // the latest periodic failure, reported at Close if it persists
		for {
			select {
			case <-s.stopCkpt:
				// A last full checkpoint, so a closed database is one file.
				// Another process with the file open may keep it from
				// finishing (busy); that is not an error, only a failure is.
				// PASSIVE first: it copies the WAL back without holding up
				// anyone; TRUNCATE, which keeps other writers waiting while
				// it runs, then has almost nothing left to copy.
				checkpoint(db, "PASSIVE")
				err := checkpoint(db, "TRUNCATE")
				if err != nil && last != nil {
					err = errors.Join(err, fmt.Errorf("earlier: %w", last))
				}
				s.ckptErr <- errors.Join(err, db.Close())
				return
			case <-t.C:
				last = checkpoint(db, "PASSIVE")
			case done := <-s.ckptNow:
				last = catchUp(db)
				close(done)
			}
		}
	}()
	return nil
}

// checkpoint runs one WAL checkpoint of the given mode.
func checkpoint(db *sql.DB, mode string) error {
	_, err := checkpointed(db, mode)
	return err
}

// checkpointed runs one WAL checkpoint and reports whether it copied every
// frame of the WAL back (and, for RESTART, started the WAL over).
func checkpointed(db *sql.DB, mode string) (bool, error) {
	var busy, logFrames, done int
	if err := db.QueryRow("PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logFrames, &done); err != nil {
		return false, fmt.Errorf("wal checkpoint (%s): %w", mode, err)
	}
	return busy == 0 && done == logFrames, nil
}

// The WAL starts again from its beginning only when a write begins after a
// checkpoint has copied all of it back. An import writes without pause, so
// the checkpointer's passive checkpoints, each overtaken by new commits
// before it ends, never got there: the WAL of a million-post import grew
// to 7 GB, every commit appended to a file as large as the database, and
// the import slowed as it grew. The import therefore lets the checkpointer
// catch up (catchUpWAL) whenever the WAL has passed walBound, between its
// transactions, and the connection that restarts the WAL cuts its file
// back to walKeep (journal_size_limit, set on every connection).
var (
	walBound int64 = 128 << 20
	walKeep  int64 = 64 << 20 // read when a connection opens
)

// catchUpFor bounds one catch-up: past it the import goes on, and the next
// catch-up tries again.
const catchUpFor = 2 * time.Second

// catchUp copies the WAL back and starts it over. Passive checkpoints copy
// the bulk of it without keeping any writer or reader waiting; a decision
// committed meanwhile leaves a few frames, which the next round copies.
// Only one connection checkpoints at a time, and every process with the
// database open runs a checkpointer of its own (a console, `serve`): a
// round that finds another running is busy at once, so it waits a moment
// and tries again rather than giving up. (With a console open during a
// 1M-post import, three quick rounds that gave up left a WAL of 768 MiB;
// with these retries the same run peaked at 164 MiB.) A RESTART checkpoint then starts the
// WAL over itself, rather than leaving it to whichever write comes next,
// which cannot while a reader is still on the old frames. It is tried
// without waiting (busy_timeout 0): it holds the write lock only to copy
// what the passive rounds left.
func catchUp(db *sql.DB) error {
	deadline := time.Now().Add(catchUpFor)
	try := func(mode string) (bool, error) {
		for {
			all, err := checkpointed(db, mode)
			if err != nil || all || time.Now().After(deadline) {
				return all, err
			}
			time.Sleep(catchUpRetry)
		}
	}
	if all, err := try("PASSIVE"); !all || err != nil {
		return err
	}
	if _, err := db.Exec("PRAGMA busy_timeout = 0"); err != nil {
		return err
	}
	_, err := try("RESTART")
	_, restore := db.Exec(fmt.Sprintf("PRAGMA busy_timeout = %d", checkpointBusy.Milliseconds()))
	return errors.Join(err, restore)
}

// catchUpRetry is the pause between a catch-up's checkpoint attempts.
const catchUpRetry = 5 * time.Millisecond

// catchUpWAL waits for the checkpointer to copy the WAL back, if it has
// grown past walBound. The import calls it after each of its commits.
func (s *Store) catchUpWAL() {
	if s.ckptNow == nil {
		return
	}
	if fi, err := os.Stat(s.path + "-wal"); err != nil || fi.Size() < walBound {
		return
	}
	done := make(chan struct{})
	s.ckptNow <- done
	<-done
}

// stopCheckpointer ends the checkpointer and returns the error of its final
// checkpoint, if it failed.
func (s *Store) stopCheckpointer() error {
	if s.stopCkpt == nil {
		return nil
	}
	close(s.stopCkpt)
	<-s.ckptDone
	s.stopCkpt = nil
	return <-s.ckptErr
}
