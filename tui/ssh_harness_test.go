package tui

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"triage/data"
	"triage/model"
	"triage/tui/termtest"
)

// sshServer is a real triage SSH server on a free loopback port.
type sshServer struct {
	addr string
	srv  *Server
	log  *logbook
}

// logbook keeps what the server logs; a failed test prints it.
type logbook struct {
	mu    sync.Mutex
	lines []string
}

func (l *logbook) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logbook) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// count is how many lines contain s.
func (l *logbook) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			n++
		}
	}
	return n
}

// summed is the number of events the summary lines containing s stand
// for: the sum of each such line's first number (summaryLog).
func (l *logbook) summed(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			var k int
			fmt.Sscanf(line[strings.IndexAny(line, "0123456789"):], "%d", &k)
			n += k
		}
	}
	return n
}

func startServer(t *testing.T, st ServeStore, opts ...func(*ServerOptions)) *sshServer {
	return startServerB(t, st, opts...)
}

// startServerB starts a server with the test defaults, changed by opts.
func startServerB(t testing.TB, st ServeStore, opts ...func(*ServerOptions)) *sshServer {
	t.Helper()
	opt := ServerOptions{Store: st, Policy: model.DefaultPolicy(), HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		Lease: time.Minute, Refresh: 500 * time.Millisecond, AccessCheck: 200 * time.Millisecond}
	if ds, ok := st.(*data.Store); ok {
		opt.Policy = ds.Policy()
	}
	for _, o := range opts {
		o(&opt)
	}
	log := &logbook{}
	if opt.Logf == nil {
		opt.Logf = log.Logf
	}
	srv, err := NewServer(opt)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Shutdown(context.Background())
		<-served
		if t.Failed() {
			t.Logf("server log:\n%s", log)
		}
	})
	return &sshServer{addr: ln.Addr().String(), srv: srv, log: log}
}

// register adds a reviewer with a fresh key and returns the key.
func register(t testing.TB, st *data.Store, name string, role model.Role) gossh.Signer {
	t.Helper()
	signer := termtest.NewSigner(t)
	keys, err := data.ParsePublicKeys(name, gossh.MarshalAuthorizedKey(signer.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddReviewer(context.Background(), name, role, keys); err != nil {
		t.Fatal(err)
	}
	return signer
}

func decidedLine(n int) string { return fmt.Sprintf("%d decided this session", n) }
