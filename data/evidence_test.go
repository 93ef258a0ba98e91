package data

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"triage/model"
)

// editPostBehindBack changes a post's evidence columns as someone with the
// database could: the guard lifted, the row edited, the guard put back
// exactly as it was (SQLite: the same CREATE TRIGGER text; PostgreSQL: the
// trigger disabled and enabled ALWAYS again), so the schema check sees
// nothing.
func editPostBehindBack(t *testing.T, s *Store, id int64, set string) {
	t.Helper()
	steps := []string{`ALTER TABLE posts DISABLE TRIGGER posts_evidence_fixed`, `UPDATE posts SET ` + set + ` WHERE id = ?`,
		`ALTER TABLE posts ENABLE ALWAYS TRIGGER posts_evidence_fixed`}
	if s.pg == nil {
		var def string
		if err := s.w.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'posts_evidence_fixed'`).Scan(&def); err != nil {
			t.Fatal(err)
		}
		steps[0], steps[2] = `DROP TRIGGER posts_evidence_fixed`, def
	}
	for i, q := range steps {
		var err error
		if i == 1 {
			_, err = s.w.Exec(q, id)
		} else {
			_, err = s.w.Exec(q)
		}
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// A decided post's text, URL or author changed behind the tool's back is
// named by verify and check, though every trigger is as the schema made it.
func TestVerifyNamesAPostChangedBehindItsBack(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(4)...)
	rejectAll(t, s, 1, 2)
	decide(t, s, 3, "alice", model.ActionApprove, "FRD-NONE")
	if res, err := s.Verify(ctx, VerifyOptions{}); err != nil || !res.OK() || res.ContentFrom != 1 {
		t.Fatalf("healthy: %+v %v", res, err)
	}
	editPostBehindBack(t, s, 2, `text = 'forged', url = 'https://evil.example/'`)
	editPostBehindBack(t, s, 3, `author = 'someone else'`)
	editPostBehindBack(t, s, 4, `text = 'undecided, so bound by nothing'`)
	res, err := s.Verify(ctx, VerifyOptions{})
	if err != nil || res.BadID != 0 || len(res.Problems) != 2 ||
		!strings.HasPrefix(res.Problems[0], "post 2: its url, text") || !strings.HasPrefix(res.Problems[1], "post 3: ") {
		t.Fatalf("verify: %+v %v", res, err)
	}
	rep, err := s.Check(ctx)
	all := strings.Join(rep.Problems, "\n")
	if err != nil || len(rep.Problems) != 2 || !strings.Contains(all, "post 2: its url, text") || strings.Contains(all, "trigger") {
		t.Fatalf("check: %q %v", rep.Problems, err)
	}
}

// Every append-only table refuses a row whose key is taken, however it is
// asked: INSERT OR REPLACE and REPLACE INTO (which delete the old row
// without firing a DELETE trigger), and UPSERT; packets, retractions,
// outcomes and posts are never deleted.
func TestAppendOnlyRefusesReplace(t *testing.T) {
	s := openTemp(t)
	fillForCopy(t, s)
	for _, c := range []struct{ table, forge string }{
		{"events", "reviewer = 'mallory'"},
		{"claims", "reviewer = 'mallory'"},
		{"admin_log", "actor = 'mallory'"},
		{"settings_log", "actor = 'mallory'"},
		{"second_looks", "first_reviewer = 'mallory'"},
		{"takedown_packets", "platform = 'mallory'"},
		{"retractions", "event_id = excluded.event_id + 1"},
		{"outcomes", "outcome = 'no_action'"},
	} {
		first := ` SELECT * FROM ` + c.table + ` WHERE id = (SELECT min(id) FROM ` + c.table + `)`
		stmts := []string{`INSERT INTO ` + c.table + first + ` ON CONFLICT (id) DO UPDATE SET ` + c.forge,
			`DELETE FROM ` + c.table + ` WHERE id = (SELECT min(id) FROM ` + c.table + `)`}
		if s.pg == nil {
			stmts = append(stmts, `INSERT OR REPLACE INTO `+c.table+first, `REPLACE INTO `+c.table+first)
		}
		for _, q := range stmts {
			if _, err := s.w.Exec(q); err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
	}
	if _, err := s.w.Exec(`DELETE FROM posts WHERE id = 6`); err == nil || !strings.Contains(err.Error(), "never deleted") {
		t.Errorf("a post was deleted: %v", err)
	}
	if _, err := s.w.Exec(`REPLACE INTO posts SELECT * FROM posts WHERE id = 6`); s.pg == nil && (err == nil || !strings.Contains(err.Error(), "never replaced")) {
		t.Errorf("a post was replaced: %v", err)
	}
	if rep, err := s.Check(context.Background()); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("after the refusals: %q %v", rep.Problems, err)
	}
	if _, err := dropTrigger(s, "retractions_no_delete"); err != nil {
		t.Fatal(err)
	}
	if rep, _ := s.Check(context.Background()); !strings.Contains(strings.Join(rep.Problems, "\n"), "trigger retractions_no_delete: missing") {
		t.Fatalf("a dropped guard not named: %q", rep.Problems)
	}
}

// Events written before content was bound keep their bytes and verify as
// they did; events from the upgrade on bind their post's content, and a
// later event with its binding stripped (and the chain re-hashed) is named.
func TestEventsBeforeContentBindingVerifyAsBefore(t *testing.T) {
	db, path := atSchema(t, 10)
	for id := int64(1); id <= 3; id++ {
		if _, err := db.Exec(`INSERT INTO posts (id, dedup_key, platform, external_id, text, category, flagged_at, prio)
			VALUES (?, ?, 'vk', ?, 't', 'fraud', 0, 0)`, id, "vk\x1f"+strings.Repeat("x", int(id)), strings.Repeat("x", int(id))); err != nil {
			t.Fatal(err)
		}
	}
	ev := model.Event{ID: 1, PostID: 1, At: testNow, Reviewer: "alice", Action: model.ActionReject, ReasonCode: "FRD-INV",
		From: model.StatusPending, To: model.StatusRejected}
	prev := chainHash(nil, ev, nil) // as triage hashed it before this version
	if _, err := db.Exec(`UPDATE posts SET status = 'rejected' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO events (id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, hash)
		VALUES (1, 1, ?, 'alice', '', 'reject', 'FRD-INV', '', 'pending', 'rejected', ?)`, testNow.UnixMilli(), prev); err != nil {
		t.Fatal(err)
	}
	s := migrated(t, db, path)
	ctx := context.Background()
	res, err := s.Verify(ctx, VerifyOptions{})
	if err != nil || !res.OK() || res.Events != 1 || res.ContentFrom != 0 || res.Head != hex.EncodeToString(prev) {
		t.Fatalf("old events after the upgrade: %+v %v", res, err)
	}
	decide(t, s, 2, "alice", model.ActionReject, "FRD-INV")
	decide(t, s, 3, "alice", model.ActionReject, "FRD-INV")
	if res, _ := s.Verify(ctx, VerifyOptions{}); !res.OK() || res.ContentFrom != 2 {
		t.Fatalf("after the upgrade: %+v", res)
	}
	// Event 3's binding stripped and its hash recomputed without it.
	var h2 []byte
	s.r.QueryRow(`SELECT hash FROM events WHERE id = 2`).Scan(&h2)
	var e3 model.Event
	var at int64
	s.r.QueryRow(`SELECT id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status FROM events WHERE id = 3`).
		Scan(&e3.ID, &e3.PostID, &at, &e3.Reviewer, &e3.KeyFP, &e3.Action, &e3.ReasonCode, &e3.Note, &e3.From, &e3.To)
	e3.At = time.UnixMilli(at).UTC()
	dropTrigger(s, "events_append_only_update")
	if _, err := s.w.Exec(`UPDATE events SET content_sha256 = NULL, hash = ? WHERE id = 3`, chainHash(h2, e3, nil)); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.Verify(ctx, VerifyOptions{}); res.BadID != 3 || !strings.Contains(res.Problem, "binds no post content, though every event from 2 on must") {
		t.Fatalf("stripped binding: %+v", res)
	}
}
