package tui

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

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
	unproven := unprovenSigner{offered: lead.PublicKey(), real: termtest.NewSigner(t)}
	// Offering the lead's key with a signature it did not make gets nowhere:
	// the server ends the connection at the bad signature (x/crypto/ssh
	// fails closed), even with bob's good key next in line.
	if _, err := termtest.Dial(srv.addr, gossh.PublicKeys(unproven)); err == nil {
		t.Fatal("an unproven key authenticated")
	}
	if _, err := termtest.Dial(srv.addr, gossh.PublicKeys(unproven, bob)); err == nil {
		t.Fatal("a connection went on after a bad signature")
	}
}

// refusingAgent is an SSH agent that lists keys it cannot sign with: the
// client offers the lead's public key, the server says it would accept it,
// the signature never comes, and the client moves on to the next key. That
// is the only way to offer a key without its private half here: the Go
// client gives up when a signer fails, and a bad signature ends the
// connection; OpenSSH, asked to sign by an agent that cannot, moves on.
type refusingAgent struct {
	list  []gossh.PublicKey
	holds map[string]gossh.Signer // by fingerprint
}

func (a *refusingAgent) List() ([]*agent.Key, error) {
	var out []*agent.Key
	for _, k := range a.list {
		out = append(out, &agent.Key{Format: k.Type(), Blob: k.Marshal(), Comment: gossh.FingerprintSHA256(k)})
	}
	return out, nil
}

func (a *refusingAgent) Sign(key gossh.PublicKey, data []byte) (*gossh.Signature, error) {
	if s, ok := a.holds[gossh.FingerprintSHA256(key)]; ok {
		return s.Sign(rand.Reader, data)
	}
	return nil, errors.New("agent: no private key")
}

func (a *refusingAgent) Add(agent.AddedKey) error     { return errors.New("agent: read-only") }
func (a *refusingAgent) Remove(gossh.PublicKey) error { return errors.New("agent: read-only") }
func (a *refusingAgent) RemoveAll() error             { return errors.New("agent: read-only") }
func (a *refusingAgent) Lock([]byte) error            { return errors.New("agent: read-only") }
func (a *refusingAgent) Unlock([]byte) error          { return errors.New("agent: read-only") }
func (a *refusingAgent) Signers() ([]gossh.Signer, error) {
	return nil, errors.New("agent: no signers")
}

// offerLog is the store, recording every key the server looks up.
type offerLog struct {
	*data.Store
	mu  sync.Mutex
	fps []string
}

func (o *offerLog) ReviewerByKey(ctx context.Context, fp string) (model.Reviewer, error) {
	o.mu.Lock()
	o.fps = append(o.fps, fp)
	o.mu.Unlock()
	return o.Store.ReviewerByKey(ctx, fp)
}

func (o *offerLog) asked(fp string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Contains(o.fps, fp)
}

// A client offers the lead's public key without its private half, then
// proves bob's: the console, and every decision in it, are bob's.
func TestSSHKeyOfferedWithoutPrivateHalfThenAnotherIsTheOther(t *testing.T) {
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Skip("no OpenSSH client")
	}
	st := demoStore(t, 30, 1)
	lead := register(t, st, "lena", model.RoleLead)
	bob := register(t, st, "bob", model.RoleReviewer)
	offers := &offerLog{Store: st}
	srv := startServer(t, offers)

	sock := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ag := &refusingAgent{list: []gossh.PublicKey{lead.PublicKey(), bob.PublicKey()},
		holds: map[string]gossh.Signer{gossh.FingerprintSHA256(bob.PublicKey()): bob}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { agent.ServeAgent(ag, c); c.Close() }()
		}
	}()

	_, port, _ := net.SplitHostPort(srv.addr)
	cmd := exec.Command("ssh", "-tt", "-F", "/dev/null", "-p", port, "-o", "StrictHostKeyChecking=no",
		"-o", "UserKnownHostsFile=/dev/null", "-o", "IdentityAgent="+sock, "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
		"-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no", "lena@127.0.0.1")
	cmd.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock, "TERM=xterm-256color")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); f.Close(); close(exited) }()
	defer func() {
		cmd.Process.Kill()
		<-exited
	}()
	scr := termtest.NewScreen(120, 30, false)
	go io.Copy(scr, f)
	go io.Copy(f, scr) // the terminal's answers

	s := scr.WaitFor(t, "decided this session · bob", "AGE PL")
	if strings.Contains(s, "(lead)") || strings.Contains(s, "Leads") {
		t.Fatalf("bob got the lead's console:\n%s", s)
	}
	if !offers.asked(gossh.FingerprintSHA256(lead.PublicKey())) {
		t.Fatal("the lead's key was never offered: the test does not test what it says")
	}
	f.Write([]byte("Xa")) // X: sensitive text shown, so it may be approved
	s = scr.WaitFor(t, "Approved #", decidedLine(1))
	var id int64
	fmt.Sscanf(s[strings.Index(s, "Approved #")+len("Approved #"):], "%d", &id)
	ev := events(t, st, id)
	if len(ev) != 1 || ev[0].Reviewer != "bob" || ev[0].KeyFP != gossh.FingerprintSHA256(bob.PublicKey()) {
		t.Fatalf("the decision was recorded as %+v", ev)
	}
	f.Write([]byte("q"))
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatal("ssh did not exit after q")
	}
}

