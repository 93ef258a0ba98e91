package benchkit

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"triage/data"
)

// The bare queue decides rows in priority order, each once, and leaves one
// hash-chained audit row per decision.
func TestBareQueueDecidesInOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bare.db")
	q, err := NewBareQueue(path, 50)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		if err := q.DecideNext(); err != nil {
			t.Fatalf("decision %d: %v", i, err)
		}
	}
	if err := q.DecideNext(); err == nil {
		t.Error("a 51st decision on 50 rows succeeded")
	}
	q.Close()
	db, _ := sql.Open("sqlite3", path)
	defer db.Close()
	var decided, audits, distinct, outOfOrder int
	db.QueryRow(`SELECT count(*) FROM q WHERE status = 'approved'`).Scan(&decided)
	db.QueryRow(`SELECT count(*), count(DISTINCT post_id) FROM audit`).Scan(&audits, &distinct)
	db.QueryRow(`SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id + 1
		JOIN q qa ON qa.id = a.post_id JOIN q qb ON qb.id = b.post_id WHERE qb.prio > qa.prio`).Scan(&outOfOrder)
	if decided != 50 || audits != 50 || distinct != 50 || outOfOrder != 0 {
		t.Errorf("decided %d, audit rows %d for %d posts, %d out of priority order", decided, audits, distinct, outOfOrder)
	}
}

// The import floor stores every record of a CSV whose fields span lines and
// hold quotes, and counts records, not lines.
func TestImportFloorCountsRecords(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Skip("no sqlite3 tool")
	}
	dir := t.TempDir()
	csv := filepath.Join(dir, "in.csv")
	os.WriteFile(csv, []byte("text,author,url\n\"two\nlines\",\"a \"\"b\"\"\",u1\nплохо,автор,u2\n"), 0o644)
	_, rows, err := ImportFloor(csv, filepath.Join(dir, "floor.db"))
	if err != nil || rows != 2 {
		t.Fatalf("rows %d, %v; want 2", rows, err)
	}
	db, _ := sql.Open("sqlite3", filepath.Join(dir, "floor.db"))
	defer db.Close()
	var hits int
	db.QueryRow(`SELECT count(*) FROM search WHERE search MATCH 'lines'`).Scan(&hits)
	if hits != 1 {
		t.Errorf("the floor's FTS index finds %d posts for a word in one", hits)
	}
}

// The schema bound stores every record of an imported store again, with
// the store's triggers run (the counters agree) and the search index
// filled, and counts records (flags), not posts.
func TestSchemaBoundCopiesEveryRecord(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Skip("no sqlite3 tool")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "imported.db")
	s, err := data.Open(src, data.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	in := `{"platform":"x","external_id":"1","text":"вербовка it's a 'quoted' word","category":"recruitment","flagged_at":"2026-11-01T10:00:00Z"}
{"platform":"x","external_id":"2","text":"second post","category":"fraud","flagged_at":"2026-11-01T11:00:00Z"}
{"platform":"x","external_id":"1","text":"вербовка it's a 'quoted' word","category":"recruitment","flagged_at":"2026-11-02T10:00:00Z"}
`
	if _, err := s.Import(context.Background(), strings.NewReader(in), data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Relative paths that look like the tool's options (-init would run a
	// file of commands) are still paths.
	t.Chdir(dir)
	os.Rename(src, filepath.Join(dir, "-init"))
	src = "-init"
	dst := "-bound.db"
	_, rows, err := SchemaBound(src, dst)
	if err != nil || rows != 3 {
		t.Fatalf("records %d, %v; want 3 (two posts, one flagged twice)", rows, err)
	}
	db, _ := sql.Open("sqlite3", filepath.Join(dir, dst))
	defer db.Close()
	var posts, pending, hits int
	db.QueryRow(`SELECT count(*) FROM posts`).Scan(&posts)
	db.QueryRow(`SELECT coalesce(sum(n), 0) FROM counts WHERE status = 'pending'`).Scan(&pending)
	db.QueryRow(`SELECT count(*) FROM posts_search WHERE posts_search MATCH 'вербовка'`).Scan(&hits)
	if posts != 2 || pending != 2 || hits != 1 {
		t.Errorf("posts %d, pending by the counters %d, search hits %d; want 2, 2, 1", posts, pending, hits)
	}
}
