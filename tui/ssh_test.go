package tui

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"triage/data"
	"triage/model"
	"triage/tui/termtest"
)

func TestSSHUnknownKeyIsRefused(t *testing.T) {
	st := demoStore(t, 20, 1)
	register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	if _, err := termtest.Dial(srv.addr, gossh.PublicKeys(termtest.NewSigner(t))); err == nil {
		t.Fatal("an unknown key got in")
	}
	for _, auth := range []gossh.AuthMethod{gossh.Password("alice"), gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return []string{"alice"}, nil })} {
		if _, err := termtest.Dial(srv.addr, auth); err == nil {
			t.Fatal("password or keyboard-interactive auth got in")
		}
	}
}

func TestSSHSessionWithoutPTYIsRefused(t *testing.T) {
	st := demoStore(t, 20, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	client, err := termtest.Dial(srv.addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, _ := client.NewSession()
	out, err := sess.CombinedOutput("")
	if err == nil || strings.TrimSpace(string(out)) != "triage: this is an interactive console; connect with a terminal (ssh -t)" {
		t.Fatalf("no-PTY session: %q, %v", out, err)
	}
}

// unprovenSigner offers one key but signs with another: a client that
// offers a key it does not hold.
type unprovenSigner struct {
	offered gossh.PublicKey
	real    gossh.Signer
}

func (u unprovenSigner) PublicKey() gossh.PublicKey { return u.offered }
func (u unprovenSigner) Sign(r io.Reader, data []byte) (*gossh.Signature, error) {
	return u.real.Sign(r, data)
}

func TestSSHOfferedButUnprovenKeyDoesNotAuthenticate(t *testing.T) {
	st := demoStore(t, 30, 1)
	lead := register(t, st, "lena", model.RoleLead)
	bob := register(t, st, "bob", model.RoleReviewer)
	srv := startServer(t, st)
	mallory := termtest.NewSigner(t)
	// Offering the lead's key without its private half gets nowhere.
	if _, err := termtest.Dial(srv.addr, gossh.PublicKeys(unprovenSigner{offered: lead.PublicKey(), real: mallory})); err == nil {
		t.Fatal("an unproven key authenticated")
	}
	// Nor does it taint the connection for the key that is proven after it:
	// the OpenSSH end-to-end test offers the lead's public key without its
	// private half and then proves bob's, and gets bob's console. Here: bob
	// alone is bob.
	s := termtest.MustOpenConsole(t, srv.addr, 120, 30, bob).WaitFor(t, "decided this session · bob")
	if strings.Contains(s, "(lead)") || strings.Contains(s, "Leads") {
		t.Fatalf("bob got the lead's console:\n%s", s)
	}
}

func TestSSHDisabledReviewerIsRefusedAndCutOff(t *testing.T) {
	st := demoStore(t, 40, 1)
	alice := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, alice)
	c.WaitFor(t, "alice", "Flagged")
	if err := st.SetReviewerEnabled(context.Background(), "alice", false); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("a disabled reviewer's live session was not ended")
	}
	if _, err := termtest.Dial(srv.addr, gossh.PublicKeys(alice)); err == nil {
		t.Fatal("a disabled reviewer got in")
	}
	st.SetReviewerEnabled(context.Background(), "alice", true)
	termtest.MustOpenConsole(t, srv.addr, 120, 30, alice).WaitFor(t, "alice", "Flagged")
}

