package data

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"triage/model"
)

// recruitmentPosts are n recruitment posts on vk, ids 1..n.
func recruitmentPosts(n int) []string {
	var lines []string
	for i := 0; i < n; i++ {
		lines = append(lines, `{"platform":"vk","text":"join us","category":"recruitment","external_id":"r`+strings.Repeat("x", i+1)+`"}`)
	}
	return lines
}

func secondLook(s *Store, who string, id int64, a model.Action, code, note string) error {
	_, err := s.Decide(context.Background(), model.Decision{PostID: id, Actor: model.Actor{Reviewer: who}, Action: a, ReasonCode: code, Note: note})
	return err
}

// status is the post's stored status, as no reader's view blinds it.
func status(t *testing.T, s *Store, id int64) model.Status {
	t.Helper()
	var st model.Status
	if err := s.r.QueryRow(`SELECT status FROM posts WHERE id = ?`, id).Scan(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func confirmQueue(t *testing.T, s *Store, who string) []model.Item {
	t.Helper()
	items, err := s.Page(context.Background(), model.PageQuery{Queue: model.QueueConfirm, Actor: model.Actor{Reviewer: who}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func addTeam(t *testing.T, s *Store) {
	t.Helper()
	for _, r := range []struct {
		name string
		role model.Role
	}{{"alice", model.RoleReviewer}, {"bob", model.RoleReviewer}, {"carol", model.RoleReviewer}, {"lead", model.RoleLead}} {
		if err := s.AddReviewer(context.Background(), r.name, r.role, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// A rejection with a four-eyes code (the built-in policy's REC-AD cites
// criminal law) waits for another reviewer: it is in no packet, the first
// reviewer cannot confirm it, anyone else sees it in the Confirm queue and
// confirming it makes it a takedown naming both reviewers.
func TestFourEyesRejectionWaitsForAnotherReviewer(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	addTeam(t, s)
	importLines(t, s, recruitmentPosts(2)...)
	decide(t, s, 1, "alice", model.ActionReject, "REC-AD")
	decide(t, s, 2, "alice", model.ActionReject, "REC-GLO") // no criminal-law basis: one pair of eyes
	if st := status(t, s, 1); st != model.StatusAwaiting {
		t.Fatalf("a four-eyes rejection is %s, want awaiting", st)
	}
	if st := status(t, s, 2); st != model.StatusRejected {
		t.Fatalf("an ordinary rejection is %s", st)
	}
	dir := t.TempDir()
	packets, err := s.Takedowns(ctx, TakedownOptions{Dir: dir, Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(packets) != 1 || packets[0].Posts != 1 {
		t.Fatalf("takedowns before confirmation: %+v, want only post 2", packets)
	}
	if got := confirmQueue(t, s, "alice"); len(got) != 0 {
		t.Fatalf("alice is asked to confirm her own rejection: %+v", got)
	}
	if err := secondLook(s, "alice", 1, model.ActionConfirm, "", ""); !errors.Is(err, ErrForbidden) {
		t.Fatalf("alice confirmed her own rejection: %v", err)
	}
	q := confirmQueue(t, s, "bob")
	if len(q) != 1 || q[0].PostID != 1 || q[0].Look.Kind != model.LookConfirm || q[0].Look.FirstReviewer != "alice" || q[0].Look.FirstCode != "REC-AD" {
		t.Fatalf("bob's Confirm queue: %+v", q)
	}
	if err := secondLook(s, "bob", 1, model.ActionConfirm, "REC-PAY", ""); !errors.Is(err, ErrConflict) {
		t.Fatalf("a confirmation with another reason: %v", err)
	}
	if err := secondLook(s, "bob", 1, model.ActionConfirm, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := secondLook(s, "carol", 1, model.ActionConfirm, "", ""); !errors.Is(err, ErrConflict) {
		t.Fatalf("a second confirmation: %v", err)
	}
	if st := status(t, s, 1); st != model.StatusRejected {
		t.Fatalf("confirmed post is %s", st)
	}
	if _, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "alice"}, Action: model.ActionUndo}); err == nil {
		t.Fatal("alice undid a rejection bob had confirmed")
	}
	packets, err = s.Takedowns(ctx, TakedownOptions{Dir: dir, Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(packets) != 1 || packets[0].Posts != 1 {
		t.Fatalf("takedowns after confirmation: %+v", packets)
	}
	b, err := os.ReadFile(packets[0].File)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "alice") || !strings.Contains(string(b), "bob") {
		t.Fatalf("the takedown row does not name both reviewers:\n%s", b)
	}
	if rep, err := s.Check(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %v %v", rep.Problems, err)
	}
	if res, err := s.Verify(ctx, VerifyOptions{}); err != nil || !res.OK() {
		t.Fatalf("verify: %+v %v", res, err)
	}
}

// A disagreement sends the post to the leads with both views on record; a
// disagreement needs a note and a reason other than the first.
func TestDisagreementGoesToTheLeadsWithBothViews(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	addTeam(t, s)
	importLines(t, s, recruitmentPosts(1)...)
	if _, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "alice"}, Action: model.ActionReject, ReasonCode: "REC-PAY", Note: "offers money"}); err != nil {
		t.Fatal(err)
	}
	if err := secondLook(s, "bob", 1, model.ActionDisagree, "REC-NEWS", ""); err == nil {
		t.Fatal("a disagreement without a note")
	}
	if err := secondLook(s, "bob", 1, model.ActionDisagree, "REC-PAY", "hmm"); !errors.Is(err, ErrConflict) {
		t.Fatalf("a disagreement giving the first reason: %v", err)
	}
	if err := secondLook(s, "bob", 1, model.ActionDisagree, "REC-NEWS", "a news report about it"); err != nil {
		t.Fatal(err)
	}
	leads, err := s.Page(ctx, model.PageQuery{Queue: model.QueueLeads, Actor: model.Actor{Reviewer: "lead"}, Limit: 10})
	if err != nil || len(leads) != 1 || leads[0].PostID != 1 {
		t.Fatalf("leads' queue: %+v %v", leads, err)
	}
	p, err := s.Post(ctx, model.Actor{Reviewer: "lead"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	var views []string
	for _, ev := range p.Events {
		views = append(views, string(ev.Action)+" "+ev.Reviewer+" "+ev.ReasonCode+" "+ev.Note)
	}
	want := []string{"reject alice REC-PAY offers money", "disagree bob REC-NEWS a news report about it"}
	if strings.Join(views, "|") != strings.Join(want, "|") {
		t.Fatalf("the leads see %q, want %q", views, want)
	}
	// Both reviewers can still read what became of it.
	for _, who := range []string{"alice", "bob"} {
		if _, err := s.Post(ctx, model.Actor{Reviewer: who}, 1); err != nil {
			t.Fatalf("%s cannot see the post they sent to the leads: %v", who, err)
		}
	}
	if rep, err := s.Check(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %v %v", rep.Problems, err)
	}
}

// The QA sample for a fixed seed is the predicted set, goes to anyone but
// the first reviewer, shows nothing of the first decision, and its answer
// never changes the post.
func TestBlindQASampleIsPredictedAndNeverGoesToTheFirstReviewer(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	addTeam(t, s)
	const n = 200
	importLines(t, s, fraudPosts(n)...)
	seed, err := s.QASeed()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]bool{}
	for id := int64(1); id <= n; id++ {
		code := "FRD-NONE"
		if id%3 == 0 {
			code = "FRD-INV"
		}
		a := model.ActionApprove
		if code == "FRD-INV" {
			a = model.ActionReject
		}
		decide(t, s, id, "alice", a, code)
		if model.InQASample(id, seed, 0.05) {
			want[id] = true
		}
	}
	if len(want) == 0 || len(want) == n {
		t.Fatalf("a 5%% sample of %d posts took %d", n, len(want))
	}
	if got := confirmQueue(t, s, "alice"); len(got) != 0 {
		t.Fatalf("alice is asked to check her own decisions: %d rows", len(got))
	}
	got := confirmQueue(t, s, "bob")
	if len(got) != len(want) {
		t.Fatalf("bob's QA queue has %d posts, the seed predicts %d", len(got), len(want))
	}
	for _, it := range got {
		if !want[it.PostID] {
			t.Fatalf("post %d is in the sample, the seed says it is not", it.PostID)
		}
		if it.Look.Kind != model.LookQA || it.Look.FirstReviewer != "" || it.Look.FirstCode != "" || it.Status != "" {
			t.Fatalf("a blind check shows the first decision: %+v %+v", it, it.Look)
		}
	}
	first := got[0].PostID
	// Nobody who may take the check can look the decision up: the post
	// reads blind for bob (detail and search alike), not for alice.
	peek := func(who string) model.PostDetail {
		p, err := s.Post(ctx, model.Actor{Reviewer: who}, first)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := peek("bob"); !p.Blind || p.Status != "" || len(p.Events) != 0 {
		t.Fatalf("bob reads the checked post: %+v", p)
	}
	if p := peek("alice"); p.Blind || p.Status == "" || len(p.Events) == 0 {
		t.Fatalf("alice cannot read her own decision: %+v", p)
	}
	hits, err := s.Page(ctx, model.PageQuery{Queue: model.QueueSearch, Search: "t", Actor: model.Actor{Reviewer: "bob"}, Limit: n})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if want[h.PostID] && h.Status != "" {
			t.Fatalf("search shows bob the status of #%d under a blind check: %s", h.PostID, h.Status)
		}
	}
	before := status(t, s, first)
	if err := secondLook(s, "alice", first, model.ActionQA, "FRD-INV", ""); !errors.Is(err, ErrForbidden) {
		t.Fatalf("alice checked her own decision: %v", err)
	}
	if err := secondLook(s, "bob", first, model.ActionQA, "", ""); err == nil {
		t.Fatal("a QA check with no verdict")
	}
	if err := secondLook(s, "bob", first, model.ActionQA, "FRD-PHISH", "looks like phishing"); err != nil {
		t.Fatal(err)
	}
	if after := status(t, s, first); after != before {
		t.Fatalf("a QA check changed the post from %s to %s", before, after)
	}
	if p := peek("bob"); p.Blind || len(p.Events) == 0 {
		t.Fatalf("the answered check still blinds the post: %+v", p)
	}
	if err := secondLook(s, "carol", first, model.ActionQA, "FRD-NONE", ""); !errors.Is(err, ErrConflict) {
		t.Fatalf("a second answer to one check: %v", err)
	}
	if len(confirmQueue(t, s, "carol")) != len(want)-1 {
		t.Fatal("the answered check is still queued")
	}
	// A reviewer can still undo a decision sampled (not yet checked), and
	// the check is called off with it.
	var open int64
	for id := range want {
		if id != first {
			open = id
			break
		}
	}
	if _, err := s.Decide(ctx, model.Decision{PostID: open, Actor: model.Actor{Reviewer: "alice"}, Action: model.ActionUndo}); err != nil {
		t.Fatal(err)
	}
	if len(confirmQueue(t, s, "carol")) != len(want)-2 {
		t.Fatal("the check of an undone decision is still queued")
	}
	if rep, err := s.Check(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %v %v", rep.Problems, err)
	}
	if res, err := s.Verify(ctx, VerifyOptions{}); err != nil || !res.OK() {
		t.Fatalf("verify: %+v %v", res, err)
	}
}

// The file itself refuses a look answered by its own reviewer, and a look
// changed after its answer, whoever writes to it.
func TestSecondLooksAreGuardedByTheDatabase(t *testing.T) {
	s := openTemp(t)
	addTeam(t, s)
	importLines(t, s, recruitmentPosts(1)...)
	decide(t, s, 1, "alice", model.ActionReject, "REC-AD")
	if _, err := s.w.Exec(`INSERT INTO events (id, post_id, at, reviewer, action, reason_code, from_status, to_status, hash)
		VALUES (99, 1, 1, 'alice', 'confirm', 'REC-AD', 'awaiting', 'rejected', ?)`, []byte{0}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`UPDATE second_looks SET done_event = 99, verdict = 'reject' WHERE post_id = 1`); err == nil {
		t.Fatal("the database let alice answer her own look")
	}
	if _, err := s.w.Exec(`DELETE FROM second_looks`); err == nil {
		t.Fatal("the database let a look be deleted")
	}
}

// Migration 9 widens the posts table's status CHECK in place: a schema-8
// database with posts opens, its posts can await confirmation, and the
// file is whole.
func TestMigrationNineLetsPostsAwaitConfirmation(t *testing.T) {
	db, path := atSchema(t, 8)
	if _, err := db.Exec(`INSERT INTO posts (id, dedup_key, platform, text, category, flagged_at, prio, author_id, status)
		VALUES (1, 'k1', 'vk', 'x', 'recruitment', 1, 1, 'a', 'pending')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO flags (post_id, flagged_at) VALUES (1, 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE posts SET status = 'awaiting' WHERE id = 1`); err == nil {
		t.Fatal("a schema-8 database took the awaiting status")
	}
	s := migrated(t, db, path)
	decide(t, s, 1, "alice", model.ActionReject, "REC-AD")
	if st := status(t, s, 1); st != model.StatusAwaiting {
		t.Fatalf("after the migration a four-eyes rejection is %s", st)
	}
	if _, err := s.w.Exec(`UPDATE posts SET status = 'bogus' WHERE id = 1`); err == nil {
		t.Fatal("the widened CHECK admits anything")
	}
	if rep, err := s.Check(context.Background()); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check after the migration: %v %v", rep.Problems, err)
	}
}

// A lead reopening a rejection that awaits confirmation calls the
// confirmation off: the post is pending, nobody is asked to confirm it,
// and a new four-eyes rejection asks again.
func TestReopeningCallsOffAnOpenConfirmation(t *testing.T) {
	s := openTemp(t)
	addTeam(t, s)
	importLines(t, s, recruitmentPosts(1)...)
	decide(t, s, 1, "alice", model.ActionReject, "REC-AD")
	if err := secondLook(s, "lead", 1, model.ActionReopen, "", "new evidence"); err != nil {
		t.Fatal(err)
	}
	if st := status(t, s, 1); st != model.StatusPending || len(confirmQueue(t, s, "bob")) != 0 {
		t.Fatalf("after reopening: %s, bob's queue %v", st, confirmQueue(t, s, "bob"))
	}
	if err := secondLook(s, "bob", 1, model.ActionConfirm, "", ""); !errors.Is(err, ErrConflict) {
		t.Fatalf("confirmed a reopened post: %v", err)
	}
	decide(t, s, 1, "carol", model.ActionReject, "REC-PAY")
	if q := confirmQueue(t, s, "alice"); len(q) != 1 || q[0].Look.FirstReviewer != "carol" || q[0].Look.FirstCode != "REC-PAY" {
		t.Fatalf("the new rejection's confirmation: %+v", q)
	}
	if rep, err := s.Check(context.Background()); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %v %v", rep.Problems, err)
	}
}

// Who may not be the second pair of eyes, besides the first reviewer: the
// same key under another registered name, a reviewer the category is
// excluded for (however stale their screen), and a side of a dispute
// confirming its settlement.
func TestSecondPairOfEyesIsSomeoneElse(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	addTeam(t, s)
	importLines(t, s, recruitmentPosts(3)...)
	if _, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "alice", KeyFP: "local:kim"}, Action: model.ActionReject, ReasonCode: "REC-AD"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "bob", KeyFP: "local:kim"}, Action: model.ActionConfirm})
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("one account confirmed its own rejection under another name: %v", err)
	}
	if q, err := s.Page(ctx, model.PageQuery{Queue: model.QueueConfirm, Actor: model.Actor{Reviewer: "bob", KeyFP: "local:kim"}, Limit: 10}); err != nil || len(q) != 0 {
		t.Fatalf("the same account is offered its own rejection under another name: %+v %v", q, err)
	}
	if err := s.SaveSettings(ctx, "lead", "carol", [][2]string{{"exclude", "recruitment"}}); err != nil {
		t.Fatal(err)
	}
	if err := secondLook(s, "carol", 1, model.ActionConfirm, "", ""); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a reviewer excluded from the category confirmed: %v", err)
	}
	// alice rejects, bob disagrees, the lead rejects again: neither alice
	// nor bob settles it; carol (no longer excluded) may.
	decide(t, s, 2, "alice", model.ActionReject, "REC-AD")
	if err := secondLook(s, "bob", 2, model.ActionDisagree, "REC-NEWS", "news"); err != nil {
		t.Fatal(err)
	}
	decide(t, s, 2, "lead", model.ActionReject, "REC-AD")
	for _, who := range []string{"alice", "bob"} {
		for _, it := range confirmQueue(t, s, who) {
			if it.PostID == 2 {
				t.Fatalf("%s is offered the settlement of a dispute they were part of", who)
			}
		}
		if err := secondLook(s, who, 2, model.ActionConfirm, "", ""); !errors.Is(err, ErrForbidden) {
			t.Fatalf("%s settled a dispute they were part of: %v", who, err)
		}
	}
	// Nor under another registered name with the same key: kim's account
	// rejected as alice, and may not settle it as dan.
	if err := s.AddReviewer(ctx, "dan", model.RoleReviewer, nil); err != nil {
		t.Fatal(err)
	}
	kim := model.Actor{Reviewer: "dan", KeyFP: "local:kim"}
	decide3 := func(a model.Actor, id int64, act model.Action, code, note string) error {
		_, err := s.Decide(ctx, model.Decision{PostID: id, Actor: a, Action: act, ReasonCode: code, Note: note})
		return err
	}
	if err := decide3(model.Actor{Reviewer: "alice", KeyFP: "local:kim"}, 3, model.ActionReject, "REC-AD", ""); err != nil {
		t.Fatal(err)
	}
	if err := secondLook(s, "bob", 3, model.ActionDisagree, "REC-NEWS", "news"); err != nil {
		t.Fatal(err)
	}
	decide(t, s, 3, "lead", model.ActionReject, "REC-AD")
	q, err := s.Page(ctx, model.PageQuery{Queue: model.QueueConfirm, Actor: kim, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q {
		if it.PostID == 3 {
			t.Fatal("kim's key is offered the settlement as dan")
		}
	}
	if err := decide3(kim, 3, model.ActionConfirm, "", ""); !errors.Is(err, ErrForbidden) {
		t.Fatalf("kim's key settled the dispute as dan: %v", err)
	}
	if err := s.SaveSettings(ctx, "lead", "carol", [][2]string{{"exclude", ""}}); err != nil {
		t.Fatal(err)
	}
	if err := secondLook(s, "carol", 2, model.ActionConfirm, "", ""); err != nil {
		t.Fatal(err)
	}
}

// Text that is not UTF-8 never enters the trail (PostgreSQL would refuse
// it, and a SQLite file holding it could never be copied there).
func TestTrailTakesOnlyText(t *testing.T) {
	s := openTemp(t)
	addTeam(t, s)
	importLines(t, s, fraudPosts(1)...)
	decide(t, s, 1, "alice", model.ActionApprove, "FRD-NONE")
	if err := secondLook(s, "lead", 1, model.ActionReopen, "", "appeal \xff"); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Fatalf("a reopen reason that is not UTF-8: %v", err)
	}
	if status(t, s, 1) != model.StatusApproved {
		t.Fatal("the refused reopen changed the post")
	}
}

