package tui

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"triage/data"
	"triage/model"
	"triage/tui/termtest"
)

// eventually fails the test unless cond becomes true; the limit only turns
// a hang into a failure.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// dbCount runs a count query on the store's file, read-only.
func dbCount(t *testing.T, st *data.Store, query string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// held is how many pending posts some session holds; open is how many SSH
// sessions have not ended.
func held(t *testing.T, st *data.Store) int {
	return dbCount(t, st, `SELECT count(*) FROM posts WHERE status = 'pending' AND lease_owner IS NOT NULL`)
}

func openSSHSessions(t *testing.T, st *data.Store) int {
	return dbCount(t, st, `SELECT count(*) FROM sessions WHERE origin = 'ssh' AND ended_at IS NULL`)
}

// liveGuards are the guards of the server's live sessions.
func liveGuards(s *Server) []*channelGuard {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*channelGuard
	for _, l := range s.sessions {
		out = append(out, l.guard)
	}
	return out
}

// stalledClient opens a PTY session and never reads what the server sends:
// its stdout and stderr pipes are taken and left alone, so the channel's
// flow-control window fills and the server's writes block.
type stalledClient struct {
	client *gossh.Client
	sess   *gossh.Session
	gone   chan struct{} // closed when the server drops the connection
}

func openStalled(t *testing.T, addr string, key gossh.Signer, w, h int) *stalledClient {
	t.Helper()
	client, err := termtest.Dial(addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	sess.StdoutPipe() // never read
	sess.StderrPipe() // never read
	sess.StdinPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	c := &stalledClient{client: client, sess: sess, gone: make(chan struct{})}
	go func() { client.Wait(); close(c.gone) }()
	return c
}

// churn makes the console redraw, by resizing it back and forth, until stop
// is closed or the connection goes.
func (c *stalledClient) churn(stop <-chan struct{}) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-c.gone:
			return
		case <-time.After(5 * time.Millisecond):
		}
		if err := c.sess.WindowChange(MaxRows-i%2, MaxColumns-i%2); err != nil {
			return
		}
	}
}

