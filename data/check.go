package data

import (
	"context"
	"fmt"
	"time"

	"triage/model"
)

// CheckReport lists every invariant violation found; empty means healthy.
type CheckReport struct {
	Posts, Events int
	Problems      []string
	// Warnings are about the deployment rather than the data (a role that
	// may lift PostgreSQL's triggers); they do not fail the check.
	Warnings []string
	chain    VerifyResult // the audit chain's walk, which checkReasons reads
}

// maxProblems keeps a badly broken database from flooding the report.
const maxProblems = 50

func (r *CheckReport) add(format string, a ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
	}
}

// Check verifies the store's invariants: SQLite's own integrity check; every
// post's status is what replaying its audit events gives; no post was decided
// twice without an undo between; every event names a reviewer; the counters
// (status and cluster sizes) match the posts; leases, packets and
// retractions agree with the posts; every trigger and index is the one the
// migrations made (the append-only guards above all, and on PostgreSQL
// when each fires); the audit chain verifies, posts' content included,
// as `triage verify` does; each post's severity, reports, flagging time
// and source are what its flags give (checkFlagTotals); and each
// decision's reason is one its post's category allows (checkReasons). On PostgreSQL it warns of roles that may set
// session_replication_role. It streams posts and events rather than
// loading them.
func (s *Store) Check(ctx context.Context) (CheckReport, error) {
	var rep CheckReport
	// SQLite checks its file; PostgreSQL's pages are the server's to check
	// (data checksums, amcheck), and its operators'.
	if s.pg == nil {
		var integrity string
		if err := s.r.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&integrity); err != nil {
			return rep, fmt.Errorf("integrity check: %w", err)
		}
		if integrity != "ok" {
			rep.add("integrity_check: %s", integrity)
		}
	}
	if err := s.checkReplay(ctx, &rep); err != nil {
		return rep, err
	}
	if err := s.checkCounts(ctx, &rep); err != nil {
		return rep, err
	}
	if err := s.checkLeases(ctx, &rep); err != nil {
		return rep, err
	}
	for _, step := range []func(context.Context, *CheckReport) error{s.checkSchema, s.checkPackets, s.checkLooks, s.checkFlagTotals, s.checkChain, s.checkReasons, s.checkReplicationRoles} {
		if err := step(ctx, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// checkReplay walks posts and their events in one merge-join ordered by post.
func (s *Store) checkReplay(ctx context.Context, rep *CheckReport) error {
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.status, e.id, e.reviewer, e.action, e.from_status, e.to_status
		FROM posts p LEFT JOIN events e ON e.post_id = p.id ORDER BY p.id, e.id`)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	defer rows.Close()
	var cur int64 = -1
	var stored, replayed model.Status
	var undoTo []model.Status // the status before each decision still in force
	finish := func() {
		if cur >= 0 && stored != replayed {
			rep.add("post %d: status %s, but its audit events say %s", cur, stored, replayed)
		}
	}
	for rows.Next() {
		var id int64
		var status model.Status
		var evID *int64
		var reviewer, action, from, to *string
		if err := rows.Scan(&id, &status, &evID, &reviewer, &action, &from, &to); err != nil {
			return err
		}
		if id != cur {
			finish()
			cur, stored, replayed, undoTo = id, status, model.StatusPending, undoTo[:0]
			rep.Posts++
		}
		if evID == nil {
			continue
		}
		rep.Events++
		if *reviewer == "" {
			rep.add("event %d: names no reviewer", *evID)
		}
		a := model.Action(*action)
		// Roles may have changed since, so the replay grants the widest one.
		next, err := model.Transition(replayed, a, model.RoleLead)
		if err == nil && a == model.ActionUndo {
			if len(undoTo) == 0 {
				err = fmt.Errorf("undo with no decision in force")
			} else {
				next, undoTo = undoTo[len(undoTo)-1], undoTo[:len(undoTo)-1]
			}
		}
		if err == nil && a == model.ActionReject && next == model.StatusRejected && model.Status(*to) == model.StatusAwaiting {
			next = model.StatusAwaiting // a four-eyes rejection waits for its confirmation
		}
		if err == nil && a.IsDecision() {
			undoTo = append(undoTo, replayed)
		}
		if err == nil && (a == model.ActionReturn || a == model.ActionRetract || a == model.ActionReopen ||
			a == model.ActionConfirm || a == model.ActionDisagree) {
			undoTo = undoTo[:0]
		}
		if err != nil {
			if a.IsDecision() {
				rep.add("post %d: decided twice (event %d: %s while %s)", id, *evID, a, replayed)
			} else {
				rep.add("post %d: event %d: %v", id, *evID, err)
			}
			continue
		}
		if model.Status(*from) != replayed || model.Status(*to) != next {
			rep.add("event %d: records %s→%s, replay gives %s→%s", *evID, *from, *to, replayed, next)
		}
		replayed = next
	}
	finish()
	return rows.Err()
}

func (s *Store) checkCounts(ctx context.Context, rep *CheckReport) error {
	rows, err := s.r.QueryContext(ctx, `SELECT a.status, a.category, a.n, coalesce(c.n, 0)
		FROM (SELECT status, category, count(*) AS n FROM posts GROUP BY status, category) a
		LEFT JOIN counts c ON c.status = a.status AND c.category = a.category
		WHERE a.n <> coalesce(c.n, 0)`)
	if err != nil {
		return fmt.Errorf("check counters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st, cat string
		var real, kept int
		if err := rows.Scan(&st, &cat, &real, &kept); err != nil {
			return err
		}
		rep.add("counter %s/%s: %d kept, %d real", st, cat, kept, real)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return s.checkClusters(ctx, rep)
}

// checkClusters compares each cluster's trigger-kept sizes with its posts,
// and finds posts that name a cluster that does not exist.
func (s *Store) checkClusters(ctx context.Context, rep *CheckReport) error {
	rows, err := s.r.QueryContext(ctx, `SELECT c.id, c.posts, c.pending, coalesce(a.n, 0), coalesce(a.p, 0)
		FROM clusters c LEFT JOIN (SELECT cluster, count(*) AS n, sum(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS p
			FROM posts WHERE cluster IS NOT NULL GROUP BY cluster) a ON a.cluster = c.id
		WHERE c.posts <> coalesce(a.n, 0) OR c.pending <> coalesce(a.p, 0)
		UNION ALL
		SELECT p.cluster, 0, 0, count(*), 0 FROM posts p LEFT JOIN clusters c ON c.id = p.cluster
		WHERE p.cluster IS NOT NULL AND c.id IS NULL GROUP BY p.cluster`)
	if err != nil {
		return fmt.Errorf("check clusters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var posts, pending, realPosts, realPending int
		if err := rows.Scan(&id, &posts, &pending, &realPosts, &realPending); err != nil {
			return err
		}
		rep.add("cluster %d: %d posts and %d pending kept, %d and %d real", id, posts, pending, realPosts, realPending)
	}
	return rows.Err()
}

// checkLeases finds leases that outlive their rules: on a post that is no
// longer pending, held by a session that has ended, or running further ahead
// than any lease may.
func (s *Store) checkLeases(ctx context.Context, rep *CheckReport) error {
	now := s.now().UnixMilli()
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.status, p.lease_owner, p.lease_until, s.ended_at
		FROM posts p LEFT JOIN sessions s ON s.id = p.lease_owner
		WHERE p.lease_owner IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("check leases: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status, owner string
		var until int64
		var ended *int64
		if err := rows.Scan(&id, &status, &owner, &until, &ended); err != nil {
			return err
		}
		switch {
		case status != string(model.StatusPending):
			rep.add("post %d: %s but still leased to session %s", id, status, owner)
		case ended != nil:
			rep.add("post %d: leased to session %s, which has ended", id, owner)
		case until-now > MaxLease.Milliseconds():
			rep.add("post %d: lease runs %s ahead, longer than any lease may", id, time.Duration(until-now)*time.Millisecond)
		}
	}
	return rows.Err()
}
