package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"triage/data"
	"triage/data/pgtest"
	"triage/model"
	"triage/tui/termtest"
)

// addKeyedReviewers registers n reviewers (or leads) with fresh keys.
func addKeyedReviewers(t *testing.T, db, prefix, role string, n int) []gossh.Signer {
	t.Helper()
	keys := make([]gossh.Signer, n)
	for i := range keys {
		keys[i] = termtest.NewSigner(t)
		r := triage(t, "", "reviewer", "add", fmt.Sprintf("%s%d", prefix, i), "--role", role, "--db", db,
			"--key", string(gossh.MarshalAuthorizedKey(keys[i].PublicKey())))
		if r.code != 0 {
			t.Fatalf("reviewer add: %+v", r)
		}
	}
	return keys
}

func pendingIn(t *testing.T, db string) int {
	t.Helper()
	st, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.Pending
}

// Two servers on one PostgreSQL database, twenty reviewers split across
// them, a queue of 2,000 posts; one server is killed midway and its
// reviewers reconnect to the other, which finishes the queue once the dead
// server's leases expire. Every post is decided exactly once.
func TestTwoServersOneQueue(t *testing.T) {
	db := pgtest.URL(t)
	var lines strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&lines, `{"platform":"vk","external_id":"m%d","text":"post %d about a scheme","category":"fraud"}`+"\n", i, i)
	}
	if r := triage(t, lines.String(), "import", "--db", db, "-"); r.code != 0 || !strings.Contains(r.stdout, "imported 2000") {
		t.Fatalf("import: %+v", r)
	}
	keys := addKeyedReviewers(t, db, "rev", "reviewer", 20)
	dir := t.TempDir()
	ports := []int{freePort(t), freePort(t)}
	servers := []*server{
		startServe(t, db, filepath.Join(dir, "host-a"), ports[0], "--lease", "1m"),
		startServe(t, db, filepath.Join(dir, "host-b"), ports[1], "--lease", "1m"),
	}
	var mu sync.Mutex
	acked := map[int64]int{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, key := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Half start on each server; after a cut, everyone uses the survivor.
			for _, port := range []int{ports[i%2], ports[1]} {
				decideUntilCut(fmt.Sprintf("127.0.0.1:%d", port), key, stop, func(id int64) {
					mu.Lock()
					acked[id]++
					mu.Unlock()
				})
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
	}
	// Kill server A once a quarter of the queue is decided.
	for pendingIn(t, db) > 1500 {
		time.Sleep(100 * time.Millisecond)
	}
	servers[0].cmd.Process.Kill()
	<-servers[0].done
	// Server B finishes the queue, the dead server's posts included.
	for deadline := time.Now().Add(5 * time.Minute); pendingIn(t, db) > 0; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the surviving server left %d posts pending", pendingIn(t, db))
		}
	}
	close(stop)
	wg.Wait()
	st, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, _ := st.Stats(context.Background())
	if s.Approved != 2000 || s.Decisions != 2000 {
		t.Fatalf("approved %d in %d decisions, want 2000 each: a post was decided twice or not at all", s.Approved, s.Decisions)
	}
	for id, n := range acked {
		if n != 1 {
			t.Fatalf("post %d acknowledged %d times", id, n)
		}
	}
	for _, cmd := range []string{"check", "verify"} {
		if r := triage(t, "", cmd, "--db", db); r.code != 0 {
			t.Fatalf("%s: %+v", cmd, r)
		}
	}
}

// A decision on one server leaves the other server's screen without a key
// pressed there: a lead on server B never gets to decide a post a lead on
// server A has just decided.
func TestDecisionOnOneServerLeavesTheOther(t *testing.T) {
	db := pgtest.URL(t)
	var lines strings.Builder
	for i := range 3 {
		fmt.Fprintf(&lines, `{"platform":"vk","external_id":"e%d","text":"escalated post %d","category":"fraud","severity":%d}`+"\n", i, i, 5-i)
	}
	if r := triage(t, lines.String(), "import", "--db", db, "-"); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	leads := addKeyedReviewers(t, db, "lead", "lead", 2)
	st, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for id := int64(1); id <= 3; id++ {
		if _, err := st.Decide(context.Background(), model.Decision{PostID: id, Actor: model.Actor{Reviewer: "lead0"}, Action: model.ActionEscalate, ReasonCode: "ESC-LEGAL", Note: "needs a second look"}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	dir := t.TempDir()
	ports := []int{freePort(t), freePort(t)}
	startServe(t, db, filepath.Join(dir, "host-a"), ports[0])
	startServe(t, db, filepath.Join(dir, "host-b"), ports[1])
	consoles := make([]*termtest.Console, 2)
	for i := range consoles {
		c, err := termtest.OpenConsole(fmt.Sprintf("127.0.0.1:%d", ports[i]), 120, 30, leads[i])
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		consoles[i] = c
		if _, err := c.Await("Pending"); err != nil {
			t.Fatal(err)
		}
		c.Send("X\t\t\t") // sensitive text shown; Pending → My decisions → Confirm → Leads
		if _, err := c.Await("escalated post 0", "escalated post 1", "escalated post 2"); err != nil {
			t.Fatal(err)
		}
	}
	a, b := consoles[0], consoles[1]
	a.Send("a")
	screen, err := a.Await("Approved #")
	if err != nil {
		t.Fatal(err)
	}
	m := approvedRe.FindStringSubmatch(screen)
	decided, _ := strconv.ParseInt(m[1], 10, 64)
	// B's list drops the post by itself (post N's text is "escalated post N-1").
	gone := fmt.Sprintf("escalated post %d", decided-1)
	for deadline := time.Now().Add(termtest.Patience); strings.Contains(b.String(), gone); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("server B still lists #%d:\n%s", decided, b.String())
		}
	}
	b.Send("a")
	screen, err = b.Await("Approved #")
	if err != nil {
		t.Fatal(err)
	}
	if m := approvedRe.FindStringSubmatch(screen); m[1] == fmt.Sprint(decided) {
		t.Fatalf("server B decided #%d again", decided)
	}
	st, err = data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, _ := st.PostRecord(context.Background(), decided)
	n := 0
	for _, ev := range p.Events {
		if ev.Action == model.ActionApprove {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("post %d has %d approvals", decided, n)
	}
}
