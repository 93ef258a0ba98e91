package tui

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"triage/data"
	"triage/model"
)

// sshServer is a real triage SSH server on a free loopback port.
type sshServer struct {
	addr  string
	srv   *Server
	store *data.Store
}

func startServer(t *testing.T, st *data.Store) *sshServer {
	t.Helper()
	srv, err := NewServer(ServerOptions{Store: st, Policy: st.Policy(), HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		Lease: time.Minute, Refresh: 500 * time.Millisecond, AccessCheck: 200 * time.Millisecond, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ln.Close()
		srv.Shutdown(ctx)
	})
	return &sshServer{addr: ln.Addr().String(), srv: srv, store: st}
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// register adds a reviewer with a fresh key and returns the key.
func register(t testing.TB, st *data.Store, name string, role model.Role) gossh.Signer {
	t.Helper()
	signer := newSigner(t)
	keys, err := data.ParsePublicKeys(name, gossh.MarshalAuthorizedKey(signer.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddReviewer(context.Background(), name, role, keys); err != nil {
		t.Fatal(err)
	}
	return signer
}

// sshConsole is one SSH client with a PTY, its output drawn into a terminal
// emulator.
type sshConsole struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	scr    *screen
	done   chan struct{}
}

func dial(addr string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "anyone", Auth: auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
}

// openConsole connects with the keys (offered in order) and a w×h terminal.
func openConsole(t testing.TB, addr string, w, h int, keys ...gossh.Signer) *sshConsole {
	t.Helper()
	client, err := dial(addr, gossh.PublicKeys(keys...))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, _ := sess.StdinPipe()
	stdout, _ := sess.StdoutPipe()
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	c := &sshConsole{t: t, client: client, sess: sess, stdin: stdin, scr: &screen{term: vt.NewEmulator(w, h)}, done: make(chan struct{})}
	go func() { io.Copy(c.scr, stdout); close(c.done) }()
	go io.Copy(stdin, c.scr.term) // the terminal's answers to queries
	t.Cleanup(c.close)
	return c
}

func (c *sshConsole) close() { c.sess.Close(); c.client.Close() }

func (c *sshConsole) send(keys string) {
	if _, err := io.WriteString(c.stdin, keys); err != nil {
		c.t.Fatalf("send %q: %v", keys, err)
	}
}

// waitFor waits until the client's screen shows every text; the limit only
// turns a hang into a failure.
func (c *sshConsole) waitFor(texts ...string) string {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := c.scr.String()
		ok := true
		for _, want := range texts {
			ok = ok && strings.Contains(s, want)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("screen never showed %q:\n%s", texts, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ended waits for the server to end the session.
func (c *sshConsole) ended() bool {
	select {
	case <-c.done:
		return true
	case <-time.After(10 * time.Second):
		return false
	}
}

func decidedLine(n int) string { return fmt.Sprintf("%d decided this session", n) }
