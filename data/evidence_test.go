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
// database could: the guards lifted, the row edited, the guards put back
// exactly as they were (SQLite: the same CREATE TRIGGER text; PostgreSQL:
// the triggers disabled and enabled ALWAYS again), so the schema check
// sees nothing.
func editPostBehindBack(t *testing.T, s *Store, id int64, set string) {
	t.Helper()
	editBehindBack(t, s, "posts", []string{"posts_evidence_fixed", "posts_facts_fixed", "posts_merge_only"}, `UPDATE posts SET `+set+` WHERE id = ?`, id)
}

// editBehindBack runs q (with args) on table with its guards lifted and
// put back as they were.
func editBehindBack(t *testing.T, s *Store, table string, guards []string, q string, args ...any) {
	t.Helper()
	var lift, restore []string
	for _, g := range guards {
		if s.pg != nil {
			lift = append(lift, `ALTER TABLE `+table+` DISABLE TRIGGER `+g)
			restore = append(restore, `ALTER TABLE `+table+` ENABLE ALWAYS TRIGGER `+g)
			continue
		}
		var def string
		if err := s.w.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`, g).Scan(&def); err != nil {
			t.Fatalf("trigger %s: %v", g, err)
		}
		lift, restore = append(lift, `DROP TRIGGER `+g), append(restore, def)
	}
	for _, q := range lift {
		if _, err := s.w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := s.w.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	for _, q := range restore {
		if _, err := s.w.Exec(q); err != nil {
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

// What a post was flagged as, and each flag, are evidence: a post's
// category, language, times, source and unknown fields never change, its
// severity and reports only grow, and flags are append-only, however it is
// asked (on PostgreSQL in replica mode too). A re-flag merged by import
// still raises the post's severity and reports.
func TestPostFactsAndFlagsAreFixed(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, fraudPosts(8)...)
	rejectAll(t, s, 5)
	if res, _ := importLines(t, s, `{"platform":"vk","text":"t","category":"fraud","external_id":"xxxxxxxx","severity":5,"reports":2}`); res.Merged != 1 {
		t.Fatalf("re-flag: %+v", res)
	}
	var sev, reports int
	s.r.QueryRow(`SELECT severity, reports FROM posts WHERE id = 8`).Scan(&sev, &reports)
	if sev != 5 || reports != 3 {
		t.Fatalf("after the re-flag: severity %d, reports %d", sev, reports)
	}
	refused := []string{
		`UPDATE posts SET category = 'other' WHERE id = 5`,
		`UPDATE posts SET language = 'xx' WHERE id = 5`,
		`UPDATE posts SET posted_at = 1 WHERE id = 5`,
		`UPDATE posts SET flagged_at = 1 WHERE id = 5`,
		`UPDATE posts SET source = 'mallory' WHERE id = 5`,
		`UPDATE posts SET extra = '{"x":1}' WHERE id = 5`,
		`UPDATE posts SET dedup_key = 'x' WHERE id = 5`,
		`UPDATE posts SET severity = 1 WHERE id = 8`,
		`UPDATE posts SET reports = 1 WHERE id = 8`,
		`UPDATE flags SET reason = 'mallory', source = 'mallory' WHERE post_id = 8`,
		`DELETE FROM flags WHERE post_id = 8`,
		`INSERT INTO flags SELECT * FROM flags WHERE id = 1 ON CONFLICT (id) DO UPDATE SET reason = 'mallory'`,
	}
	if s.pg == nil {
		refused = append(refused, `INSERT OR REPLACE INTO flags SELECT * FROM flags WHERE id = 1`, `REPLACE INTO flags SELECT * FROM flags WHERE id = 1`)
	} else {
		refused = append(refused, `TRUNCATE flags`)
	}
	for _, q := range refused {
		if _, err := s.w.Exec(q); err == nil {
			t.Errorf("%s: allowed", q)
		}
		if s.pg != nil {
			if err := inReplicaMode(s, q); err == nil {
				t.Errorf("in replica mode: %s: allowed", q)
			}
		}
	}
	if rep, err := s.Check(context.Background()); err != nil || len(rep.Problems) != 0 || len(rep.Warnings) != 0 && s.pg == nil {
		t.Fatalf("after the refusals: %q %q %v", rep.Problems, rep.Warnings, err)
	}
}

// A flag or a post's merge state changed behind the tool's back (guards
// lifted and put back) is named by check: the post's severity, reports,
// flagging time and source are what its append-only flags give.
func TestCheckHoldsPostsToTheirFlags(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, fraudPosts(8)...)
	editPostBehindBack(t, s, 3, `severity = 5, reports = 9`)
	editBehindBack(t, s, "flags", []string{"flags_append_only_update"}, `UPDATE flags SET source = 'mallory' WHERE post_id = ?`, 6)
	editBehindBack(t, s, "flags", []string{"flags_append_only_delete"}, `DELETE FROM flags WHERE post_id = ?`, 8)
	rep, err := s.Check(context.Background())
	all := strings.Join(rep.Problems, "\n")
	if err != nil || len(rep.Problems) != 3 || !strings.Contains(all, "post 3: severity 5, 9 reports") ||
		!strings.Contains(all, `post 6: severity 3, 1 report, flagged at`) || !strings.Contains(all, "post 8: has no flags") {
		t.Fatalf("check: %q %v", rep.Problems, err)
	}
}

// A rejected post moved to another category behind the tool's back: from
// this version on the event binds the category, so verify names the post;
// for an event written before, check names the decision whose reason is
// not one of the post's category. A reason the current policy does not
// know (a policy changed since) is a warning, not a problem.
func TestCategoryChangedBehindTheToolsBack(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(6)...)
	rejectAll(t, s, 5)
	decide(t, s, 6, "alice", model.ActionApprove, "FRD-NONE")
	if res, err := s.Verify(ctx, VerifyOptions{}); err != nil || !res.OK() || res.CategoryFrom != 1 {
		t.Fatalf("healthy: %+v %v", res, err)
	}
	editPostBehindBack(t, s, 5, `category = 'other'`)
	res, err := s.Verify(ctx, VerifyOptions{})
	if err != nil || res.BadID != 0 || len(res.Problems) != 1 || !strings.HasPrefix(res.Problems[0], "post 5: its url, text, author, ids, platform or category are not") {
		t.Fatalf("verify: %+v %v", res, err)
	}
	rep, err := s.Check(ctx)
	if err != nil || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "post 5: its url") {
		t.Fatalf("check: %q %q %v", rep.Problems, rep.Warnings, err)
	}
}

func TestCheckNamesAnOlderDecisionOutsideItsCategory(t *testing.T) {
	db, path := atSchema(t, 11)
	for id := int64(1); id <= 3; id++ {
		if _, err := db.Exec(`INSERT INTO posts (id, dedup_key, platform, external_id, text, category, flagged_at, prio)
			VALUES (?, ?, 'vk', ?, 't', 'fraud', 0, 0)`, id, "vk\x1f"+strings.Repeat("x", int(id)), strings.Repeat("x", int(id))); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO flags (post_id, flagged_at) VALUES (?, 0)`, id); err != nil {
			t.Fatal(err)
		}
	}
	// Events 1 and 2 as triage wrote them at schema 11: content bound
	// without the category.
	var prev []byte
	for i, code := range []string{"FRD-INV", "FRD-GONE"} {
		id := int64(i + 1)
		ev := model.Event{ID: id, PostID: id, At: testNow, Reviewer: "alice", Action: model.ActionReject, ReasonCode: code,
			From: model.StatusPending, To: model.StatusRejected}
		content := postContent{Platform: "vk", ExternalID: strings.Repeat("x", int(id)), Text: "t"}.hash(false)
		prev = chainHash(prev, ev, content)
		if _, err := db.Exec(`UPDATE posts SET status = 'rejected' WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO events (id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, hash, content_sha256)
			VALUES (?, ?, ?, 'alice', '', 'reject', ?, '', 'pending', 'rejected', ?, ?)`, id, id, testNow.UnixMilli(), code, prev, content); err != nil {
			t.Fatal(err)
		}
	}
	s := migrated(t, db, path)
	ctx := context.Background()
	decide(t, s, 3, "alice", model.ActionReject, "FRD-INV")
	res, err := s.Verify(ctx, VerifyOptions{})
	if err != nil || !res.OK() || res.ContentFrom != 1 || res.CategoryFrom != 3 {
		t.Fatalf("after the upgrade: %+v %v", res, err)
	}
	if rep, _ := s.Check(ctx); len(rep.Problems) != 0 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `reject with "FRD-GONE" on a "fraud" post`) {
		t.Fatalf("a retired reason: %q %q", rep.Problems, rep.Warnings)
	}
	editPostBehindBack(t, s, 1, `category = 'other'`)
	if res, _ := s.Verify(ctx, VerifyOptions{}); !res.OK() {
		t.Fatalf("event 1 binds no category, yet: %+v", res)
	}
	rep, err := s.Check(ctx)
	if err != nil || len(rep.Problems) != 1 || rep.Problems[0] != "post 1 (other): event 1 rejects with FRD-INV, a fraud violation reason: its category was changed behind the tool's back (or the policy moved FRD-INV since)" {
		t.Fatalf("check: %q %v", rep.Problems, err)
	}
	// Under a policy that no longer knows "other", the same event is a
	// warning: a retired category explains it.
	s.policy = model.DefaultPolicy()
	s.policy.Categories = s.policy.Categories[:len(s.policy.Categories)-1]
	if rep, _ := s.Check(ctx); len(rep.Problems) != 0 || len(rep.Warnings) != 2 {
		t.Fatalf("retired category: %q %q", rep.Problems, rep.Warnings)
	}
}
