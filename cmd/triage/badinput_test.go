package main

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// oneLineError checks a user mistake ends with one line on stderr that
// names what was wrong, and a non-zero exit.
func oneLineError(t *testing.T, r result, mention string) {
	t.Helper()
	if r.code == 0 {
		t.Fatalf("exit 0, want an error mentioning %q", mention)
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "triage: ") || !strings.Contains(lines[0], mention) {
		t.Fatalf("stderr %q, want one 'triage: ' line mentioning %q", r.stderr, mention)
	}
}

// dbFiles is the database as it stands on disk: the file and its -wal and
// -shm companions (absent ones as ""), so "unchanged" means all three.
func dbFiles(t *testing.T, db string) [3]string {
	t.Helper()
	var out [3]string
	for i, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(db + suffix)
		if err == nil {
			out[i] = "present:" + string(b)
		} else if !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	return out
}

func TestNotADatabaseIsRefusedByEverySubcommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	content := []byte("meeting notes, not a database\n")
	os.WriteFile(path, content, 0o600)
	for _, args := range [][]string{
		{"review"}, {}, {"stats"}, {"stats", "--json"}, {"check"}, {"import", "-"}, {"demo", "--no-review"}, {"demo", "--no-review", "--force"},
	} {
		r := triage(t, `{"platform":"vk","text":"x","category":"fraud","external_id":"1"}`, append(args, "--db", path)...)
		oneLineError(t, r, path+": not a SQLite database")
		if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
			t.Fatalf("%v changed the file", args)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("files appeared beside it: %v", entries)
	}
}

func TestNewerSchemaIsRefusedUntouched(t *testing.T) {
	db := demoDB(t, "20")
	h, _ := sql.Open("sqlite3", db)
	h.Exec("PRAGMA user_version = 42")
	h.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	h.Close()
	before := dbFiles(t, db)
	if before[1] != "" || before[2] != "" {
		t.Fatalf("setup left -wal/-shm files: %q", before[1:])
	}
	for _, args := range [][]string{{"stats"}, {"check"}, {"review"}, {"import", "-"}, {"verify"}, {"takedowns"}, {"export", "--out", os.DevNull}} {
		r := triage(t, "", append(args, "--db", db)...)
		oneLineError(t, r, "newer triage (schema version 42")
		if after := dbFiles(t, db); after != before {
			t.Fatalf("%v changed the database or left files beside it", args)
		}
	}
}

func TestMissingDatabaseIsNotCreatedByReaders(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nope.db")
	for _, args := range [][]string{{"stats"}, {"check"}, {"review"}} {
		oneLineError(t, triage(t, "", append(args, "--db", db)...), db+": no such database")
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Fatal("a reader created the database")
	}
}

func TestBadPolicyFiles(t *testing.T) {
	dir := t.TempDir()
	db := demoDB(t, "10")
	dup := filepath.Join(dir, "dup.toml")
	r := triage(t, "", "policy")
	if r.code != 0 || !strings.Contains(r.stdout, `key = "recruitment"`) {
		t.Fatalf("policy: %+v", r)
	}
	os.WriteFile(dup, []byte(strings.Replace(r.stdout, `code = "REC-PAY"`, `code = "REC-AD"`, 1)), 0o644)
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[[category]\n"), 0o644)
	missing := filepath.Join(dir, "missing.toml")
	before := dbFiles(t, db)
	for file, want := range map[string]string{dup: `duplicate reason code "REC-AD"`, bad: "bad.toml:", missing: "no such file"} {
		for _, args := range [][]string{{"review"}, {"import", "-"}, {"stats"}} {
			oneLineError(t, triage(t, "", append(args, "--db", db, "--policy", file)...), want)
		}
	}
	if after := dbFiles(t, db); after != before {
		t.Fatal("database changed")
	}
}

func TestUnknownFlagsAndCommands(t *testing.T) {
	oneLineError(t, triage(t, "", "--frobnicate"), "unknown flag: --frobnicate")
	oneLineError(t, triage(t, "", "stats", "--frobnicate"), "unknown flag: --frobnicate")
	oneLineError(t, triage(t, "", "frobnicate"), `unknown command "frobnicate"`)
	oneLineError(t, triage(t, "", "demo", "--posts", "many"), `invalid argument "many" for "--posts"`)
	oneLineError(t, triage(t, "", "demo", "--posts", "0", "--db", filepath.Join(t.TempDir(), "x.db")), "flag --posts")
	oneLineError(t, triage(t, "", "import"), "import needs FILE|-")
	oneLineError(t, triage(t, "", "import", "a", "b"), `import: unexpected argument "b"`)
	oneLineError(t, triage(t, "", "demo", "--format", "csv", "--db", filepath.Join(t.TempDir(), "y.db")), "flag --format: only with --emit")
}

func TestDemoRefusesAFilledDatabase(t *testing.T) {
	db := demoDB(t, "15")
	before, _ := os.ReadFile(db)
	oneLineError(t, triage(t, "", "demo", "--db", db, "--no-review"), "already holds 15 posts; use --force")
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Fatal("refused demo changed the database")
	}
	r := triage(t, "", "demo", "--db", db, "--no-review", "--force", "--posts", "30")
	if r.code != 0 || !strings.Contains(r.stderr, "old database is kept as") {
		t.Fatalf("--force: %+v", r)
	}
	matches, _ := filepath.Glob(db + ".replaced-*")
	if len(matches) != 1 {
		t.Fatalf("old database not kept: %v", matches)
	}
	if got := triage(t, "", "stats", "--db", matches[0]); !strings.Contains(got.stdout, "pending 15") {
		t.Fatalf("kept database: %+v", got)
	}
}
