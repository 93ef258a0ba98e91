package tui

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"triage/model"
	"triage/tui/termtest"
)

// ptyFiles counts this process's open PTY files (masters and slaves): the
// server runs in the test's process, and tests here do not run in parallel.
func ptyFiles(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	n := 0
	for _, e := range ents {
		dst, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err == nil && (dst == "/dev/ptmx" || strings.HasPrefix(dst, "/dev/pts/")) {
			n++
		}
	}
	return n
}

// ptyChannel opens a session channel on client and asks for a PTY, never
// a shell; it reports whether the server let it have both.
func ptyChannel(client *gossh.Client) (gossh.Channel, bool) {
	ch, reqs, err := client.OpenChannel("session", nil)
	if err != nil {
		return nil, false
	}
	go gossh.DiscardRequests(reqs)
	payload := gossh.Marshal(struct {
		Term                string
		Columns, Rows, W, H uint32
		Modes               string
	}{"xterm", 80, 24, 0, 0, ""})
	ok, err := ch.SendRequest("pty-req", true, payload)
	return ch, err == nil && ok
}

func TestSSHChannelsWithoutAConsoleAreCappedAndExpire(t *testing.T) {
	st := demoStore(t, 30, 1)
	mallory := register(t, st, "mallory", model.RoleReviewer)
	alice := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st, func(o *ServerOptions) { o.HandshakeTimeout = 2 * time.Second })
	before := ptyFiles(t)
	// One connection asks for 300 PTYs and never starts a console: the
	// reviewer's cap (3 by the default policy) holds.
	client, err := termtest.Dial(srv.addr, gossh.PublicKeys(mallory))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	got := 0
	for range 300 {
		if _, ok := ptyChannel(client); ok {
			got++
		}
	}
	limit := model.DefaultPolicy().Limits.Consoles()
	if got != limit {
		t.Fatalf("%d PTY channels granted on one connection, want the reviewer's limit %d", got, limit)
	}
	// A second connection of the same key gets none.
	second, err := termtest.Dial(srv.addr, gossh.PublicKeys(mallory))
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if _, ok := ptyChannel(second); ok {
		t.Fatal("a second connection of the same reviewer got a PTY past the limit")
	}
	if n := ptyFiles(t) - before; n <= 0 || n > 2*limit {
		t.Fatalf("%d PTY files open for %d channels", n, limit)
	}
	// Another reviewer is not affected.
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, alice)
	c.WaitFor(t, "alice", "AGE PL")
	// Past the handshake timeout the channels without a console are gone,
	// their PTYs with them, and so are both of mallory's connections.
	eventually(t, "mallory's channels closed", func() bool { _, by := srv.srv.channels.count(); return by["mallory"] == 0 })
	eventually(t, "mallory's PTYs released", func() bool { return ptyFiles(t) <= before+2 }) // alice's console holds one
	gone := make(chan struct{})
	go func() { client.Wait(); second.Wait(); close(gone) }()
	select {
	case <-gone:
	case <-time.After(30 * time.Second):
		t.Fatal("connections with no console were not closed")
	}
	if srv.log.summed("refused") < 297 || srv.log.count("refused") > 10 {
		t.Fatalf("refusals not summarised:\n%s", srv.log)
	}
	c.Send("Xa")
	c.WaitFor(t, decidedLine(1))
}

func TestSSHAChannelBesideAConsoleExpiresAlone(t *testing.T) {
	st := demoStore(t, 30, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st, func(o *ServerOptions) { o.HandshakeTimeout = time.Second })
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, key)
	c.WaitFor(t, "alice", "AGE PL")
	ch, ok := ptyChannel(c.Client)
	if !ok {
		t.Fatal("a second channel on a console's connection was refused")
	}
	closed := make(chan struct{})
	go func() { ch.Read(make([]byte, 1)); close(closed) }()
	select {
	case <-closed:
	case <-time.After(30 * time.Second):
		t.Fatal("a channel that never started a console was kept")
	}
	eventually(t, "one channel left", func() bool { n, _ := srv.srv.channels.count(); return n == 1 })
	// The console on the same connection is untouched, past the timeout too.
	time.Sleep(1500 * time.Millisecond)
	c.Send("Xa")
	c.WaitFor(t, decidedLine(1))
}

func TestSSHEnvRequestsAreCapped(t *testing.T) {
	st := demoStore(t, 10, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	client, err := termtest.Dial(srv.addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ch, reqs, err := client.OpenChannel("session", nil)
	if err != nil {
		t.Fatal(err)
	}
	go gossh.DiscardRequests(reqs)
	env := func(k, v string) bool {
		ok, err := ch.SendRequest("env", true, gossh.Marshal(struct{ K, V string }{k, v}))
		return err == nil && ok
	}
	if env("BIG", strings.Repeat("x", 32<<10)) {
		t.Fatal("a 32 KB env request was accepted")
	}
	accepted := 0
	for i := range 2000 {
		if env(fmt.Sprintf("V%d", i), strings.Repeat("y", 500)) {
			accepted++
		}
	}
	if accepted != MaxEnvRequests-1 { // the refused big one counted too
		t.Fatalf("%d of 2000 env requests accepted, want %d", accepted, MaxEnvRequests-1)
	}
	// LANG sent first, as OpenSSH does, still reaches the console.
	c := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{Env: map[string]string{"LANG": "ru_RU.UTF-8"}}, key)
	c.WaitFor(t, "alice", "ВОЗР")
}

// flood opens unauthenticated connections that send SSH's version line and
// then nothing, from random addresses of 127.10.0.0–127.15.255.255, until
// stop is closed; it counts them.
func flood(addr string, stop <-chan struct{}, opened *atomic.Int64, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case <-stop:
			return
		default:
		}
		ip := net.IPv4(127, byte(10+rand.IntN(6)), byte(rand.IntN(256)), byte(1+rand.IntN(254)))
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: time.Second}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			continue
		}
		opened.Add(1)
		c.Write([]byte("SSH-2.0-flood\r\n"))
		go func() {
			select {
			case <-stop:
			case <-time.After(5 * time.Second):
			}
			c.Close()
		}()
	}
}

