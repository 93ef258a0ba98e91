package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freePort finds a loopback port nobody listens on.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// server is a running `triage serve` process.
type server struct {
	cmd  *exec.Cmd
	port int
	log  *strings.Builder
	done chan error
}

// startServe runs the real binary's server and waits until it listens.
func startServe(t testing.TB, db, hostKey string, port int, extra ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--db", db, "--host-key", hostKey, "--listen", fmt.Sprintf("127.0.0.1:%d", port)}, extra...)...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, port: port, log: &strings.Builder{}, done: make(chan error, 1)}
	listening := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		once := false
		for sc.Scan() {
			s.log.WriteString(sc.Text() + "\n")
			if !once && strings.Contains(sc.Text(), "listening on") {
				once = true
				close(listening)
			}
		}
		s.done <- cmd.Wait()
	}()
	select {
	case <-listening:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("server did not start:\n%s", s.log)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return s
}

// sshKey makes a key pair with ssh-keygen and returns the private key path.
func sshKey(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	return path
}

func sshCommand(port int, identities ...string) string {
	args := []string{"ssh", "-p", fmt.Sprint(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-t"}
	for _, id := range identities {
		args = append(args, "-i", id)
	}
	return strings.Join(append(args, "whoever@127.0.0.1"), " ")
}

func TestOpenSSHClientEndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := demoDB(t, "60")
	ann := sshKey(t, dir, "ann")
	lead := sshKey(t, dir, "lead")
	if r := triage(t, "", "reviewer", "add", "ann", "--role", "reviewer", "--key-file", ann+".pub", "--db", db); r.code != 0 {
		t.Fatalf("reviewer add: %+v", r)
	}
	if r := triage(t, "", "reviewer", "add", "lee", "--role", "lead", "--key-file", lead+".pub", "--db", db); r.code != 0 {
		t.Fatalf("reviewer add: %+v", r)
	}
	hostKey := filepath.Join(dir, "host")
	srv := startServe(t, db, hostKey, freePort(t))
	if st, err := os.Stat(hostKey); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("host key: %v %v", st, err)
	}
	// The lead's public key is offered, but its private half is missing:
	// OpenSSH moves on and proves ann's key. The console must be ann's.
	os.Rename(lead, lead+".gone")
	tm := newTmux(t, 120, 36, sshCommand(srv.port, lead, ann))
	tm.waitFor("ann", "60 pending", "Flagged")
	if s := tm.capture(); strings.Contains(s, "(lead)") || strings.Contains(s, "Leads") {
		t.Fatalf("offered-but-unproven lead key gave a lead console:\n%s", s)
	}
	tm.keys("a")
	tm.waitFor("Approved #", "1 decided this session")
	tm.keys("q")
	tm.waitFor("EXITED 0")

	var s struct {
		Approved   int            `json:"approved"`
		ByReviewer map[string]int `json:"by_reviewer"`
	}
	r := triage(t, "", "stats", "--db", db, "--json")
	json.Unmarshal([]byte(r.stdout), &s)
	if s.Approved != 1 || s.ByReviewer["ann"] != 1 || len(s.ByReviewer) != 1 {
		t.Fatalf("stats after the SSH session: %s", r.stdout)
	}
	list := triage(t, "", "reviewer", "list", "--db", db, "--json")
	if !strings.Contains(list.stdout, `"name": "ann"`) || !strings.Contains(list.stdout, `"name": "lee"`) {
		t.Fatalf("reviewer list: %s", list.stdout)
	}
	// SIGTERM: the server stops cleanly and says so.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-srv.done:
		if err != nil {
			t.Fatalf("serve exited with %v:\n%s", err, srv.log)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not stop on SIGTERM:\n%s", srv.log)
	}
	if c := triage(t, "", "check", "--db", db); c.code != 0 {
		t.Fatalf("check: %+v", c)
	}
}