func TestSSHDisconnectReleasesClaimsAtOnce(t *testing.T) {
	st := demoStore(t, 15, 1)
	alice := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, alice)
	c.WaitFor(t, "Your batch: 10 posts")
	c.Client.Conn.Close() // the connection drops, no goodbye
	ctx := context.Background()
	probe, _ := st.StartSession(ctx, model.Actor{Reviewer: "probe"}, data.OriginLocal)
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := st.Claim(ctx, probe, 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if n == 15 {
			break // all fifteen, alice's ten among them, long before her lease would run out
		}
		st.EndSession(ctx, probe)
		probe, _ = st.StartSession(ctx, model.Actor{Reviewer: "probe"}, data.OriginLocal)
		if time.Now().After(deadline) {
			t.Fatalf("after the disconnect only %d posts were free", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSSHReviewerCannotSeeEscalatedPosts(t *testing.T) {
	st := demoStore(t, 30, 1)
	ron := register(t, st, "ron", model.RoleReviewer)
	lena := register(t, st, "lena", model.RoleLead)
	srv := startServer(t, st)
	r := termtest.MustOpenConsole(t, srv.addr, 120, 30, ron)
	r.WaitFor(t, "Flagged")
	r.Send("e")
	r.WaitFor(t, "to a lead")
	r.Send("1\r")
	r.WaitFor(t, "note (enter sends")
	r.Send("real recruiter\r")
	s := r.WaitFor(t, "Escalated #", decidedLine(1))
	var id int64
	fmt.Sscanf(s[strings.Index(s, "Escalated #")+len("Escalated #"):], "%d", &id)
	r.Send("\t") // My decisions: the row is there, the text is not
	r.WaitFor(t, "escalate", "ESC-LEGAL")
	r.WaitFor(t, "only leads can see it")

	l := termtest.MustOpenConsole(t, srv.addr, 120, 30, lena)
	l.WaitFor(t, "(lead)")
	l.Send("\t\t")
	l.WaitFor(t, fmt.Sprintf("#%d ", id), "real recruiter")
	l.Send("b")
	l.WaitFor(t, "note for the reviewers (required)")
	l.Send("policy allows this one\r")
	l.WaitFor(t, "Sent back to the reviewers")

	ev := events(t, st, id)
	if len(ev) != 2 || ev[0].Reviewer != "ron" || ev[1].Reviewer != "lena" || ev[1].Action != model.ActionReturn {
		t.Fatalf("events %+v", ev)
	}
	fp := func(s gossh.Signer) string { return gossh.FingerprintSHA256(s.PublicKey()) }
	if ev[0].KeyFP != fp(ron) || ev[1].KeyFP != fp(lena) {
		t.Fatalf("fingerprints %q %q, want %q %q", ev[0].KeyFP, ev[1].KeyFP, fp(ron), fp(lena))
	}
}

// Fifty sessions approve whatever they are given until the queue of 1,000
// posts is empty: every post must be decided exactly once, by the session
// that held it.
func TestSSHFiftySessionsDecideEveryPostOnce(t *testing.T) {
	const sessions, posts = 50, 1000
	st := demoStore(t, posts, 9)
	srv := startServer(t, st)
	keys := make([]gossh.Signer, sessions)
	for i := range keys {
		keys[i] = register(t, st, fmt.Sprintf("r%02d", i), model.RoleReviewer)
	}
	acked := make([]int, sessions)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := termtest.MustOpenConsole(t, srv.addr, 120, 30, keys[i])
			c.WaitFor(t, fmt.Sprintf("r%02d", i))
			for {
				if strings.Contains(c.String(), "Flagged") { // a post is selected
					c.Send("a")
					acked[i]++
					c.WaitFor(t, decidedLine(acked[i]))
					continue
				}
				if stats, _ := st.Stats(context.Background()); stats.Pending == 0 {
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	stats, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Decisions != posts || stats.Approved != posts || stats.Pending != 0 {
		t.Fatalf("stats after the queue was emptied: %+v", stats)
	}
	total := 0
	for i := 0; i < sessions; i++ {
		name := fmt.Sprintf("r%02d", i)
		if stats.ByReviewer[name] != acked[i] {
			t.Errorf("%s saw %d decisions acknowledged, the store has %d", name, acked[i], stats.ByReviewer[name])
		}
		total += acked[i]
	}
	if total != posts {
		t.Fatalf("%d decisions acknowledged, want %d", total, posts)
	}
	rep, err := st.Check(context.Background())
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check: %v %v", rep.Problems, err)
	}
}
