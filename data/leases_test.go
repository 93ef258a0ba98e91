package data

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"triage/model"
)

// clock is a test clock the store reads; tests move it forward.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openClocked(t *testing.T) (*Store, *clock) {
	t.Helper()
	c := &clock{t: testNow}
	return openTestStore(t, Options{Now: c.now}), c
}

func fraudPosts(n int) []string {
	var lines []string
	for i := 0; i < n; i++ {
		lines = append(lines, `{"platform":"vk","text":"t","category":"fraud","external_id":"`+strings.Repeat("x", i+1)+`"}`)
	}
	return lines
}

func TestClaimsAreDisjointAndLeasesEnforced(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(25)...)
	alice, bob := model.Actor{Reviewer: "alice"}, model.Actor{Reviewer: "bob"}
	alice.Session, _ = s.StartSession(ctx, alice, OriginLocal)
	bob.Session, _ = s.StartSession(ctx, bob, OriginLocal)
	s.Claim(ctx, alice.Session, 10, time.Minute)
	s.Claim(ctx, bob.Session, 10, time.Minute)
	a, b := pendingIDs(t, s, alice.Session, model.Filter{}), pendingIDs(t, s, bob.Session, model.Filter{})
	if len(a) != 10 || len(b) != 10 {
		t.Fatalf("claimed %d and %d", len(a), len(b))
	}
	seen := map[int64]bool{}
	for _, id := range append(a, b...) {
		if seen[id] {
			t.Fatalf("post %d claimed by both sessions", id)
		}
		seen[id] = true
	}
	decideAs := func(who model.Actor, id int64) error {
		_, err := s.Decide(ctx, model.Decision{PostID: id, Actor: who, Action: model.ActionApprove, ReasonCode: "FRD-NONE"})
		return err
	}
	if err := decideAs(bob, a[0]); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "not claimed by this session") {
		t.Fatalf("bob decided alice's claim: %v", err)
	}
	if err := decideAs(model.Actor{Reviewer: "script"}, a[0]); err == nil || !strings.Contains(err.Error(), "another reviewer has it open") {
		t.Fatalf("a sessionless caller decided a held post: %v", err)
	}
	if err := decideAs(alice, a[0]); err != nil {
		t.Fatal(err)
	}
	// Alice goes quiet; her leases run out and Bob's session takes them.
	// Bob stays active, so his own leases are renewed.
	clk.add(2 * time.Minute)
	s.Renew(ctx, bob.Session, time.Minute)
	// Topping bob up from his 10 to 24 takes them.
	if n, _ := s.Claim(ctx, bob.Session, 24, time.Minute); n != 14 {
		t.Fatalf("bob claimed %d after alice's leases expired, want her 9 and the 5 free", n)
	}
	if err := decideAs(alice, a[1]); err == nil || !strings.Contains(err.Error(), "claim lost") {
		t.Fatalf("alice decided a post whose lease she lost: %v", err)
	}
	if err := decideAs(bob, a[1]); err != nil {
		t.Fatalf("bob could not decide a post he now holds: %v", err)
	}
	rep, _ := s.Check(ctx)
	if len(rep.Problems) != 0 {
		t.Fatalf("check: %v", rep.Problems)
	}
}

func TestEndedSessionReleasesAtOnce(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(10)...)
	a, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginSSH)
	b, _ := s.StartSession(ctx, model.Actor{Reviewer: "bob"}, OriginSSH)
	s.Claim(ctx, a, 10, time.Hour)
	if n, _ := s.Claim(ctx, b, 10, time.Hour); n != 0 {
		t.Fatalf("bob claimed %d held posts", n)
	}
	if err := s.EndSession(ctx, a); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Claim(ctx, b, 10, time.Hour); n != 10 {
		t.Fatalf("after alice left, bob claimed %d, want 10", n)
	}
	// A server crash leaves bob's session open and silent; the restarted
	// server ends it (on a shared database, once it has been silent past
	// the online window: until then it may be another server's).
	clk.add(model.OnlineWindow + time.Second)
	if n, err := s.EndOrphanedSessions(ctx, OriginSSH); err != nil || n != 1 {
		t.Fatalf("orphans ended: %d %v", n, err)
	}
	c, _ := s.StartSession(ctx, model.Actor{Reviewer: "carol"}, OriginSSH)
	if n, _ := s.Claim(ctx, c, 10, time.Hour); n != 10 {
		t.Fatalf("after restart, carol claimed %d", n)
	}
	if rep, _ := s.Check(ctx); len(rep.Problems) != 0 {
		t.Fatalf("check: %v", rep.Problems)
	}
	// A lease held by an ended session is a broken invariant check reports.
	s.w.Exec(`UPDATE sessions SET ended_at = 1 WHERE id = ?`, c)
	if rep, _ := s.Check(ctx); len(rep.Problems) != 10 || !strings.Contains(rep.Problems[0], "which has ended") {
		t.Fatalf("check missed leases of an ended session: %v", rep.Problems)
	}
}

