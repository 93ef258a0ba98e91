package data

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// ErrBusy is returned when another process holds a run lock.
var ErrBusy = errors.New("busy")

// runLockTTL is how long a run lock stays valid without being renewed. A run
// renews it after every packet; a holder killed with -9 on another host loses
// it after this long (on this host at once: its pid is gone).
const runLockTTL = 2 * time.Minute

// runLock is one held row of run_locks.
type runLock struct {
	s     *Store
	name  string
	owner string
}

// lockRun takes the named lock for this process, or returns ErrBusy naming
// who holds it. The check and the claim are one write transaction, so of two
// processes starting together exactly one wins.
func (s *Store) lockRun(ctx context.Context, name string) (*runLock, error) {
	token := make([]byte, 8)
	rand.Read(token)
	l := &runLock{s: s, name: name, owner: hex.EncodeToString(token)}
	host, _ := os.Hostname()
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var pid int
		var holderHost string
		var started, until int64
		err := tx.QueryRow(`SELECT pid, host, started_at, until FROM run_locks WHERE name = ?`, name).Scan(&pid, &holderHost, &started, &until)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case until > now.UnixMilli() && !(holderHost == host && !processAlive(pid)):
			return fmt.Errorf("%w: another %s run (pid %d on %s, started %s) is in progress; nothing was changed",
				ErrBusy, name, pid, holderHost, time.UnixMilli(started).UTC().Format(time.RFC3339))
		}
		_, err = tx.Exec(`INSERT INTO run_locks (name, owner, pid, host, started_at, until) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
				started_at = excluded.started_at, until = excluded.until`,
			name, l.owner, os.Getpid(), host, now.UnixMilli(), now.Add(runLockTTL).UnixMilli())
		return err
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// renew extends the lock; it fails if the lock was lost (it expired and
// another run took it), so the caller stops before writing anything more.
func (l *runLock) renew(ctx context.Context) error {
	n, err := l.s.exec(ctx, `UPDATE run_locks SET until = ? WHERE name = ? AND owner = ?`,
		l.s.now().Add(runLockTTL).UnixMilli(), l.name, l.owner)
	if err == nil && n != 1 {
		err = fmt.Errorf("%w: the %s lock was lost (held past %s without renewal)", ErrBusy, l.name, runLockTTL)
	}
	return err
}

func (l *runLock) release(ctx context.Context) error {
	_, err := l.s.exec(ctx, `DELETE FROM run_locks WHERE name = ? AND owner = ?`, l.name, l.owner)
	return err
}

// processAlive reports whether pid names a live process on this host.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// HoldLock takes the named run lock for as long as the caller runs: it is
// renewed in the background well before it would expire, and release gives
// it back. `triage serve` holds "serve": a second server on the same
// database would end the first one's sessions as orphans.
func (s *Store) HoldLock(ctx context.Context, name string) (release func() error, err error) {
	l, err := s.lockRun(ctx, name)
	if err != nil {
		return nil, err
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(runLockTTL / 4)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				l.renew(context.WithoutCancel(ctx))
			}
		}
	}()
	return func() error {
		close(stop)
		<-done
		return l.release(context.WithoutCancel(ctx))
	}, nil
}
