package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// End to end, in tmux with the real binary: alice rejects a recruitment ad
// with a four-eyes code; takedowns does not send it; bob finds it in his
// Confirm tab, reads it, asks for alice's decision and confirms it; now
// takedowns sends it, naming both.
func TestFourEyesEndToEndInTmux(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(`{"platform":"telegram","external_id":"ad1","url":"https://t.me/c/1","text":"Ищем бойцов, оплата 500 000","category":"recruitment","severity":5}`+"\n"), 0o644)
	if r := triage(t, "", "import", "--db", db, in); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	alice := newTmux(t, 120, 36, fmt.Sprintf("%s review --db %s --as alice", bin, db))
	alice.waitFor("1 pending", "alice")
	alice.keys("Space", "r") // a recruitment post: read, then rejected
	alice.waitFor("REC-AD")
	alice.keys("1", "Enter")
	alice.waitFor("waits for a second reviewer")
	alice.keys("Tab", "Tab")
	alice.waitFor("Nothing waits for a second pair of eyes") // never her own
	alice.keys("q")
	alice.waitFor("EXITED 0")

	out := filepath.Join(dir, "packets")
	if r := triage(t, "", "takedowns", "--db", db, "--out", out); r.code != 0 || strings.Contains(r.stdout, "1 post") {
		t.Fatalf("takedowns sent a rejection awaiting confirmation: %+v", r)
	}

	bob := newTmux(t, 120, 36, fmt.Sprintf("%s review --db %s --as bob", bin, db))
	bob.waitFor("bob")
	bob.keys("Tab", "Tab")
	scr := bob.waitFor("4eyes", "Four eyes")
	if strings.Contains(scr, "alice") {
		t.Fatalf("bob sees alice's decision before asking:\n%s", scr)
	}
	bob.keys("w")
	bob.waitFor("First decision: alice rejected it — REC-AD")
	bob.keys("Space", "r") // read, then confirmed
	bob.waitFor("Reject #1")
	bob.keys("Enter")
	bob.waitFor("Confirmed #1")
	bob.keys("q")
	bob.waitFor("EXITED 0")

	r := triage(t, "", "takedowns", "--db", db, "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "1 post") {
		t.Fatalf("takedowns after the confirmation: %+v", r)
	}
	files, _ := filepath.Glob(filepath.Join(out, "telegram-*.csv"))
	if len(files) != 1 {
		t.Fatalf("packets: %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 2 || !strings.HasSuffix(lines[0], "confirmed_by") ||
		!strings.Contains(lines[1], ",alice,") || !strings.HasSuffix(lines[1], ",bob") {
		t.Fatalf("the packet does not name both reviewers:\n%s", b)
	}
	if r := triage(t, "", "verify", "--db", db); r.code != 0 {
		t.Fatalf("verify: %+v", r)
	}
}