func TestReviewersCannotSeeOrDecideEscalatedPosts(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(2)...)
	keys, _ := ParsePublicKeys("test", []byte(testKey))
	if err := s.AddReviewer(ctx, "lena", model.RoleLead, keys); err != nil {
		t.Fatal(err)
	}
	if err := s.AddReviewer(ctx, "ron", model.RoleReviewer, nil); err != nil {
		t.Fatal(err)
	}
	rev := model.Actor{Reviewer: "ron"}
	lead := model.Actor{Reviewer: "lena"}
	s.AddReviewer(ctx, "rita", model.RoleReviewer, nil)
	decide(t, s, 1, "ron", model.ActionEscalate, "ESC-LEGAL")
	if _, err := s.Post(ctx, model.Actor{Reviewer: "rita"}, 1); !errors.Is(err, ErrForbidden) {
		t.Fatalf("another reviewer read an escalated post: %v", err)
	}
	// The reviewer who escalated it may read it, to see what became of it.
	if p, err := s.Post(ctx, rev, 1); err != nil || p.ID != 1 {
		t.Fatalf("the escalating reviewer cannot read the post: %v", err)
	}
	if _, err := s.Page(ctx, model.PageQuery{Queue: model.QueueLeads, Actor: rev, Dir: model.First, Limit: 5}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("reviewer listed the leads' queue: %v", err)
	}
	mine, _ := s.Page(ctx, model.PageQuery{Queue: model.QueueMine, Actor: rev, Dir: model.First, Limit: 5})
	if len(mine) != 1 || mine[0].Snippet == "" || mine[0].Later != nil {
		t.Fatalf("reviewer's own list: %+v", mine)
	}
	for _, a := range []model.Action{model.ActionApprove, model.ActionReject, model.ActionReturn, model.ActionNote} {
		_, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: rev, Action: a, ReasonCode: "FRD-INV"})
		if !errors.Is(err, ErrForbidden) {
			t.Errorf("reviewer %s on escalated post: %v", a, err)
		}
	}
	leads, err := s.Page(ctx, model.PageQuery{Queue: model.QueueLeads, Actor: lead, Dir: model.First, Limit: 5})
	if err != nil || len(leads) != 1 || leads[0].PostID != 1 {
		t.Fatalf("leads' queue: %+v %v", leads, err)
	}
	if _, err := s.Post(ctx, lead, 1); err != nil {
		t.Fatal(err)
	}
	ev, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: lead, Action: model.ActionReturn, Note: "not legal, policy"})
	if err != nil || ev.To != model.StatusPending {
		t.Fatalf("return: %+v %v", ev, err)
	}
	decide(t, s, 1, "ron", model.ActionEscalate, "ESC-POLICY")
	ev = decide(t, s, 1, "lena", model.ActionReject, "FRD-INV")
	if ev.From != model.StatusEscalated {
		t.Fatalf("lead reject from %s", ev.From)
	}
	// The reviewer's list says what the lead did with each escalation: the
	// first was sent back, the second rejected.
	mine, _ = s.Page(ctx, model.PageQuery{Queue: model.QueueMine, Actor: rev, Dir: model.First, Limit: 5})
	if len(mine) != 2 || mine[0].Later == nil || *mine[0].Later != (model.Change{Action: model.ActionReject, By: "lena"}) ||
		mine[1].Later == nil || mine[1].Later.Action != model.ActionReturn {
		t.Fatalf("what became of the escalations: %+v", mine)
	}
	if ev := decide(t, s, 1, "lena", model.ActionUndo, ""); ev.To != model.StatusEscalated {
		t.Fatalf("undo of a lead's decision went to %s, want escalated", ev.To)
	}
	// A disabled lead can do nothing.
	s.SetReviewerEnabled(ctx, "lena", false)
	if _, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: lead, Action: model.ActionReject, ReasonCode: "FRD-INV"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("disabled lead decided: %v", err)
	}
	if rep, _ := s.Check(ctx); len(rep.Problems) != 0 {
		t.Fatalf("check: %v", rep.Problems)
	}
}

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGkTd0YhgJbS3x6eGm4cnA8G8rvS2dz9d1Xl6Rk4d2wS lena@desk"

