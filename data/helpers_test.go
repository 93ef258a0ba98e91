package data

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"triage/model"
)

func importLines(t *testing.T, s *Store, lines ...string) (ImportResult, []LineError) {
	t.Helper()
	var errs []LineError
	res, err := s.Import(context.Background(), strings.NewReader(strings.Join(lines, "\n")+"\n"),
		ImportOptions{Name: "in.jsonl", Report: func(e LineError) { errs = append(errs, e) }})
	if err != nil {
		t.Fatal(err)
	}
	return res, errs
}

func decide(t *testing.T, s *Store, id int64, who string, a model.Action, reason string) model.Event {
	t.Helper()
	ev, err := s.Decide(context.Background(), model.Decision{PostID: id, Actor: model.Actor{Reviewer: who}, Action: a, ReasonCode: reason})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// atSchema makes a SQLite database at an older schema version, for a test
// of the migrations after it; the test writes what that version held,
// closes db and opens path.
func atSchema(t *testing.T, version int) (db *sql.DB, path string) {
	t.Helper()
	sqliteOnly(t) // a SQLite migration of an older schema
	path = filepath.Join(t.TempDir(), fmt.Sprintf("v%d.db", version))
	db, err := sql.Open(storeDriver, dsn(path, writerParams))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := migrateTo(db, version); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// migrated closes an atSchema database and opens it as a store, which
// migrates it; a failed migration fails the test.
func migrated(t *testing.T, db *sql.DB, path string) *Store {
	t.Helper()
	db.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
