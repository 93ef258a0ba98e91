package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"triage/tui/termtest"
)

// The mistakes a new user makes first get one line that says what to do.
func TestCLIMessagesSayWhatToDo(t *testing.T) {
	db := demoDB(t, "20")
	// No terminal: one line of ours, not bubbletea's doubled error.
	oneLineError(t, triage(t, "", "review", "--db", db, "--as", "ann"), "the console needs a terminal")
	// No argument: what is missing, by name.
	oneLineError(t, triage(t, "", "import"), "import needs FILE|-")
	oneLineError(t, triage(t, "", "view", "save", "x"), "view save needs FILTER…")
	// Everything reviewer add lacks, at once.
	oneLineError(t, triage(t, "", "reviewer", "add", "bob", "--db", db), "missing --role reviewer|lead and --key or --key-file")
	// A missing policy file is named once.
	missing := filepath.Join(t.TempDir(), "nope.toml")
	r := triage(t, "", "policy", "--policy", missing)
	oneLineError(t, r, "no such file")
	if strings.Count(r.stderr, missing) != 1 {
		t.Fatalf("the path is named %d times: %q", strings.Count(r.stderr, missing), r.stderr)
	}
	// With reviewers registered, an unregistered account is told how to
	// register or what to pass (the terminal comes from script).
	key := string(gossh.MarshalAuthorizedKey(termtest.NewSigner(t).PublicKey()))
	if r := triage(t, "", "reviewer", "add", "lee", "--role", "lead", "--key", key, "--db", db); r.code != 0 {
		t.Fatalf("reviewer add: %+v", r)
	}
	tm := newTmux(t, 120, 10, "USER=nobody-here "+bin+" review --db "+db)
	tm.waitFor("you are nobody-here on this machine", "pass --as NAME")
}

// takedowns --help names every column a packet has.
func TestTakedownsHelpNamesEveryColumn(t *testing.T) {
	db := demoDB(t, "30")
	rejectSome(t, db, 2)
	out := t.TempDir()
	if r := triage(t, "", "takedowns", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("takedowns: %+v", r)
	}
	packets, _ := filepath.Glob(filepath.Join(out, "*-p*.csv"))
	if len(packets) == 0 {
		t.Fatal("no packet written")
	}
	f, err := os.Open(packets[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		t.Fatal(err)
	}
	help := strings.Join(strings.Fields(triage(t, "", "takedowns", "--help").stdout), " ")
	for _, col := range header {
		if !strings.Contains(help, col) {
			t.Errorf("takedowns --help does not name the column %q", col)
		}
	}
}