func TestReviewerKeys(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	keys, err := ParsePublicKeys("k", []byte("# comment\n\n"+testKey+"\n"))
	if err != nil || len(keys) != 1 || !strings.HasPrefix(keys[0].Fingerprint, "SHA256:") {
		t.Fatalf("parse: %+v %v", keys, err)
	}
	if _, err := ParsePublicKeys("keys.pub", []byte("ssh-ed25519 nonsense")); err == nil || !strings.HasPrefix(err.Error(), "keys.pub:1:") {
		t.Fatalf("bad key: %v", err)
	}
	// Options are refused, not dropped: the server would not enforce them.
	for _, opts := range []string{`from="10.9.9.9",command="/bin/false",no-pty `, `restrict `, `cert-authority `} {
		if _, err := ParsePublicKeys("keys.pub", []byte(testKey+"\n"+opts+testKey)); err == nil ||
			!strings.HasPrefix(err.Error(), "keys.pub:2: key options") {
			t.Fatalf("key with options %q: %v", opts, err)
		}
	}
	if err := s.AddReviewer(ctx, "lena", model.RoleLead, keys); err != nil {
		t.Fatal(err)
	}
	if err := s.AddReviewer(ctx, "ron", model.RoleReviewer, keys); err == nil || !strings.Contains(err.Error(), "already belongs to reviewer lena") {
		t.Fatalf("a key given to two reviewers: %v", err)
	}
	if err := s.AddReviewer(ctx, "lena", model.RoleReviewer, nil); err == nil {
		t.Fatal("role changed by add")
	}
	r, err := s.ReviewerByKey(ctx, keys[0].Fingerprint)
	if err != nil || r.Name != "lena" || r.Role != model.RoleLead || !r.Enabled {
		t.Fatalf("by key: %+v %v", r, err)
	}
	all, _ := s.Reviewers(ctx)
	if len(all) != 1 || len(all[0].Keys) != 1 {
		t.Fatalf("list: %+v", all)
	}
	if _, err := s.ReviewerByKey(ctx, "SHA256:nobody"); !errors.Is(err, ErrUnknownReviewer) {
		t.Fatalf("unknown key: %v", err)
	}
	if err := s.SetReviewerEnabled(ctx, "ghost", false); !errors.Is(err, ErrUnknownReviewer) {
		t.Fatalf("disable ghost: %v", err)
	}
}

