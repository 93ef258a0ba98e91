package tui

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
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
}

func startServer(t *testing.T, st *data.Store) *sshServer { return startServerB(t, st) }

func startServerB(t testing.TB, st *data.Store) *sshServer {
	t.Helper()
	srv, err := NewServer(ServerOptions{Store: st, Policy: st.Policy(), HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		Lease: time.Minute, Refresh: 500 * time.Millisecond, AccessCheck: 200 * time.Millisecond})
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
	return &sshServer{addr: ln.Addr().String(), srv: srv}
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
