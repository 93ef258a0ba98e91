package data

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"triage/model"
)

// fillForCopy gives a store one of everything a copy carries.
func fillForCopy(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	importLines(t, s, fraudPosts(8)...)
	importLines(t, s, `{"platform":"tg","external_id":"k1","text":"Жұмыс ұсынамыз, ВЕРБОВКА","category":"recruitment","extra_field":"x"}`)
	keys, _ := ParsePublicKeys("k", []byte(testKey))
	if err := s.AddReviewerBy(ctx, "local:root", "lena", model.RoleLead, keys); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alice", "bob"} {
		if err := s.AddReviewerBy(ctx, "local:root", name, model.RoleReviewer, nil); err != nil {
			t.Fatal(err)
		}
	}
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "lena"}, OriginSSH)
	s.Claim(ctx, sess, 2, time.Hour)
	rejectAll(t, s, 1, 2, 3)
	decide(t, s, 4, "bob", model.ActionEscalate, "ESC-LEGAL")
	decide(t, s, 5, "bob", model.ActionApprove, "FRD-NONE")
	if _, err := s.Takedowns(ctx, TakedownOptions{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "lena"}, Action: model.ActionRetract, Note: "platform contested"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordOutcomes(ctx, strings.NewReader(`{"platform":"vk","external_id":"xx","outcome":"removed"}`), OutcomeOptions{Name: "o", Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveView(ctx, "тг", model.Filter{Platforms: []string{"tg"}}, "lena"); err != nil {
		t.Fatal(err)
	}
	// A second pair of eyes: one four-eyes rejection confirmed, one still
	// awaiting; settings, an exclusion and exposure.
	importLines(t, s, recruitmentPosts(2)...)
	decide(t, s, 10, "alice", model.ActionReject, "REC-AD")
	decide(t, s, 11, "alice", model.ActionReject, "REC-PAY")
	if _, err := s.Decide(ctx, model.Decision{PostID: 10, Actor: model.Actor{Reviewer: "bob"}, Action: model.ActionConfirm}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, "local:root", "bob", [][2]string{{"lang", "kk"}, {"exclude", "drugs"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordExposure(ctx, "bob", testNow, 3, 600); err != nil {
		t.Fatal(err)
	}
}

// Every table of either schema is copied, or is derived from what is (a
// new table left out of copy would be lost by it, silently). PostgreSQL's
// tables are read from its catalog file, which TestPostgresCatalog holds
// to the real schema.
func TestCopyCoversEveryTable(t *testing.T) {
	sqliteOnly(t) // reads SQLite's schema; PostgreSQL's comes from its catalog file
	known := map[string]bool{}
	for _, c := range copyTables {
		known[c.name] = true
	}
	for _, d := range derivedTables {
		known[d] = true
	}
	s := openTemp(t)
	rows, err := s.r.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'posts_search_%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		rows.Scan(&name)
		if !known[name] {
			t.Errorf("SQLite table %s is neither copied nor derived", name)
		}
	}
	catalog, err := os.ReadFile(filepath.Join("migrations_pg", "catalog.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(catalog), "\n") {
		if rest, ok := strings.CutPrefix(line, "column "); ok {
			if table, _, _ := strings.Cut(rest, "."); !known[table] {
				t.Errorf("PostgreSQL table %s is neither copied nor derived", table)
			}
		}
	}
}

// A copy SQLite → PostgreSQL → SQLite keeps everything: the same figures,
// the same chain head, verify and check pass at each step.
func TestCopyRoundTrip(t *testing.T) {
	src := openTemp(t)
	fillForCopy(t, src)
	pg, _ := pgStore(t, Options{Now: func() time.Time { return testNow }})
	back := openTestStoreAt(t, filepath.Join(t.TempDir(), "back.db"))
	ctx := context.Background()
	var tables []string
	if err := pg.CopyFrom(ctx, src, CopyOptions{Progress: func(p CopyProgress) {
		if p.Done {
			tables = append(tables, p.Table)
		}
	}}); err != nil {
		t.Fatal(err)
	}
	if len(tables) != len(copyTables) {
		t.Fatalf("progress named %v", tables)
	}
	if err := back.CopyFrom(ctx, pg, CopyOptions{}); err != nil {
		t.Fatal(err)
	}
	want := statsJSON(t, src)
	for _, s := range []*Store{pg, back} {
		if got := statsJSON(t, s); got != want {
			t.Errorf("%s: stats differ:\n%s\nsource:\n%s", s.Path(), got, want)
		}
		res, err := s.Verify(ctx, VerifyOptions{})
		if err != nil || !res.OK() {
			t.Errorf("%s: verify: %+v %v", s.Path(), res, err)
		}
		if rep, err := s.Check(ctx); err != nil || len(rep.Problems) != 0 {
			t.Errorf("%s: check: %v %v", s.Path(), rep.Problems, err)
		}
		// Searching, re-flagging and deciding work on the copy as on the source.
		hits, err := s.Page(ctx, model.PageQuery{Queue: model.QueueSearch, Search: "жұмыс вербов", Actor: model.Actor{Reviewer: "lena"}, Dir: model.First, Limit: 5})
		if err != nil || len(hits) != 1 {
			t.Errorf("%s: search on the copy: %d %v", s.Path(), len(hits), err)
		}
		if res, _ := importLines(t, s, `{"platform":"tg","external_id":"k1","text":"again","category":"recruitment"}`); res.Merged != 1 {
			t.Errorf("%s: a re-flag of a copied post did not merge: %+v", s.Path(), res)
		}
	}
	// The QA sample is the same after a copy: the seed goes with it (and
	// another database draws its own).
	seed := func(s *Store) (n int64) { s.r.QueryRow(`SELECT seed FROM qa_seed`).Scan(&n); return n }
	s1, s2, other := seed(src), seed(back), seed(openTemp(t))
	if s1 != s2 || s1 == other {
		t.Fatalf("QA seeds: source %d, copy %d, another database %d", s1, s2, other)
	}
	h1, n1, _ := src.ChainHead(ctx)
	h2, n2, _ := back.ChainHead(ctx)
	if h1 != h2 || n1 != n2 || n1 == 0 {
		t.Fatalf("chain heads %s:%d and %s:%d", h1, n1, h2, n2)
	}
	// A second copy into a destination that holds data is refused, unchanged.
	before := statsJSON(t, back)
	if err := back.CopyFrom(ctx, src, CopyOptions{}); !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("copy into a full database: %v", err)
	}
	if statsJSON(t, back) != before {
		t.Fatal("a refused copy changed the destination")
	}
}

func openTestStoreAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{Create: true, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func statsJSON(t *testing.T, s *Store) string {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(st, "", " ")
	return string(b)
}

// A source whose audit trail does not verify — a post's content or an event
// changed behind the tool's back — is refused before anything is written,
// naming what is wrong; forced, it is copied as it is (the binding with it,
// so the copy's verify names the same post) and the destination's admin log
// records who forced it and why.
func TestCopyRefusesABrokenSource(t *testing.T) {
	src := openTemp(t)
	fillForCopy(t, src)
	ctx := context.Background()
	editPostBehindBack(t, src, 3, `text = 'forged'`)
	dst := openTestStoreAt(t, filepath.Join(t.TempDir(), "dst.db"))
	err := dst.CopyFrom(ctx, src, CopyOptions{})
	if !errors.Is(err, ErrBrokenSource) || !strings.Contains(err.Error(), "post 3: ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("copy of a broken source: %v", err)
	}
	if err := dst.RequireEmpty(); err != nil {
		t.Fatalf("a refused copy wrote: %v", err)
	}
	check, err := src.CheckSource(ctx, true, "local:auditor")
	if err != nil || !check.Forced {
		t.Fatalf("forced: %+v %v", check, err)
	}
	if err := dst.CopyFrom(ctx, src, CopyOptions{Source: check}); err != nil {
		t.Fatal(err)
	}
	var actor, name, detail string
	if err := dst.r.QueryRow(`SELECT actor, name, detail FROM admin_log WHERE action = 'copy-broken-source'`).Scan(&actor, &name, &detail); err != nil ||
		actor != "local:auditor" || name != src.Path() || !strings.Contains(detail, "post 3: ") {
		t.Fatalf("admin log: %q %q %q %v", actor, name, detail, err)
	}
	res, err := dst.Verify(ctx, VerifyOptions{})
	if err != nil || res.BadID != 0 || len(res.Problems) != 1 || !strings.HasPrefix(res.Problems[0], "post 3: ") {
		t.Fatalf("the copy's verify: %+v %v", res, err)
	}
}
