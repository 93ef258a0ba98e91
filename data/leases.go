package data

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"time"

	"triage/model"
)

// The lease rules and session origins live in model (model/session.go).
// These names stay for callers outside the console; they are the same
// values, not copies.
const (
	DefaultLease = model.DefaultLease
	MaxLease     = model.MaxLease
	ClaimBatch   = model.ClaimBatch
	OriginLocal  = model.OriginLocal
	OriginSSH    = model.OriginSSH
)

// StartSession records a new console session and returns its id, unless
// the reviewer already has the policy's limit of live consoles open, on any
// server: then it returns an error wrapping ErrTooManyConsoles. A console
// killed without ending its session stops counting once it has been silent
// for model.OnlineWindow. Counting and starting in one write transaction
// means two consoles starting at once cannot both take the last place.
func (s *Store) StartSession(ctx context.Context, a model.Actor, origin string) (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := origin + "-" + hex.EncodeToString(b[:])
	limit := s.policy.Limits.Consoles()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		open, err := liveConsoles(tx, a.Reviewer, now)
		if err != nil {
			return err
		}
		if open >= limit {
			return fmt.Errorf("%w: %s already has %d open (the limit is %d); close one and try again",
				model.ErrTooManyConsoles, a.Reviewer, open, limit)
		}
		_, err = tx.Exec(`INSERT INTO sessions (id, reviewer, key_fp, origin, started_at, last_seen) VALUES (?, ?, ?, ?, ?, ?)`,
			id, a.Reviewer, a.KeyFP, origin, now.UnixMilli(), now.UnixMilli())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	return id, nil
}

// liveConsoles counts the reviewer's sessions that are open and were heard
// from within model.OnlineWindow.
func liveConsoles(tx *sql.Tx, reviewer string, now time.Time) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM sessions INDEXED BY sessions_open
		WHERE ended_at IS NULL AND last_seen >= ? AND reviewer = ?`,
		now.Add(-model.OnlineWindow).UnixMilli(), reviewer).Scan(&n)
	return n, err
}

// EndSession marks a session ended and releases every post it holds, at
// once, so they go to other reviewers without waiting for the lease to run out.
func (s *Store) EndSession(ctx context.Context, session string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE posts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND status = 'pending'`, session); err != nil {
			return fmt.Errorf("release %s: %w", session, err)
		}
		if _, err := tx.Exec(`UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL`, s.now().UnixMilli(), session); err != nil {
			return fmt.Errorf("end %s: %w", session, err)
		}
		return nil
	})
}

