package data

import (
	"context"
	"strings"
	"testing"
	"time"

	"triage/model"
)

func TestVerifyCatchesAnEditBehindTheToolsBack(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(5)...)
	for id := int64(1); id <= 4; id++ {
		decide(t, s, id, "alice", model.ActionReject, "FRD-INV")
	}
	decide(t, s, 2, "alice", model.ActionUndo, "")
	res, err := s.Verify(ctx, VerifyOptions{})
	if err != nil || res.BadID != 0 || res.Events != 5 {
		t.Fatalf("healthy chain: %+v %v", res, err)
	}
	head, n, _ := s.ChainHead(ctx)
	if head != res.Head || n != 5 || len(head) != 64 {
		t.Fatalf("chain head %q (%d events), verify ended at %q", head, n, res.Head)
	}
	// Someone with the database file drops the guard and rewrites history.
	if _, err := dropTrigger(s, "events_append_only_update"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`UPDATE events SET reviewer = 'bob' WHERE id = 3`); err != nil {
		t.Fatal(err)
	}
	res, err = s.Verify(ctx, VerifyOptions{})
	if err != nil || res.BadID != 3 || !strings.Contains(res.Problem, "event 3 (post 3, reject by bob)") {
		t.Fatalf("tampering not caught at event 3: %+v %v", res, err)
	}
	// Rewriting the hash too does not help: the next event's link breaks.
	var prev []byte
	s.r.QueryRow(`SELECT hash FROM events WHERE id = 2`).Scan(&prev)
	ev := model.Event{}
	var at int64
	var content []byte
	s.r.QueryRow(`SELECT id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, content_sha256 FROM events WHERE id = 3`).
		Scan(&ev.ID, &ev.PostID, &at, &ev.Reviewer, &ev.KeyFP, &ev.Action, &ev.ReasonCode, &ev.Note, &ev.From, &ev.To, &content)
	ev.At = time.UnixMilli(at).UTC()
	s.w.Exec(`UPDATE events SET hash = ? WHERE id = 3`, chainHash(prev, ev, content))
	if res, _ = s.Verify(ctx, VerifyOptions{}); res.BadID != 4 {
		t.Fatalf("re-hashed event not caught at the next link: %+v", res)
	}
}

func TestChainExistingBackfillsOldEvents(t *testing.T) {
	sqliteOnly(t) // a SQLite migration's backfill; PostgreSQL's schema began chained
	s := openTemp(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(3)...)
	for id := int64(1); id <= 3; id++ {
		decide(t, s, id, "alice", model.ActionApprove, "FRD-NONE")
	}
	dropTrigger(s, "events_append_only_update")
	s.w.Exec(`UPDATE events SET hash = NULL, content_sha256 = NULL`) // as written before either existed
	tx, _ := s.w.Begin()
	if err := chainExisting(tx); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	if res, _ := s.Verify(ctx, VerifyOptions{}); res.BadID != 0 || res.Events != 3 {
		t.Fatalf("after backfill: %+v", res)
	}
	if _, err := s.w.Exec(`UPDATE events SET note = 'x'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("backfill left the table editable: %v", err)
	}
}
