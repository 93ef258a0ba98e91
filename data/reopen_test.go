package data

import (
	"context"
	"errors"
	"testing"

	"triage/model"
)

// A lead reopens decided posts with a reason: each goes back to the queue
// with a reopen event on the chain; a rejection already sent is retracted
// with it, so the next takedowns run tells the platform. Reviewers cannot
// reopen, nor can anyone reopen without a reason or a post still pending.
func TestReopenWithAReason(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	if err := s.AddReviewer(ctx, "alice", model.RoleReviewer, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.AddReviewer(ctx, "lead", model.RoleLead, nil); err != nil {
		t.Fatal(err)
	}
	importLines(t, s, fraudPosts(3)...)
	decide(t, s, 1, "alice", model.ActionApprove, "FRD-NONE")
	decide(t, s, 2, "alice", model.ActionReject, "FRD-INV")
	reopen := func(who string, id int64, why string) error {
		_, err := s.Decide(ctx, model.Decision{PostID: id, Actor: model.Actor{Reviewer: who}, Action: model.ActionReopen, Note: why})
		return err
	}
	if err := reopen("alice", 1, "I was wrong"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a reviewer reopened: %v", err)
	}
	if err := reopen("lead", 1, " "); err == nil {
		t.Fatal("reopened without a reason")
	}
	if err := reopen("lead", 3, "new evidence"); !errors.Is(err, ErrConflict) {
		t.Fatalf("reopened a pending post: %v", err)
	}
	if err := reopen("lead", 1, "author appealed"); err != nil {
		t.Fatal(err)
	}
	// Post 2 goes out in a packet first, then is reopened.
	dir := t.TempDir()
	if _, err := s.Takedowns(ctx, TakedownOptions{Dir: dir, Format: "csv"}); err != nil {
		t.Fatal(err)
	}
	if err := reopen("lead", 2, "platform contested"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{1, 2} {
		p, err := s.Post(ctx, model.Actor{Reviewer: "lead"}, id)
		if err != nil {
			t.Fatal(err)
		}
		last := p.Events[len(p.Events)-1]
		if p.Status != model.StatusPending || last.Action != model.ActionReopen || last.Reviewer != "lead" || last.Note == "" {
			t.Fatalf("post %d after reopen: %s, last event %+v", id, p.Status, last)
		}
	}
	var retracted int
	if err := s.r.QueryRow(`SELECT count(*) FROM retractions WHERE post_id = 2 AND sent_in IS NULL`).Scan(&retracted); err != nil || retracted != 1 {
		t.Fatalf("the sent rejection was not retracted: %d %v", retracted, err)
	}
	packets, err := s.Takedowns(ctx, TakedownOptions{Dir: dir, Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, p := range packets {
		kinds[p.Kind] += p.Posts
	}
	if kinds["retractions"] != 1 {
		t.Fatalf("the next takedowns run wrote %v, want one retraction", kinds)
	}
	if res, err := s.Verify(ctx, VerifyOptions{}); err != nil || !res.OK() {
		t.Fatalf("verify after reopening: %+v %v", res, err)
	}
	// The reopened posts can be decided again, and check's replay of the
	// trail agrees with every status.
	decide(t, s, 1, "alice", model.ActionReject, "FRD-INV")
	if rep, err := s.Check(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check after reopening: %v %v", rep.Problems, err)
	}
}

// Migration 8 rebuilds the audit table, which retractions refer to: a
// database with a retraction (a real one: written by the schema-7 code
// path) migrates, keeps it pointing at its event, and can record reopens.
func TestMigrationKeepsRetractionsWhenTheAuditTableIsRebuilt(t *testing.T) {
	db, path := atSchema(t, 7)
	for _, q := range []string{
		`INSERT INTO posts (id, dedup_key, platform, text, category, flagged_at, prio, author_id, status) VALUES (1, 'k1', 'vk', 'x', 'fraud', 1, 1, 'a', 'pending')`,
		`INSERT INTO takedown_packets (id, platform, file, format, created_at, state, posts, chain_head) VALUES (1, 'vk', 'vk.csv', 'csv', 1, 'sent', 1, '')`,
		`INSERT INTO events (id, post_id, at, reviewer, action, note, from_status, to_status) VALUES (1, 1, 1, 'lead', 'retract', 'contested', 'rejected', 'pending')`,
		`INSERT INTO retractions (post_id, packet_id, event_id) VALUES (1, 1, 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s := migrated(t, db, path)
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM retractions r JOIN events e ON e.id = r.event_id WHERE e.action = 'retract'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the retraction lost its event: %d %v", n, err)
	}
	if _, err := s.w.Exec(`INSERT INTO events (post_id, at, reviewer, action, note, from_status, to_status) VALUES (1, 2, 'lead', 'reopen', 'x', 'approved', 'pending')`); err != nil {
		t.Fatalf("the migrated audit table refuses reopen: %v", err)
	}
	var fkOn int
	if err := s.w.QueryRow(`PRAGMA foreign_keys`).Scan(&fkOn); err != nil || fkOn != 1 {
		t.Fatalf("foreign keys are off after the migration: %d %v", fkOn, err)
	}
}