func TestServeHostKeyCreatedWithoutTouchingItsDirectory(t *testing.T) {
	st := demoStore(t, 5, 1)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "host_ed25519"), filepath.Join(dir, "keys", "sub", "host_ed25519")} {
		var log logbook
		srv, err := NewServer(ServerOptions{Store: st, Policy: st.Policy(), HostKeyPath: path, Logf: log.Logf})
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o755 {
			t.Fatalf("the key's directory was %v, now %v (%v)", os.FileMode(0o755), fi.Mode().Perm(), err)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("host key file: %v %v", fi, err)
		}
		for d := filepath.Dir(path); d != dir; d = filepath.Dir(d) {
			if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
				t.Fatalf("directory %s made for the key: %v %v", d, fi, err)
			}
		}
		b, _ := os.ReadFile(path)
		signer, err := gossh.ParsePrivateKey(b)
		if err != nil || signer.PublicKey().Type() != gossh.KeyAlgoED25519 {
			t.Fatalf("host key: %v", err)
		}
		want := fmt.Sprintf("host key %s (%s)", gossh.FingerprintSHA256(signer.PublicKey()), path)
		if log.count(want) != 1 || srv.HostKey() != gossh.FingerprintSHA256(signer.PublicKey()) {
			t.Fatalf("log should say %q:\n%s", want, log.String())
		}
		// A second start loads the same key and says so again; a key file
		// others can read is loaded with a warning.
		os.Chmod(path, 0o644)
		var again logbook
		if _, err := NewServer(ServerOptions{Store: st, Policy: st.Policy(), HostKeyPath: path, Logf: again.Logf}); err != nil {
			t.Fatal(err)
		}
		if again.count(want) != 1 || again.count("created") != 0 || again.count("has mode 0644; others can read it (chmod 600)") != 1 {
			t.Fatalf("second start:\n%s", again.String())
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Fatalf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestSSHWindowSizeIsClamped(t *testing.T) {
	st := demoStore(t, 30, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	// The screen is larger than the limit, smaller than the request: what
	// the console draws beyond column 500 or row 200 would show. It is made
	// before the heap is measured.
	scr := termtest.NewScreen(MaxColumns+100, MaxRows+50, false)

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	// A 500×200 console costs some 30 MiB of live heap (the renderer's cell
	// buffers); 10000×10000 would be 1,000 times that. Live growth is
	// bounded by 64 MiB, the peak (garbage not yet collected included) by
	// 256 MiB.
	const bound, peakBound = 64 << 20, 256 << 20
	var peak atomic.Uint64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stopSampling:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	grown := func() uint64 {
		if p := peak.Load(); p > base {
			return p - base
		}
		return 0
	}

	client, err := termtest.Dial(srv.addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 10000, 10000, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, _ := sess.StdinPipe()
	stdout, _ := sess.StdoutPipe()
	go io.Copy(scr, stdout)
	go io.Copy(stdin, scr)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5 && grown() < peakBound; i++ {
		if err := sess.WindowChange(10000, 10000); err != nil {
			t.Fatal(err)
		}
		scr.WaitFor(t, "alice", "AGE PL")
	}
	// Zero becomes one: the console's too-small message, clipped to one
	// cell, is all there is.
	if err := sess.WindowChange(0, 0); err != nil {
		t.Fatal(err)
	}
	// Under load a large frame may still be on its way when the change
	// lands; the window change is repeated (a no-op for the server once it
	// is 1×1) until the one-cell frame is what the client shows.
	tries := 0
	eventually(t, "a 1×1 console", func() bool {
		if tries++; tries%100 == 0 {
			sess.WindowChange(0, 0)
		}
		return strings.TrimSpace(scr.String()) == "T"
	})
	if err := sess.WindowChange(10000, 10000); err != nil {
		t.Fatal(err)
	}
	s := scr.WaitFor(t, "alice", "AGE PL")
	close(stopSampling)
	<-sampled
	runtime.GC()
	runtime.ReadMemStats(&ms)
	live := int64(ms.HeapInuse) - int64(base)
	t.Logf("heap: peak %d MiB above the start, %d MiB live after GC", grown()>>20, live>>20)
	if g := grown(); g >= peakBound || live >= bound {
		t.Fatalf("the heap grew by %d MiB at its peak, %d MiB live, for one session asking for 10000×10000", g>>20, live>>20)
	}
	// Nothing is drawn beyond the limit, and the console does use the width
	// it was given.
	widest := 0
	for y := 0; y < MaxRows+50; y++ {
		for x := 0; x < MaxColumns+100; x++ {
			if c := scr.Cell(x, y); c != "" && c != " " {
				if y >= MaxRows {
					t.Fatalf("row %d drawn (%q):\n%s", y+1, c, s)
				}
				widest = max(widest, x+1)
			}
		}
	}
	if widest != MaxColumns {
		t.Fatalf("the console's widest row reaches column %d, want %d", widest, MaxColumns)
	}
	if n := srv.log.count("clamped to 500×200"); n != 1 {
		t.Fatalf("clamping logged %d times, want once per session:\n%s", n, srv.log)
	}
}

func TestClampWindowDimensions(t *testing.T) {
	for _, c := range []struct{ in, limit, want uint32 }{
		{80, 500, 80}, {500, 500, 500}, {501, 500, 500}, {10000, 500, 500}, {0, 500, 1},
		{1 << 31, 200, 1}, {0xffffffff, 200, 1}, {1<<31 - 1, 200, 200},
	} {
		if got := clampDim(c.in, int32(c.limit)); got != c.want {
			t.Errorf("clampDim(%d, %d) = %d, want %d", c.in, c.limit, got, c.want)
		}
	}
}

func TestSSHStalledClientLosesItsSession(t *testing.T) {
	st := demoStore(t, 30, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st, func(o *ServerOptions) { o.WriteTimeout = 300 * time.Millisecond })
	c := openStalled(t, srv.addr, key, MaxColumns, MaxRows)
	eventually(t, "alice claims her batch", func() bool { return held(t, st) > 0 })
	stop := make(chan struct{})
	defer close(stop)
	go c.churn(stop)
	select {
	case <-c.gone:
	case <-time.After(120 * time.Second):
		t.Fatalf("a client that stopped reading kept its connection:\n%s", srv.log)
	}
	eventually(t, "the stalled session's posts are released", func() bool { return held(t, st) == 0 && openSSHSessions(t, st) == 0 })
	if srv.log.count("took no output for 300ms; closing the connection") != 1 {
		t.Fatalf("log:\n%s", srv.log)
	}
	// The server is fine: the same reviewer gets a fresh console.
	termtest.MustOpenConsole(t, srv.addr, 120, 30, key).WaitFor(t, "alice", "AGE PL")
	shutdown(t, srv)
}

// shutdown stops the server and fails the test if Shutdown never returns
// or errs.
func shutdown(t *testing.T, srv *sshServer) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- srv.srv.Shutdown(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(120 * time.Second):
		t.Fatalf("Shutdown never returned:\n%s", srv.log)
	}
}

func TestSSHShutdownWithStalledClient(t *testing.T) {
	st := demoStore(t, 30, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	bob := register(t, st, "bob", model.RoleReviewer)
	// The write timeout is long: here it is shutdown's grace that ends the
	// stalled session.
	srv := startServer(t, st, func(o *ServerOptions) {
		o.WriteTimeout = time.Hour
		o.ShutdownGrace = 500 * time.Millisecond
	})
	healthy := termtest.MustOpenConsole(t, srv.addr, 120, 30, bob)
	healthy.WaitFor(t, "bob", "AGE PL")
	c := openStalled(t, srv.addr, key, MaxColumns, MaxRows)
	stop := make(chan struct{})
	go c.churn(stop)
	eventually(t, "a server write blocks on the stalled client", func() bool {
		for _, g := range liveGuards(srv.srv) {
			if g != nil && g.blocked() > 200*time.Millisecond {
				return true
			}
		}
		return false
	})
	close(stop)
	shutdown(t, srv)
	if n := held(t, st); n != 0 {
		t.Fatalf("%d posts still held after shutdown", n)
	}
	if n := openSSHSessions(t, st); n != 0 {
		t.Fatalf("%d sessions still open after shutdown", n)
	}
	select {
	case <-c.gone:
	case <-time.After(30 * time.Second):
		t.Fatal("the stalled client's connection is still open after shutdown")
	}
	// The client that was reading was told why.
	select {
	case <-healthy.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("the healthy console is still open after shutdown")
	}
	if got := healthy.Stderr(); !strings.Contains(got, "triage: server shutting down; your posts are back in the queue") {
		t.Fatalf("goodbye: %q", got)
	}
}

func TestSSHShutdownSaysGoodbyeAndReleases(t *testing.T) {
	st := demoStore(t, 30, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	c := termtest.MustOpenConsole(t, srv.addr, 120, 30, key)
	c.WaitFor(t, "AGE PL")
	eventually(t, "alice holds her batch", func() bool { return held(t, st) > 0 })
	shutdown(t, srv)
	<-c.Done()
	if got := c.Stderr(); strings.TrimSpace(got) != "triage: server shutting down; your posts are back in the queue" {
		t.Fatalf("goodbye: %q", got)
	}
	if held(t, st) != 0 || openSSHSessions(t, st) != 0 {
		t.Fatal("shutdown left posts held or sessions open")
	}
	if _, err := termtest.Dial(srv.addr, gossh.PublicKeys(key)); err == nil {
		t.Fatal("a connection was accepted after shutdown")
	}
}

// Sessions keep arriving while the server shuts down: each is served or
// refused, Shutdown returns, and no store session is left open when it has.
func TestSSHShutdownWhileSessionsArrive(t *testing.T) {
	for round := 0; round < 3; round++ {
		st := demoStore(t, 40, 1)
		keys := make([]gossh.Signer, 8)
		for i := range keys {
			keys[i] = register(t, st, fmt.Sprintf("r%d", i), model.RoleReviewer)
		}
		srv := startServer(t, st)
		termtest.MustOpenConsole(t, srv.addr, 120, 30, keys[0]).WaitFor(t, "AGE PL")
		var wg sync.WaitGroup
		for i := range keys {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 3; j++ {
					if c, err := termtest.OpenConsole(srv.addr, 120, 30, keys[i]); err == nil {
						time.Sleep(time.Duration(i*j) * time.Millisecond)
						defer c.Close()
					}
				}
			}()
		}
		time.Sleep(time.Duration(round*20) * time.Millisecond)
		shutdown(t, srv)
		if n := openSSHSessions(t, st); n != 0 {
			t.Fatalf("round %d: %d sessions open after Shutdown returned", round, n)
		}
		wg.Wait()
	}
}

// rawConns opens n TCP connections from localIP that never speak SSH, and
// reports how many the server kept (it sent them its version line) and how
// many it closed at once.
func rawConns(t *testing.T, addr, localIP string, n int) (kept []net.Conn, closed int) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(localIP)}}
	conns := make([]net.Conn, 0, n)
	for i := 0; i < n; i++ {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.SetReadDeadline(time.Now().Add(30 * time.Second)) // a hang becomes a failure
		buf := make([]byte, 8)
		if _, err := io.ReadFull(c, buf); err == nil && string(buf) == "SSH-2.0-" {
			kept = append(kept, c)
		} else if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || isReset(err) {
			closed++
		} else {
			t.Fatalf("connection %s: %q %v", c.LocalAddr(), buf, err)
		}
	}
	return kept, closed
}

