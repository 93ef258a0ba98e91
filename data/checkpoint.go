package data

import (
	"database/sql"
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
	db, err := sql.Open("sqlite3", dsn(s.path, "_busy_timeout=5000"))
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	s.stopCkpt = make(chan struct{})
	s.ckptDone = make(chan struct{})
	go func() {
		defer close(s.ckptDone)
		defer db.Close()
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-s.stopCkpt:
				// A last full checkpoint, so a closed database is one file.
				db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
				return
			case <-t.C:
				db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			}
		}
	}()
	return nil
}

func (s *Store) stopCheckpointer() {
	if s.stopCkpt != nil {
		close(s.stopCkpt)
		<-s.ckptDone
		s.stopCkpt = nil
	}
}