func TestSSHDisabledReviewerIsRefusedAndCutOff(t *testing.T) {
	st := demoStore(t, 40, 1)
	alice := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, alice)
	c.WaitFor(t, "alice", "AGE PL")
	if err := st.SetReviewerEnabled(context.Background(), "alice", false); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(termtest.Patience):
		t.Fatal("a disabled reviewer's live session was not ended")
	}
	if _, err := termtest.Dial(srv.addr, gossh.PublicKeys(alice)); err == nil {
		t.Fatal("a disabled reviewer got in")
	}
	st.SetReviewerEnabled(context.Background(), "alice", true)
	termtest.MustOpenConsole(t, srv.addr, 120, 30, alice).WaitFor(t, "alice", "AGE PL")
}

func TestSSHDisconnectReleasesClaimsAtOnce(t *testing.T) {
	st := demoStore(t, 15, 1)
	alice := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, alice)
	c.WaitFor(t, "Your batch: 15 posts") // all of them: the list has room for more
	c.Client.Conn.Close()                // the connection drops, no goodbye
	ctx := context.Background()
	probe, _ := st.StartSession(ctx, model.Actor{Reviewer: "probe"}, data.OriginLocal)
	deadline := time.Now().Add(termtest.Patience)
	for {
		n, err := st.Claim(ctx, probe, 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if n == 15 {
			break // all fifteen, alice's among them, long before her lease would run out
		}
		st.EndSession(ctx, probe)
		probe, _ = st.StartSession(ctx, model.Actor{Reviewer: "probe"}, data.OriginLocal)
		if time.Now().After(deadline) {
			t.Fatalf("after the disconnect only %d posts were free", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A reviewer's escalation leaves their queue for the leads'; in My
// decisions they still read it (read-only) and see what the lead did.
func TestSSHReviewerSeesWhatBecameOfAnEscalation(t *testing.T) {
	st := demoStore(t, 30, 1)
	ron := register(t, st, "ron", model.RoleReviewer)
	lena := register(t, st, "lena", model.RoleLead)
	srv := startServer(t, st)
	r := termtest.MustOpenConsole(t, srv.addr, 120, 30, ron)
	r.WaitFor(t, "AGE PL")
	r.Send("e")
	r.WaitFor(t, "to a lead")
	r.Send("1\r")
	r.WaitFor(t, "note (enter sends")
	r.Send("real recruiter\r")
	s := r.WaitFor(t, "Escalated #", decidedLine(1))
	var id int64
	fmt.Sscanf(s[strings.Index(s, "Escalated #")+len("Escalated #"):], "%d", &id)
	r.Send("\t") // My decisions: the row, its text, and the post read-only
	r.WaitFor(t, "escalate", "ESC-LEGAL", "in force", fmt.Sprintf("#%d ", id), "ESCALATED")
	r.Send("a")
	r.WaitFor(t, "Decisions are made in the Pending queue")

	l := termtest.MustOpenConsole(t, srv.addr, 120, 30, lena)
	l.WaitFor(t, "(lead)")
	l.Send("\t\t\t") // Pending → My decisions → Confirm → Leads
	l.WaitFor(t, fmt.Sprintf("#%d ", id), "real recruiter")
	l.Send("b")
	l.WaitFor(t, "note for the reviewers (required)")
	l.Send("policy allows this one\r")
	l.WaitFor(t, "Sent back to the reviewers")
	r.Send("\t\t\t") // round to My decisions, read afresh
	r.WaitFor(t, "sent back")

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
	// Fifty handshakes from one address at the same instant are more than
	// the default cap on unauthenticated connections per source allows.
	srv := startServer(t, st, func(o *ServerOptions) { o.MaxUnauthenticatedPerIP = sessions })
	keys := make([]gossh.Signer, sessions)
	for i := range keys {
		keys[i] = register(t, st, fmt.Sprintf("r%02d", i), model.RoleReviewer)
	}
	acked := make([]int, sessions)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() { // reports with t.Error: t.Fatal must not be called from a goroutine
			defer wg.Done()
			c, err := termtest.OpenConsole(srv.addr, 120, 30, keys[i])
			if err != nil {
				t.Errorf("r%02d: ssh: %v", i, err)
				return
			}
			defer c.Close()
			if _, err := c.Await(fmt.Sprintf("r%02d", i)); err != nil {
				t.Errorf("r%02d: %v", i, err)
				return
			}
			c.Send("X") // sensitive text shown, so it may be approved
			for {
				if strings.Contains(c.String(), "▌") { // a post is selected
					c.Send("a")
					acked[i]++
					if _, err := c.Await(decidedLine(acked[i])); err != nil {
						t.Errorf("r%02d: %v", i, err)
						return
					}
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
	if t.Failed() {
		return
	}
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

// Keys typed in one burst over SSH are applied in order: the view picker
// gets its digit and enter even though the views arrive after them.
func TestSSHTypeaheadBurst(t *testing.T) {
	st := demoStore(t, 60, 4)
	key := register(t, st, "tia", model.RoleReviewer)
	srv := startServer(t, st)
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, key)
	c.WaitFor(t, "tia", "AGE PL")
	c.Send("v2\r") // one write
	c.WaitFor(t, "[view breaches")
	c.Send("v1\r")
	s := c.WaitFor(t, "Filter cleared")
	if strings.Contains(s, "Switch to a view") {
		t.Fatalf("the picker stayed open:\n%s", s)
	}
	c.Send("X" + strings.Repeat("j", 9) + strings.Repeat("k", 8) + "hha") // twenty-one keys, one write
	c.WaitFor(t, "Approved #", decidedLine(1))
}

// A reviewer who quits gets their terminal back as it was: the main
// screen, a cursor, wrapping (the console turns it off), the summary line
// below what was there before.
func TestSSHQuitGivesTheTerminalBack(t *testing.T) {
	st := demoStore(t, 30, 1)
	key := register(t, st, "ana", model.RoleReviewer)
	srv := startServer(t, st)
	c := termtest.MustOpenConsole(t, srv.addr, 120, 24, key)
	c.WaitFor(t, "AGE PL")
	if alt, hidden := c.Modes(); !alt || !hidden {
		t.Fatalf("the console runs with alternate screen %v, cursor hidden %v", alt, hidden)
	}
	c.Send("Xa")
	c.WaitFor(t, decidedLine(1))
	c.Send("q")
	select {
	case <-c.Done():
	case <-time.After(termtest.Patience):
		t.Fatal("the session did not end after q")
	}
	if alt, hidden := c.Modes(); alt || hidden {
		t.Fatalf("after quitting: alternate screen %v, cursor hidden %v\n%s", alt, hidden, c.String())
	}
	s := c.String()
	if strings.Contains(s, "AGE PL") || !strings.HasPrefix(s, "triage: ana decided 1 post") {
		t.Fatalf("after quitting the terminal shows\n%s", s)
	}
	// Wrapping is back: a line longer than the terminal continues below.
	c.Screen.Write([]byte("\r\n" + strings.Repeat("w", 125) + "\r\n"))
	if !strings.Contains(c.String(), "\nwwwww\n") {
		t.Fatalf("a long line did not wrap after quitting:\n%s", c.String())
	}
}