func isReset(err error) bool { return err != nil && strings.Contains(err.Error(), "connection reset") }

func TestSSHUnauthenticatedConnectionsAreCapped(t *testing.T) {
	st := demoStore(t, 30, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st, func(o *ServerOptions) { o.HandshakeTimeout = time.Hour })
	// 200 connections from one address that never send a banner: the first
	// sixteen are kept, the rest closed at once.
	kept, closed := rawConns(t, srv.addr, "127.0.0.1", 200)
	if len(kept) != DefaultMaxUnauthenticatedPerIP || closed != 200-DefaultMaxUnauthenticatedPerIP {
		t.Fatalf("from one address: %d kept, %d closed; want %d kept", len(kept), closed, DefaultMaxUnauthenticatedPerIP)
	}
	// A reviewer elsewhere still gets in, and her session is not counted.
	c := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{LocalIP: "127.0.0.2"}, key)
	c.WaitFor(t, "alice", "AGE PL")
	if total, by := srv.srv.conns.unauthenticated(); total != DefaultMaxUnauthenticatedPerIP || by["127.0.0.2"] != 0 {
		t.Fatalf("unauthenticated: %d, by source %v", total, by)
	}
	// In total, no more than 64 wait, however many sources they come from;
	// a flood spread over many addresses does not lock a reviewer out: the
	// busiest source's oldest connection makes room for a newcomer.
	for i := 3; i <= 8; i++ {
		rawConns(t, srv.addr, fmt.Sprintf("127.0.0.%d", i), DefaultMaxUnauthenticatedPerIP)
	}
	if total, _ := srv.srv.conns.unauthenticated(); total != DefaultMaxUnauthenticated {
		t.Fatalf("%d unauthenticated connections wait, want the cap, %d", total, DefaultMaxUnauthenticated)
	}
	late, err := termtest.DialFrom("127.0.0.9", srv.addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("a reviewer was locked out by a spread flood: %v", err)
	}
	late.Close()
	if total, _ := srv.srv.conns.unauthenticated(); total > DefaultMaxUnauthenticated {
		t.Fatalf("%d unauthenticated connections wait, over the cap %d", total, DefaultMaxUnauthenticated)
	}
	// The console that was already open still works.
	c.Send("Xa")
	c.WaitFor(t, decidedLine(1))
}

