package data

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func openTemp(t *testing.T) *Store {
	t.Helper()
	return openTestStore(t, Options{Now: func() time.Time { return testNow }})
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", dsn(path, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrateFromEmptyAndReopen(t *testing.T) {
	sqliteOnly(t) // SQLite's files; PostgreSQL's own in pg_test.go
	path := filepath.Join(t.TempDir(), "m.db")
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "no such database") {
		t.Fatalf("missing db without Create: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("refused open created the file")
	}
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	importLines(t, s, `{"platform":"vk","text":"hello","category":"fraud","external_id":"1"}`)
	s.Close()
	if v := userVersion(t, path); v != SchemaVersion() {
		t.Fatalf("user_version %d, want %d", v, SchemaVersion())
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	st, err := s.Stats(context.Background())
	if err != nil || st.Pending != 1 {
		t.Fatalf("after reopen: pending=%d err=%v", st.Pending, err)
	}
	var mode string
	s.w.QueryRow("PRAGMA journal_mode").Scan(&mode)
	var sync int
	s.w.QueryRow("PRAGMA synchronous").Scan(&sync)
	if mode != "wal" || sync != 2 {
		t.Fatalf("journal_mode=%s synchronous=%d, want wal and 2 (FULL)", mode, sync)
	}
}

func TestRefusesNonSQLiteFileUntouched(t *testing.T) {
	sqliteOnly(t) // SQLite's files; PostgreSQL's own in pg_test.go
	path := filepath.Join(t.TempDir(), "notes.txt")
	content := []byte("these are my notes, not a database\n")
	os.WriteFile(path, content, 0o644)
	_, err := Open(path, Options{Create: true})
	if err == nil || !strings.Contains(err.Error(), path+": not a SQLite database") {
		t.Fatalf("err = %v", err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, content) {
		t.Fatal("file changed")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("extra files appeared: %v", entries)
	}
}

func TestRefusesNewerSchemaUntouched(t *testing.T) {
	sqliteOnly(t) // PostgreSQL's: TestPostgresRefusesNewerSchema
	s := openTemp(t)
	path := s.Path()
	if _, err := s.w.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before, _ := os.ReadFile(path)
	_, err := Open(path, Options{Create: true})
	if err == nil || !strings.Contains(err.Error(), "newer triage (schema version 99") {
		t.Fatalf("err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("database bytes changed")
	}
	if v := userVersion(t, path); v != 99 {
		t.Fatalf("user_version now %d", v)
	}
}

func TestRefusesForeignSQLiteDatabase(t *testing.T) {
	sqliteOnly(t) // SQLite's files; PostgreSQL's own in pg_test.go
	path := filepath.Join(t.TempDir(), "other.db")
	db, _ := sql.Open("sqlite3", path)
	db.Exec("CREATE TABLE recipes (name TEXT); PRAGMA user_version = 1")
	db.Close()
	_, err := Open(path, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a triage database") {
		t.Fatalf("err = %v", err)
	}
}

func TestAuditTableIsAppendOnly(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, `{"platform":"vk","text":"hello","category":"fraud","external_id":"1"}`)
	decide(t, s, 1, "alice", "approve", "FRD-NONE")
	for _, q := range []string{
		"UPDATE events SET reviewer = 'mallory'",
		"DELETE FROM events",
	} {
		_, err := s.w.Exec(q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: err = %v", q, err)
		}
	}
	var who string
	s.r.QueryRow("SELECT reviewer FROM events").Scan(&who)
	if who != "alice" {
		t.Fatalf("reviewer now %q", who)
	}
}

// Every connection the store opens to its file — the writer, the readers,
// the checkpointer, a read-only store's — commits with synchronous=FULL:
// go-sqlite3's own default (NORMAL) does not sync a WAL commit, and a
// connection left at it would acknowledge decisions a power loss can undo.
func TestEveryConnectionIsSynchronousFull(t *testing.T) {
	sqliteOnly(t)
	var mu sync.Mutex
	var seen []int
	onConnect = func(v int) { mu.Lock(); seen = append(seen, v); mu.Unlock() }
	defer func() { onConnect = nil }()
	path := filepath.Join(t.TempDir(), "sync.db")
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Import(ctx, strings.NewReader(`{"platform":"vk","external_id":"1","text":"x","category":"fraud"}`+"\n"), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// Readers in parallel, so the pool opens more than one connection.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); s.Stats(ctx) }()
	}
	wg.Wait()
	if err := s.Close(); err != nil { // the checkpointer's last checkpoint
		t.Fatal(err)
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ro.Stats(ctx)
	ro.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(seen) < 4 { // writer, a reader, the checkpointer, the read-only store
		t.Fatalf("only %d connections seen: %v", len(seen), seen)
	}
	for i, v := range seen {
		if v != 2 {
			t.Errorf("connection %d of %d runs with synchronous=%d, want 2 (FULL)", i+1, len(seen), v)
		}
	}
}