func TestSSHFloodFromManyAddressesLocksNobodyOut(t *testing.T) {
	st := demoStore(t, 60, 1)
	var keys []gossh.Signer
	for i := range 8 {
		keys = append(keys, register(t, st, fmt.Sprintf("r%d", i), model.RoleReviewer))
	}
	srv := startServer(t, st, func(o *ServerOptions) { o.HandshakeTimeout = 5 * time.Second })
	stop := make(chan struct{})
	var opened atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go flood(srv.addr, stop, &opened, &wg)
	}
	defer func() { close(stop); wg.Wait() }()
	eventually(t, "the flood fills the server", func() bool {
		n, _ := srv.srv.conns.unauthenticated()
		return n >= DefaultMaxUnauthenticated && opened.Load() > 2*DefaultMaxUnauthenticated
	})
	start := time.Now()
	var failed atomic.Int64
	var logins sync.WaitGroup
	for i, key := range keys {
		logins.Add(1)
		go func() {
			defer logins.Done()
			c, err := termtest.OpenConsole(srv.addr, 120, 30, key)
			if err == nil {
				_, err = c.Await(fmt.Sprintf("r%d", i), "AGE PL")
				c.Close()
			}
			if err != nil {
				failed.Add(1)
				t.Logf("login r%d: %v", i, err)
			}
		}()
	}
	logins.Wait()
	elapsed := time.Since(start)
	if failed.Load() != 0 {
		t.Fatalf("%d of %d logins failed during a flood of %d connections", failed.Load(), len(keys), opened.Load())
	}
	// The flood is summarised: a line a second at most, however many
	// connections it made.
	lines := srv.log.count("to make room") + srv.log.count("refused")
	if limit := 2*int(elapsed/time.Second) + 4; lines > limit {
		t.Fatalf("%d log lines in %s for a flood of %d connections (want at most %d):\n%s", lines, elapsed, opened.Load(), limit, srv.log)
	}
}

func TestSSHConsolesPerReviewerAreCapped(t *testing.T) {
	st := demoStore(t, 100, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	bob := register(t, st, "bob", model.RoleReviewer)
	srv := startServer(t, st)
	limit := model.DefaultPolicy().Limits.Consoles()
	var consoles []*termtest.Console
	refused := 0
	for range 10 {
		c, err := termtest.OpenConsole(srv.addr, 120, 30, key)
		if err != nil {
			refused++
			continue
		}
		consoles = append(consoles, c)
		t.Cleanup(c.Close)
		c.WaitFor(t, "alice", "AGE PL")
	}
	if len(consoles) != limit || refused != 10-limit {
		t.Fatalf("%d consoles opened and %d refused, want %d opened", len(consoles), refused, limit)
	}
	// bob still finds posts to decide: alice holds her consoles' batches.
	b := termtest.MustOpenConsole(t, srv.addr, 120, 30, bob)
	b.WaitFor(t, "bob", "AGE PL")
	// Three consoles of 26 rows would hold 78 posts: the policy's limit holds.
	if n := dbCount(t, st, `SELECT count(*) FROM posts WHERE lease_owner IN (SELECT id FROM sessions WHERE reviewer = 'alice')`); n != model.DefaultPolicy().Limits.Posts() {
		t.Fatalf("alice holds %d posts, want the policy's limit %d", n, model.DefaultPolicy().Limits.Posts())
	}
	b.Send("Xa")
	b.WaitFor(t, decidedLine(1))
	// One of alice's consoles ends: another may start.
	consoles[0].Send("q")
	<-consoles[0].Done()
	eventually(t, "alice's session ended", func() bool {
		return dbCount(t, st, `SELECT count(*) FROM sessions WHERE reviewer = 'alice' AND ended_at IS NULL`) == limit-1
	})
	termtest.MustOpenConsole(t, srv.addr, 120, 30, key).WaitFor(t, "alice", "AGE PL")
}

// A client that drops without quitting closes its connection before its
// console has ended: no deadline is left running on it, and nothing logs it
// as a connection that never started a console.
func TestSSHDroppedClientIsNotLoggedAsIdle(t *testing.T) {
	st := demoStore(t, 10, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st, func(o *ServerOptions) { o.HandshakeTimeout = 300 * time.Millisecond })
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, key)
	c.WaitFor(t, "alice", "AGE PL")
	c.Client.Conn.Close()
	eventually(t, "the session ended", func() bool { return openSSHSessions(t, st) == 0 })
	time.Sleep(time.Second) // three handshake timeouts: a deadline left running would have fired
	if n := srv.log.count("no console started"); n != 0 {
		t.Fatalf("a dropped client was logged as idle:\n%s", srv.log)
	}
}
