package data

import (
	"context"
	"database/sql"
	"fmt"

	"triage/model"
)

// maxGroup bounds how many decisions share one commit.
const maxGroup = 64

type decideReq struct {
	d     model.Decision
	reply chan decideResult
}

type decideResult struct {
	ev  model.Event
	err error
}

// startCommitter runs the group committer: it takes the decisions that
// queued up while the previous commit was syncing and commits them in one
// transaction. Each is applied inside a savepoint, so a refused decision is
// rolled back alone; each is acknowledged only after the shared commit (and
// its fsync) returned. With one reviewer this is a transaction per decision,
// as before; with fifty, one fsync carries many decisions.
func (s *Store) startCommitter() {
	s.decisions = make(chan decideReq)
	s.committerDone = make(chan struct{})
	go func() {
		defer close(s.committerDone)
		for first := range s.decisions {
			group := []decideReq{first}
		drain:
			for len(group) < maxGroup {
				select {
				case r, ok := <-s.decisions:
					if !ok {
						break drain
					}
					group = append(group, r)
				default:
					break drain
				}
			}
			s.commitGroup(group)
		}
	}()
}

func (s *Store) stopCommitter() {
	if s.decisions != nil {
		close(s.decisions)
		<-s.committerDone
		s.decisions = nil
	}
}

func (s *Store) commitGroup(group []decideReq) {
	results := make([]decideResult, len(group))
	fail := func(err error) {
		for i, r := range group {
			if results[i].err == nil {
				results[i] = decideResult{err: err}
			}
			r.reply <- results[i]
		}
	}
	// The commit must not depend on any session: a disconnect never rolls
	// back a decision half-way.
	tx, err := s.beginWriteTx(context.Background())
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	// Each decision gets its own savepoint, never released: a refused one
	// rolls back to its own (the newest of the name) and the others stand.
	// Releasing would cost a statement each, a round trip on PostgreSQL.
	st := newTxState()
	for i, r := range group {
		if _, err := tx.Exec(`SAVEPOINT decision`); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
		ev, err := s.applyDecision(tx, r.d, st)
		if err != nil {
			st.rolledBack()
			if _, rerr := tx.Exec(`ROLLBACK TO decision`); rerr != nil {
				tx.Rollback()
				fail(rerr)
				return
			}
		} else if err := s.topUp(tx, r.d.Session, r.d.TopUp); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
		results[i] = decideResult{ev: ev, err: err}
	}
	if err := tx.Commit(); err != nil {
		for i := range results {
			if results[i].err == nil {
				results[i] = decideResult{err: fmt.Errorf("post %d: commit: %w", group[i].d.PostID, err)}
			}
		}
	}
	for i, r := range group {
		r.reply <- results[i]
	}
}

// topUp claims posts for the deciding session in the decision's
// transaction (model.TopUp); a decision can refill only its own session.
// A refused claim rolls back to its own savepoint and is given up: the
// decision stands. Only a failure to roll back fails the group.
func (s *Store) topUp(tx *sql.Tx, session string, t *model.TopUp) error {
	if t == nil || session == "" || t.Batch <= 0 {
		return nil
	}
	if _, err := tx.Exec(`SAVEPOINT topup`); err != nil {
		return err
	}
	if _, err := s.claimIn(context.Background(), tx, session, t.Batch, t.Lease, t.Filter); err != nil {
		if _, rerr := tx.Exec(`ROLLBACK TO topup`); rerr != nil {
			return rerr
		}
	}
	return nil
}
