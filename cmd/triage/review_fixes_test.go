package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// export into a terminal by its device path is refused as --out - is.
func TestExportRefusesATerminalByPath(t *testing.T) {
	db := demoDB(t, "20")
	rejectSome(t, db, 3)
	tm := newTmux(t, 100, 20, fmt.Sprintf("%s export --db %s --out /dev/tty", bin, db))
	tm.waitFor("flag --out: /dev/tty is a terminal", "EXITED 2")
}

// The export file keeps the mode the previous one had.
func TestExportKeepsTheFileMode(t *testing.T) {
	db := demoDB(t, "20")
	rejectSome(t, db, 3)
	out := filepath.Join(t.TempDir(), "sec.jsonl")
	os.WriteFile(out, nil, 0o600)
	if r := triage(t, "", "export", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Fatalf("export widened %s to %04o", out, st.Mode().Perm())
	}
}

// Two processes creating one database take turns with the migrations.
func TestTwoImportsCreateOneDatabase(t *testing.T) {
	for round := 0; round < 5; round++ {
		db := filepath.Join(t.TempDir(), "two.db")
		var wg sync.WaitGroup
		results := make([]result, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = triage(t, fmt.Sprintf(`{"platform":"vk","text":"t","category":"fraud","external_id":"%d"}`, i), "import", "--db", db, "-")
			}()
		}
		wg.Wait()
		for _, r := range results {
			if r.code != 0 {
				t.Fatalf("round %d: %+v", round, r)
			}
		}
		if r := triage(t, "", "stats", "--db", db); !strings.Contains(r.stdout, "pending 2") {
			t.Fatalf("round %d: %+v", round, r)
		}
	}
}

// A console whose terminal goes away (SIGHUP) ends its session and gives
// its posts back at once.
func TestHangupReleasesPosts(t *testing.T) {
	db := demoDB(t, "40")
	tm := newTmux(t, 120, 30, fmt.Sprintf("%s review --db %s --as hal", bin, db))
	tm.waitFor("40 pending", "AGE PL")
	exec.Command("tmux", "-S", tm.socket, "kill-server").Run() // the pane's shell and triage get SIGHUP
	deadline := time.Now().Add(15 * time.Second)
	for {
		h, _ := sql.Open("sqlite3", db+"?mode=ro")
		var n int
		h.QueryRow(`SELECT count(*) FROM posts WHERE lease_owner IS NOT NULL`).Scan(&n)
		h.Close()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d posts still leased after the terminal closed", n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// One server per database; a mistaken --listen leaves no host key; a host
// key another account owns is refused.
func TestServeRefusals(t *testing.T) {
	db := demoDB(t, "10")
	dir := t.TempDir()
	key := filepath.Join(dir, "hk")
	if r := triage(t, "", "serve", "--db", db, "--listen", "nope", "--host-key", key); r.code == 0 || !strings.Contains(r.stderr, "flag --listen") {
		t.Fatalf("bad listen: %+v", r)
	}
	if _, err := os.Stat(key); !os.IsNotExist(err) {
		t.Fatal("a failed start created a host key")
	}
	port := freePort(t)
	startServe(t, db, key, port)
	r := triage(t, "", "serve", "--db", db, "--listen", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--host-key", key)
	if r.code != 1 || !strings.Contains(r.stderr, "another triage serve") {
		t.Fatalf("a second server on the database: %+v", r)
	}
	if os.Geteuid() == 0 {
		planted := filepath.Join(dir, "planted")
		os.WriteFile(planted, []byte("x"), 0o600)
		os.Chown(planted, 65534, 65534)
		other := demoDB(t, "5")
		r := triage(t, "", "serve", "--db", other, "--listen", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--host-key", planted)
		if r.code == 0 || !strings.Contains(r.stderr, "owned by uid 65534") {
			t.Fatalf("a host key owned by someone else: %+v", r)
		}
	}
}