func TestSSHHandshakeTimeout(t *testing.T) {
	st := demoStore(t, 10, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st, func(o *ServerOptions) { o.HandshakeTimeout = 300 * time.Millisecond })
	kept, _ := rawConns(t, srv.addr, "127.0.0.1", 1)
	if len(kept) != 1 {
		t.Fatal("the server did not answer")
	}
	// Also a client that authenticates but never opens a session.
	client, err := termtest.Dial(srv.addr, gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	gone := make(chan struct{})
	go func() { client.Wait(); close(gone) }()
	kept[0].SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.Copy(io.Discard, kept[0]); err != nil && !isReset(err) {
		t.Fatalf("a connection that never sent a banner was not closed: %v", err)
	}
	select {
	case <-gone:
	case <-time.After(30 * time.Second):
		t.Fatal("a connection that opened no session was not closed")
	}
	eventually(t, "both closings logged", func() bool { return srv.log.summed("no console started within 300ms") == 2 })
	if total, _ := srv.srv.conns.unauthenticated(); total != 0 {
		t.Fatalf("%d unauthenticated connections still counted", total)
	}
	termtest.MustOpenConsole(t, srv.addr, 120, 30, key).WaitFor(t, "alice", "AGE PL")
}

func TestSSHIdleSessionIsEnded(t *testing.T) {
	st := demoStore(t, 30, 1)
	idle := register(t, st, "ida", model.RoleReviewer)
	busy := register(t, st, "bea", model.RoleReviewer)
	srv := startServer(t, st, func(o *ServerOptions) {
		o.Idle = time.Second
		o.AccessCheck = 50 * time.Millisecond
	})
	b := termtest.MustOpenConsole(t, srv.addr, 120, 30, busy)
	b.WaitFor(t, "bea", "AGE PL")
	i := termtest.MustOpenConsole(t, srv.addr, 120, 30, idle)
	i.WaitFor(t, "ida", "AGE PL")
	// bea keeps moving through her list (a key every 100 ms, a tenth of the
	// limit); ida does nothing.
	stop := make(chan struct{})
	moving := make(chan struct{})
	go func() {
		defer close(moving)
		for k := 0; ; k++ {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			b.Send([]string{"j", "k"}[k%2])
		}
	}()
	select {
	case <-i.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("an idle session was never ended")
	}
	if got := strings.TrimSpace(i.Stderr()); got != "triage: idle for 1s; session ended, your posts are back in the queue" {
		t.Fatalf("goodbye: %q", got)
	}
	// Two more idle limits pass while bea keeps typing.
	select {
	case <-b.Done():
		t.Fatalf("a session in use was ended: %q", b.Stderr())
	case <-time.After(2 * time.Second):
	}
	close(stop)
	<-moving
	eventually(t, "ida's posts are released", func() bool {
		return dbCount(t, st, `SELECT count(*) FROM posts p JOIN sessions s ON s.id = p.lease_owner
			WHERE p.status = 'pending' AND s.reviewer = 'ida'`) == 0
	})
	if srv.log.count("ida idle for 1s; ending it") != 1 || srv.log.count("bea idle") != 0 {
		t.Fatalf("log:\n%s", srv.log)
	}
}

// panicky is a store whose ReviewerEnabled panics for one reviewer: a bug
// that one session's watcher hits.
type panicky struct {
	*data.Store
	victim string
}

func (p panicky) ReviewerEnabled(ctx context.Context, name string) (bool, error) {
	if name == p.victim {
		panic("test: ReviewerEnabled exploded for " + name)
	}
	return p.Store.ReviewerEnabled(ctx, name)
}

func TestSSHPanicEndsOnlyThatSession(t *testing.T) {
	st := demoStore(t, 30, 1)
	alice := register(t, st, "alice", model.RoleReviewer)
	mallory := register(t, st, "mallory", model.RoleReviewer)
	srv := startServer(t, panicky{Store: st, victim: "mallory"})
	a := termtest.MustOpenConsole(t, srv.addr, 120, 30, alice)
	a.WaitFor(t, "alice", "AGE PL")
	m := termtest.MustOpenConsole(t, srv.addr, 120, 30, mallory)
	select {
	case <-m.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("the session whose watcher panicked was not ended")
	}
	if got := strings.TrimSpace(m.Stderr()); got != "triage: internal error; session ended, your posts are back in the queue" {
		t.Fatalf("goodbye: %q", got)
	}
	if srv.log.count("panic, session ended: test: ReviewerEnabled exploded for mallory") != 1 {
		t.Fatalf("log:\n%s", srv.log)
	}
	eventually(t, "mallory's posts are released", func() bool {
		return dbCount(t, st, `SELECT count(*) FROM posts p JOIN sessions s ON s.id = p.lease_owner
			WHERE p.status = 'pending' AND s.reviewer = 'mallory'`) == 0
	})
	// alice never noticed.
	a.Send("Xa")
	a.WaitFor(t, decidedLine(1))
	termtest.MustOpenConsole(t, srv.addr, 120, 30, alice).WaitFor(t, "alice", "AGE PL")
}

// widest is the rightmost column and lowest row with anything drawn.
func widest(scr *termtest.Console, w, h int) (x, y int) {
	for row := 0; row < h; row++ {
		for col := 0; col < w; col++ {
			if c := scr.Cell(col, row); c != "" && c != " " {
				x, y = max(x, col+1), max(y, row+1)
			}
		}
	}
	return x, y
}

// Every window change reaches the console. (charm.land/ssh hands each one
// to either the PTY's resizer or Bubble Tea's window watcher, never both,
// so before the server took window changes over, half were lost.)
func TestSSHEveryResizeReachesTheConsole(t *testing.T) {
	st := demoStore(t, 30, 1)
	key := register(t, st, "alice", model.RoleReviewer)
	srv := startServer(t, st)
	c := termtest.MustOpenConsole(t, srv.addr, 160, 50, key) // the local screen keeps this size
	c.WaitFor(t, "alice", "AGE PL")
	c.WindowChange(120, 40)
	for i, size := range [][2]int{{100, 30}, {130, 45}, {90, 28}, {160, 50}, {80, 24}, {150, 35}, {110, 40}, {70, 26}, {140, 48}, {120, 40}} {
		c.WindowChange(size[0], size[1])
		eventually(t, fmt.Sprintf("resize %d to %d×%d drawn", i+1, size[0], size[1]), func() bool {
			x, _ := widest(c, 160, 50)
			return x == size[0] && strings.Contains(c.String(), "AGE PL")
		})
	}
}