// The author's other posts are counted without those under a blind check
// of someone else's decision: the count would give the decision away.
func TestAuthorLineKeepsBlindChecksBlind(t *testing.T) {
	p := model.DefaultPolicy()
	p.QASeed = 1
	for i := range p.Categories {
		p.Categories[i].QASample = 1 // every decision is checked
	}
	s := openTestStore(t, Options{Now: func() time.Time { return testNow }, Policy: p})
	addTeam(t, s)
	importLines(t, s, `{"platform":"vk","external_id":"a","author_id":"x","text":"one","category":"fraud"}`,
		`{"platform":"vk","external_id":"b","author_id":"x","text":"two","category":"fraud"}`)
	decide(t, s, 1, "alice", model.ActionReject, "FRD-INV")
	for who, want := range map[string]int{"bob": 0, "alice": 1} {
		d, err := s.Post(context.Background(), model.Actor{Reviewer: who}, 2)
		if err != nil {
			t.Fatal(err)
		}
		if d.AuthorPosts[model.StatusRejected] != want {
			t.Errorf("%s reads the author's other posts as %v, want %d rejected", who, d.AuthorPosts, want)
		}
	}
}

// export tells a four-eyes rejection's outcome: a confirmation after the
// cut-off of --since still brings the post (with its confirmer), and a
// disagreement is the decision in force of the post it sent to the leads.
func TestExportFollowsSecondLooks(t *testing.T) {
	s, clk := openClocked(t)
	addTeam(t, s)
	importLines(t, s, recruitmentPosts(2)...)
	decide(t, s, 1, "alice", model.ActionReject, "REC-AD")
	decide(t, s, 2, "alice", model.ActionReject, "REC-PAY")
	clk.add(time.Hour)
	cut := clk.now()
	clk.add(time.Minute)
	if err := secondLook(s, "bob", 1, model.ActionConfirm, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := secondLook(s, "bob", 2, model.ActionDisagree, "REC-NEWS", "a news report"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(exportAll(t, s, ExportFilter{Since: cut}, FormatJSONL))), "\n")
	if len(lines) != 2 {
		t.Fatalf("export --since the cut-off: %d records, want both posts decided after it", len(lines))
	}
	type record struct {
		Status   string `json:"status"`
		Decision struct {
			Action      string `json:"action"`
			Reviewer    string `json:"reviewer"`
			ReasonCode  string `json:"reason_code"`
			Note        string `json:"note"`
			ConfirmedBy string `json:"confirmed_by"`
		} `json:"decision"`
	}
	got := make([]record, len(lines))
	for i, l := range lines {
		if err := json.Unmarshal([]byte(l), &got[i]); err != nil {
			t.Fatal(err)
		}
	}
	if d := got[0].Decision; got[0].Status != "rejected" || d.Action != "reject" || d.Reviewer != "alice" || d.ConfirmedBy != "bob" {
		t.Errorf("the confirmed post: %+v", got[0])
	}
	if d := got[1].Decision; got[1].Status != "escalated" || d.Action != "disagree" || d.Reviewer != "bob" || d.ReasonCode != "REC-NEWS" || d.Note != "a news report" {
		t.Errorf("the disputed post: %+v", got[1])
	}
}
