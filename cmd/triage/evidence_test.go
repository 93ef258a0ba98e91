package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"triage/data/pgtest"
)

// tamper runs stmt on a SQLite file as someone with the file could: with
// the guard trigger dropped, and put back byte for byte afterwards.
func tamper(t *testing.T, db, trigger, stmt string) {
	t.Helper()
	h, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var def string
	if err := h.QueryRow(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`, trigger).Scan(&def); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER ` + trigger, stmt, def} {
		if _, err := h.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// A decided post's text and URL edited in the file, its guard restored:
// verify and check both name the post and exit 1.
func TestVerifyAndCheckNameAChangedPost(t *testing.T) {
	db := demoDB(t, "20")
	decideSome(t, db, 1, 2, 3)
	if r := triage(t, "", "verify", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "binds its post's content") {
		t.Fatalf("verify before: %+v", r)
	}
	tamper(t, db, "posts_evidence_fixed", `UPDATE posts SET text = 'forged', url = 'https://evil.example/' WHERE id = 2`)
	for _, c := range []string{"verify", "check"} {
		r := triage(t, "", c, "--db", db)
		if r.code != 1 || !strings.Contains(r.stdout, "post 2: its url, text, author, ids, platform or category are not what event") {
			t.Errorf("%s: %+v", c, r)
		}
	}
}

// A decided post moved to another category, and a post's flags deleted,
// in the file with the guards restored: verify names the moved post (its
// event binds the category), check names both and exits 1.
func TestVerifyAndCheckNameAMovedPostAndLostFlags(t *testing.T) {
	db := demoDB(t, "20")
	decideSome(t, db, 1, 2, 3)
	tamper(t, db, "posts_facts_fixed", `UPDATE posts SET category = CASE category WHEN 'other' THEN 'fraud' ELSE 'other' END WHERE id = 2`)
	tamper(t, db, "flags_append_only_delete", `DELETE FROM flags WHERE post_id = 3`)
	if r := triage(t, "", "verify", "--db", db); r.code != 1 || !strings.Contains(r.stdout, "post 2: its url, text, author, ids, platform or category are not what event") {
		t.Errorf("verify: %+v", r)
	}
	r := triage(t, "", "check", "--db", db)
	if r.code != 1 || !strings.Contains(r.stdout, "post 2: its url") || !strings.Contains(r.stdout, "post 3: has no flags") {
		t.Errorf("check: %+v", r)
	}
}

// verify --packets DIR holds every manifest field to the database and names
// a packet deleted from the folder; what a manifest says reaches the
// terminal sanitised.
func TestVerifyPacketsCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(`{"platform":"vk","external_id":"1","text":"a","category":"fraud"}`+"\n"+
		`{"platform":"tg","external_id":"2","text":"b","category":"fraud"}`+"\n"), 0o644)
	if r := triage(t, "", "import", "--db", db, in); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	rejectSome(t, db, 2)
	out := filepath.Join(dir, "packets")
	if r := triage(t, "", "takedowns", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("takedowns: %+v", r)
	}
	manifests, _ := filepath.Glob(filepath.Join(out, "vk-*.manifest.json"))
	tgFiles, _ := filepath.Glob(filepath.Join(out, "tg-*"))
	if len(manifests) != 1 || len(tgFiles) != 2 {
		t.Fatalf("packets: %v %v", manifests, tgFiles)
	}
	var m map[string]any
	b, _ := os.ReadFile(manifests[0])
	json.Unmarshal(b, &m)
	m["platform"] = "vk\x1b]0;pwned\x07"
	b, _ = json.Marshal(m)
	os.WriteFile(manifests[0], b, 0o644)
	for _, f := range tgFiles {
		os.Remove(f)
	}
	r := triage(t, "", "verify", "--db", db, "--packets", out)
	if r.code != 1 || !strings.Contains(r.stdout, manifests[0]+": differs from the database's record of packet") ||
		!strings.Contains(r.stdout, "in platform (manifest ") || !strings.Contains(r.stdout, "missing from "+out) ||
		strings.Contains(r.stdout, "\x1b") || strings.Contains(r.stdout, "\x07") {
		t.Fatalf("verify --packets: %+v", r)
	}
}

// copy verifies its source first: a tampered source is refused in one line
// with nothing written (no PostgreSQL tables, no SQLite file); forced, it is
// copied and the destination's admin log says so.
func TestCopyRefusesATamperedSource(t *testing.T) {
	src := demoDB(t, "30")
	decideSome(t, src, 1, 2, 3)
	tamper(t, src, "events_append_only_update", `UPDATE events SET reviewer = 'mallory' WHERE id = (SELECT max(id) FROM events)`)
	file := filepath.Join(t.TempDir(), "copy.db")
	pg := pgtest.URL(t)
	for _, dst := range []string{file, pg} {
		r := triage(t, "", "copy", "--from", src, "--to", dst)
		msg := strings.TrimSpace(r.stderr)
		if r.code == 0 || strings.Contains(msg, "\n") || !strings.Contains(msg, "audit trail does not verify: event ") ||
			strings.Contains(r.stdout, "copy ok") {
			t.Fatalf("copy of a tampered source to %s: %+v", dst, r)
		}
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a refused copy made %s: %v", file, err)
	}
	ctx := context.Background()
	c, err := pgx.Connect(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var tables int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("a refused copy made %d tables: %v", tables, err)
	}
	r := triage(t, "", "copy", "--force-broken-source", "--from", src, "--to", pg)
	if r.code != 0 || !strings.Contains(r.stderr, "does not verify; copying it anyway") {
		t.Fatalf("forced copy: %+v", r)
	}
	if r := triage(t, "", "verify", "--db", pg); r.code != 1 || !strings.Contains(r.stdout, "mallory") {
		t.Fatalf("the copy's verify: %+v", r)
	}
	var actor, detail string
	if err := c.QueryRow(ctx, `SELECT actor, detail FROM admin_log WHERE action = 'copy-broken-source'`).Scan(&actor, &detail); err != nil ||
		!strings.HasPrefix(actor, "local:") || !strings.Contains(detail, "event ") {
		t.Fatalf("admin log: %q %q %v", actor, detail, err)
	}
}