// EndOrphanedSessions ends every session of the given origin that was left
// open, releasing its leases: a server that starts again after a crash owns
// no sessions yet, so on a SQLite file (one server) any open SSH session is a
// dead one. On a shared database, only sessions silent for longer than
// model.OnlineWindow are. It returns how many.
func (s *Store) EndOrphanedSessions(ctx context.Context, origin string) (int, error) {
	var n int64
	silentSince := int64(math.MaxInt64)
	if s.Shared() {
		silentSince = s.now().Add(-model.OnlineWindow).UnixMilli()
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE posts SET lease_owner = NULL, lease_until = NULL
			WHERE lease_owner IN (SELECT id FROM sessions WHERE origin = ? AND ended_at IS NULL AND last_seen < ?)`, origin, silentSince); err != nil {
			return err
		}
		res, err := tx.Exec(`UPDATE sessions SET ended_at = ? WHERE origin = ? AND ended_at IS NULL AND last_seen < ?`, s.now().UnixMilli(), origin, silentSince)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// Claim tops the session up to n held pending posts: it leases, for d, as
// many more as the session lacks of n, from the head of the queue, among
// those nobody holds (or whose lease ran out). It returns how many it
// claimed. Counting what the session holds in the claim's own transaction
// means two claims racing each other — a console asking for a refill while
// the previous one is still landing — cannot give a session more than n.
func (s *Store) Claim(ctx context.Context, session string, n int, d time.Duration) (int, error) {
	return s.ClaimMatching(ctx, session, n, d, model.Filter{})
}

// ClaimMatching is Claim for the posts that pass f, taken in f's order: by
// priority, or oldest first in the breach view. Each claim is logged in the
// post's history.
func (s *Store) ClaimMatching(ctx context.Context, session string, n int, d time.Duration, f model.Filter) (int, error) {
	if session == "" || n <= 0 {
		return 0, nil
	}
	got, limited := 0, false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		got, err = s.claimIn(writeCtx(ctx), tx, session, n, d, f)
		// At the limit the claim's release of posts the session no
		// longer shows still commits; the caller is told why it got none.
		if limited = errors.Is(err, model.ErrHoldingLimit); limited {
			return nil
		}
		return err
	})
	if limited {
		err = fmt.Errorf("%w: the reviewer holds %d", model.ErrHoldingLimit, s.policy.Limits.Posts())
	}
	if err != nil {
		return 0, fmt.Errorf("claim: %w", err)
	}
	return got, nil
}

// claimIn tops a session up to n held posts matching f, in tx; when the
// session lacks posts but its reviewer holds the policy's limit, it claims
// none and returns model.ErrHoldingLimit.
func (s *Store) claimIn(ctx context.Context, tx *sql.Tx, session string, n int, d time.Duration, f model.Filter) (int, error) {
	now := s.now()
	cond, args := s.filterSQL(f, "", now)
	cond, args = cond+notExcluded, append(args, session)
	index, order := "posts_queue", "prio DESC, id DESC"
	if f.Breached {
		index, order = "posts_age", "flagged_at ASC, id ASC"
	}
	// A claim made under an older filter may have landed after the
	// session changed it: such posts go back to the queue here, so a
	// session never holds (and keeps renewing) posts it does not show.
	// So do posts of a category a lead has since excluded for the reviewer.
	if _, err := tx.Exec(`UPDATE posts SET lease_owner = NULL, lease_until = NULL
		WHERE lease_owner = ? AND status = 'pending' AND NOT (TRUE`+cond+`)`, append([]any{session}, args...)...); err != nil {
		return 0, err
	}
	var held int
	if err := tx.QueryRow(`SELECT count(*) FROM posts INDEXED BY posts_leased
		WHERE lease_owner = ? AND status = 'pending' AND lease_until >= ?`, session, heldSince(now)).Scan(&held); err != nil {
		return 0, err
	}
	reviewerHeld, err := reviewerHolds(tx, session, now)
	if err != nil {
		return 0, err
	}
	want, room := n-held, s.policy.Limits.Posts()-reviewerHeld
	switch {
	case want <= 0:
		return 0, nil
	case room <= 0:
		return 0, model.ErrHoldingLimit
	}
	n = min(want, room)
	ids, err := queryIDs(ctx, tx, `UPDATE posts SET lease_owner = ?, lease_until = ?
		WHERE id IN (SELECT id FROM posts INDEXED BY `+index+`
		             WHERE status = 'pending' AND (lease_owner IS NULL OR lease_until < ?)`+cond+`
		             ORDER BY `+order+` LIMIT ?`+s.skipLocked()+`)
		RETURNING id`,
		append(append([]any{session, now.UnixMilli() + d.Milliseconds(), heldSince(now)}, args...), n)...)
	if err != nil {
		return 0, err
	}
	return len(ids), logClaims(tx, session, now, ids...)
}

// reviewerHolds counts the pending posts held, in all their open sessions,
// by the reviewer whose session this is: the policy caps it
// (model.Limits.Posts), so that one reviewer's many consoles cannot lease
// the queue away from everyone else.
func reviewerHolds(tx *sql.Tx, session string, now time.Time) (int, error) {
	var n int
	err := tx.QueryRow(`SELECT count(*) FROM posts INDEXED BY posts_leased
		WHERE lease_owner IN (SELECT id FROM sessions WHERE ended_at IS NULL
		                      AND reviewer = (SELECT reviewer FROM sessions WHERE id = ?))
		AND status = 'pending' AND lease_until >= ?`, session, heldSince(now)).Scan(&n)
	return n, err
}

// logClaims appends the claims to the posts' histories, in one statement
// (on PostgreSQL each statement is a round trip).
func logClaims(tx *sql.Tx, session string, now time.Time, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{now.UnixMilli(), session, session}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := tx.Exec(`INSERT INTO claims (post_id, at, reviewer, session)
		SELECT id, ?, (SELECT reviewer FROM sessions WHERE id = ?), ? FROM posts
		WHERE id IN (`+placeholders(len(ids))+`) ORDER BY id`, args...)
	return err
}

// Release gives back every pending post the session holds, at once: how a
// console that changes its filter lets go of posts it will no longer show.
func (s *Store) Release(ctx context.Context, session string) error {
	if session == "" {
		return nil
	}
	_, err := s.exec(ctx, `UPDATE posts SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ? AND status = 'pending'`, session)
	if err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}

// Renew extends the session's leases by d from now and records that it is
// alive. A session whose leases already ran out keeps only those no one else
// took meanwhile.
func (s *Store) Renew(ctx context.Context, session string, d time.Duration) error {
	now := s.now().UnixMilli()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`UPDATE posts SET lease_until = ? WHERE lease_owner = ? AND status = 'pending'`, now+d.Milliseconds(), session); err != nil {
			return fmt.Errorf("renew: %w", err)
		}
		if _, err := tx.Exec(`UPDATE sessions SET last_seen = ? WHERE id = ?`, now, session); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE reviewers SET last_seen = ? WHERE name = (SELECT reviewer FROM sessions WHERE id = ?)`, now, session)
		return err
	})
}

