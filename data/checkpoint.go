package data

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database.
const checkpointEvery = time.Second

// startCheckpointer takes WAL checkpoints off the commit path. SQLite's
// automatic checkpoint runs inside whichever commit crosses the threshold and
// makes that one decision pay for syncing the whole database file; instead the
// writer's autocheckpoint is off and a separate connection checkpoints
// passively once a second, never blocking the writer or readers.
func (s *Store) startCheckpointer() error {
	if _, err := s.w.Exec("PRAGMA wal_autocheckpoint = 0"); err != nil {
		return err
	}
	db, err := sql.Open(storeDriver, dsn(s.path, "_busy_timeout=5000"))
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	s.stopCkpt = make(chan struct{})
	s.ckptDone = make(chan struct{})
	s.ckptErr = make(chan error, 1)
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
			}
		}
	}()
	return nil
}

// checkpoint runs one WAL checkpoint of the given mode.
func checkpoint(db *sql.DB, mode string) error {
	var busy, logFrames, done int
	if err := db.QueryRow("PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logFrames, &done); err != nil {
		return fmt.Errorf("wal checkpoint (%s): %w", mode, err)
	}
	return nil
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
