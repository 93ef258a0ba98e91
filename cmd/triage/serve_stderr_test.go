package main

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"triage/tui/termtest"
)

// `serve … 2>&1 | tee serve.log` and Ctrl-C: the terminal's SIGINT ends tee
// as well, and the server's next log line goes to a pipe nobody reads. It
// must still end every session, say goodbye and release their posts.
func TestServeOutlivesAClosedStderr(t *testing.T) {
	db := demoDB(t, "30")
	key := termtest.NewSigner(t)
	if r := triage(t, "", "reviewer", "add", "ann", "--role", "reviewer", "--db", db, "--key", string(gossh.MarshalAuthorizedKey(key.PublicKey()))); r.code != 0 {
		t.Fatalf("reviewer add: %+v", r)
	}
	port := freePort(t)
	cmd := exec.Command(bin, "serve", "--db", db, "--host-key", filepath.Join(t.TempDir(), "host"), "--listen", fmt.Sprintf("127.0.0.1:%d", port))
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	t.Cleanup(func() { cmd.Process.Kill() })
	sc := bufio.NewScanner(pr)
	for sc.Scan() && !strings.Contains(sc.Text(), "listening on") {
	}
	c := termtest.MustOpenConsole(t, fmt.Sprintf("127.0.0.1:%d", port), 120, 30, key)
	c.WaitFor(t, "ann", "flagged")
	pr.Close() // tee is gone
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop")
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("serve was killed by %s with its stderr closed", ws.Signal())
		}
	}
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	<-c.Done()
	if got := strings.TrimSpace(c.Stderr()); got != "triage: server shutting down; your posts are back in the queue" {
		t.Fatalf("goodbye: %q", got)
	}
	if held, open := heldAndOpen(t, db); held != 0 || open != 0 {
		t.Fatalf("after serve stopped: %d posts held, %d sessions open", held, open)
	}
}

// heldAndOpen counts the pending posts some session holds and the sessions
// not ended in the SQLite database at db.
func heldAndOpen(t *testing.T, db string) (held, open int) {
	t.Helper()
	h, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	h.QueryRow(`SELECT count(*) FROM posts WHERE status = 'pending' AND lease_owner IS NOT NULL`).Scan(&held)
	h.QueryRow(`SELECT count(*) FROM sessions WHERE ended_at IS NULL`).Scan(&open)
	return held, open
}