// A claim tops the session up to the batch: asking again, as a console does
// when its refill races a claim still landing, never gives it more than the
// batch — the console once held 12 posts of a batch of 10 that way.
func TestClaimTopsUpToTheBatch(t *testing.T) {
	s, sess := aliceWithABatch(t)
	ctx := context.Background()
	if n, _ := s.Claim(ctx, sess, 10, time.Hour); n != 0 {
		t.Fatalf("a second claim for a full batch took %d more", n)
	}
	held := pendingIDs(t, s, sess, model.Filter{})
	if _, err := s.Decide(ctx, model.Decision{PostID: held[0], Actor: model.Actor{Reviewer: "alice", Session: sess},
		Action: model.ActionApprove, ReasonCode: "FRD-NONE"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Claim(ctx, sess, 10, time.Hour); n != 1 {
		t.Fatalf("after one decision a claim took %d, want the 1 the batch lacks", n)
	}
	if got := len(pendingIDs(t, s, sess, model.Filter{})); got != 10 {
		t.Fatalf("the session holds %d, want its batch of 10", got)
	}
}

// A decision that leaves the batch short refills it in its own
// transaction; a refused decision claims nothing.
func TestDecisionTopsUpItsBatch(t *testing.T) {
	s, sess := aliceWithABatch(t)
	ctx := context.Background()
	alice := model.Actor{Reviewer: "alice", Session: sess}
	topUp := &model.TopUp{Batch: 10, Lease: time.Hour}
	held := pendingIDs(t, s, sess, model.Filter{})
	if _, err := s.Decide(ctx, model.Decision{PostID: held[0], Actor: alice, Action: model.ActionApprove, ReasonCode: "FRD-NONE"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, model.Decision{PostID: held[1], Actor: alice, Action: model.ActionApprove, ReasonCode: "NO-SUCH-CODE", TopUp: topUp}); err == nil {
		t.Fatal("a decision with an unknown reason was accepted")
	}
	if got := len(pendingIDs(t, s, sess, model.Filter{})); got != 9 {
		t.Fatalf("after a refused decision the session holds %d, want the 9 it had", got)
	}
	if _, err := s.Decide(ctx, model.Decision{PostID: held[1], Actor: alice, Action: model.ActionApprove, ReasonCode: "FRD-NONE", TopUp: topUp}); err != nil {
		t.Fatal(err)
	}
	now := pendingIDs(t, s, sess, model.Filter{})
	if len(now) != 10 {
		t.Fatalf("after a decision with a top-up the session holds %d, want its batch of 10", len(now))
	}
	for _, id := range now {
		if id == held[0] || id == held[1] {
			t.Fatalf("the session still holds decided post %d", id)
		}
	}
}

// aliceWithABatch is a store of 40 pending posts and a session of alice's
// holding a batch of 10 of them.
func aliceWithABatch(t *testing.T) (*Store, string) {
	t.Helper()
	s := openTemp(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(40)...)
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	if n, _ := s.Claim(ctx, sess, 10, time.Hour); n != 10 {
		t.Fatalf("first claim took %d, want 10", n)
	}
	return s, sess
}

// One reviewer's consoles are capped, on any server and whatever their
// origin; a console that stops renewing (killed) stops counting.
func TestConsolesPerReviewerAreCapped(t *testing.T) {
	c := &clock{t: testNow}
	s := openTestStore(t, Options{Now: c.now})
	ctx := context.Background()
	limit := model.DefaultPolicy().Limits.Consoles()
	var sessions []string
	for i := range limit {
		origin := []string{OriginLocal, OriginSSH}[i%2]
		id, err := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, origin)
		if err != nil {
			t.Fatalf("console %d: %v", i+1, err)
		}
		sessions = append(sessions, id)
	}
	_, err := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginSSH)
	if !errors.Is(err, model.ErrTooManyConsoles) || !strings.Contains(err.Error(), "alice already has 3 open") {
		t.Fatalf("console past the limit: %v", err)
	}
	if _, err := s.StartSession(ctx, model.Actor{Reviewer: "bob"}, OriginSSH); err != nil {
		t.Fatalf("another reviewer was refused: %v", err)
	}
	if err := s.EndSession(ctx, sessions[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginSSH); err != nil {
		t.Fatalf("a console after one ended: %v", err)
	}
	// Killed consoles stop renewing: once silent for the online window
	// they no longer count.
	c.add(model.OnlineWindow + time.Second)
	if _, err := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginSSH); err != nil {
		t.Fatalf("silent consoles still counted: %v", err)
	}
}

// The posts one reviewer holds across all their consoles are capped by the
// policy, for batch claims and for single posts taken from a search.
func TestPostsPerReviewerAreCapped(t *testing.T) {
	pol := model.DefaultPolicy()
	pol.QASeed = 1
	pol.Limits.PostsPerReviewer = 15
	s := openTestStore(t, Options{Now: func() time.Time { return testNow }, Policy: pol})
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf(`{"platform":"vk","text":"p%d","category":"fraud","external_id":"%d"}`, i, i))
	}
	importLines(t, s, lines...)
	ctx := context.Background()
	a1, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginSSH)
	a2, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginSSH)
	if n, err := s.Claim(ctx, a1, 10, time.Hour); n != 10 || err != nil {
		t.Fatalf("first console claimed %d: %v", n, err)
	}
	if n, err := s.Claim(ctx, a2, 10, time.Hour); n != 5 || err != nil {
		t.Fatalf("second console claimed %d, want the 5 left of alice's 15: %v", n, err)
	}
	free, _ := queryIDs(ctx, s.r, `SELECT id FROM posts WHERE lease_owner IS NULL ORDER BY id LIMIT 1`)
	if got, err := s.ClaimPost(ctx, a2, free[0], time.Hour); got != model.ClaimOverLimit || err != nil {
		t.Fatalf("a search result past the limit: %v %v", got, err)
	}
	b, _ := s.StartSession(ctx, model.Actor{Reviewer: "bob"}, OriginSSH)
	if n, _ := s.Claim(ctx, b, 10, time.Hour); n != 10 {
		t.Fatalf("bob claimed %d", n)
	}
	mine, _ := queryIDs(ctx, s.r, `SELECT id FROM posts WHERE lease_owner = ? LIMIT 1`, a1)
	if got, _ := s.ClaimPost(ctx, b, mine[0], time.Hour); got != model.ClaimHeld {
		t.Fatalf("bob took alice's post: %v", got)
	}
	if got, _ := s.ClaimPost(ctx, a1, mine[0], time.Hour); got != model.Claimed {
		t.Fatalf("alice could not keep her own post: %v", got)
	}
}