// Online counts the distinct reviewers with a connected session: one not
// ended whose console renewed it (its heartbeat) within model.OnlineWindow.
// A console renews on every refresh tick, working or not, so a reviewer who
// is reading counts; a console killed without ending its session stops
// counting a window later.
func (s *Store) Online(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(DISTINCT reviewer) FROM sessions INDEXED BY sessions_open
		WHERE ended_at IS NULL AND last_seen >= ?`, s.now().Add(-model.OnlineWindow).UnixMilli()).Scan(&n)
	return n, err
}

// ClaimPost leases one pending post to the session, if no other live session
// holds it and the reviewer is within the policy's limit of posts held: how
// an undone post comes back to the reviewer who undid it, and how a search
// result is taken to be decided. When it does not, it says why.
func (s *Store) ClaimPost(ctx context.Context, session string, id int64, d time.Duration) (model.ClaimOutcome, error) {
	if session == "" {
		return model.ClaimNoSession, nil
	}
	var got model.ClaimOutcome
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		got, err = s.claimPostIn(tx, session, id, d)
		return err
	})
	if err != nil {
		return got, fmt.Errorf("claim post %d: %w", id, err)
	}
	return got, nil
}

func (s *Store) claimPostIn(tx *sql.Tx, session string, id int64, d time.Duration) (model.ClaimOutcome, error) {
	now := s.now()
	var had sql.NullString
	var status string
	var leaseUntil sql.NullInt64
	if err := tx.QueryRow(`SELECT lease_owner, lease_until, status FROM posts WHERE id = ?`, id).Scan(&had, &leaseUntil, &status); err != nil {
		return 0, err
	}
	ours := had.String == session && leaseUntil.Int64 >= heldSince(now)
	switch {
	case status != string(model.StatusPending):
		return model.ClaimNotPending, nil
	case had.Valid && !ours && leaseUntil.Int64 >= heldSince(now):
		return model.ClaimHeld, nil
	}
	if !ours {
		held, err := reviewerHolds(tx, session, now)
		if err != nil {
			return 0, err
		}
		if held >= s.policy.Limits.Posts() {
			return model.ClaimOverLimit, nil
		}
	}
	res, err := tx.Exec(`UPDATE posts SET lease_owner = ?, lease_until = ? WHERE id = ?`+notExcluded,
		session, now.UnixMilli()+d.Milliseconds(), id, session)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return model.ClaimKeptFromYou, nil
	}
	if had.String == session {
		return model.Claimed, nil
	}
	return model.Claimed, logClaims(tx, session, now, id)
}

// queryIDs runs a statement that returns one id a row (a SELECT, or an
// UPDATE … RETURNING id) and collects them.
func queryIDs(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// heldSince is the oldest lease expiry that still counts as held at now: a
// lease is honoured for model.LeaseGrace past its expiry, so a session whose
// renewal lands a moment late keeps its batch.
func heldSince(now time.Time) int64 { return now.Add(-model.LeaseGrace).UnixMilli() }
