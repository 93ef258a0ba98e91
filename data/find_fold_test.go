package data

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"triage/model"
)

func searchFor(t *testing.T, s *Store, q string) []int64 {
	t.Helper()
	return searchIDs(t, s, "lead", q, model.Filter{})
}

// Look-alike spellings do not hide a post from search, author ids are
// searched, and results come most recently flagged first.
func TestSearchSeesThroughLookAlikes(t *testing.T) {
	s := openTemp(t)
	importLines(t, s,
		`{"platform":"vk","external_id":"1","text":"Работа! @vербовка за рубеж","category":"recruitment","flagged_at":"2026-11-19T10:00:00Z"}`,
		`{"platform":"vk","external_id":"2","text":"вербовка в ЧВК, пишите","category":"recruitment","flagged_at":"2026-11-20T08:00:00Z"}`,
		`{"platform":"vk","external_id":"3","text":"играй в кaзинo","category":"gambling","author_id":"id-777-recruiter","flagged_at":"2026-11-18T10:00:00Z"}`,
		`{"platform":"vk","external_id":"4","text":"ЖҰМЫС шетелде","category":"recruitment"}`,
		`{"platform":"vk","external_id":"5","text":"bitcοin ｃａｓｉｎｏ bonus","category":"gambling"}`)
	for q, want := range map[string][]int64{
		"вербов":         {2, 1}, // newest flag first, the Latin-v spelling found
		"казино":         {3},
		"id-777":         {3}, // author id
		"жұмыс":          {4},
		"casino bitcoin": {5},
	} {
		got := searchFor(t, s, q)
		if len(got) != len(want) {
			t.Errorf("%q found %v, want %v", q, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%q found %v, want %v", q, got, want)
			}
		}
	}
	n, err := s.SearchCount(context.Background(), model.PageQuery{Queue: model.QueueSearch, Actor: model.Actor{Reviewer: "lead"}, Search: "вербов"}, 100)
	if err != nil || n != 2 {
		t.Fatalf("count %d %v", n, err)
	}
	// The stored text stays exactly as imported.
	p, _ := s.Post(context.Background(), model.Actor{Reviewer: "lead"}, 1)
	if p.Text != "Работа! @vербовка за рубеж" {
		t.Fatalf("stored text changed: %q", p.Text)
	}
}

// A post's text and identity are evidence: no statement can change them.
func TestPostEvidenceCannotChange(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, fraudPosts(1)...)
	for _, q := range []string{`UPDATE posts SET text = 'x'`, `UPDATE posts SET author = 'x'`, `UPDATE posts SET url = 'https://x'`, `UPDATE posts SET external_id = 'x'`} {
		if _, err := s.w.Exec(q); err == nil || !strings.Contains(err.Error(), "evidence") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// The platforms and languages present are kept as posts arrive.
func TestFacetsFollowImports(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, `{"platform":"VK","external_id":"1","text":"t","category":"fraud","language":"kk"}`,
		`{"platform":"facebook","external_id":"2","text":"t","category":"fraud","language":"ru"}`,
		`{"platform":"vk","external_id":"3","text":"t","category":"fraud"}`)
	f, err := s.Facets(context.Background())
	if err != nil || strings.Join(f.Platforms, ",") != "facebook,vk" || strings.Join(f.Languages, ",") != "kk,ru" {
		t.Fatalf("facets %+v %v", f, err)
	}
}

// A database from before the fold (schema 5) gets every stored post into
// the new search index by the migration.
func TestMigrationIndexesStoredPosts(t *testing.T) {
	db, path := atSchema(t, 5)
	if _, err := db.Exec(`INSERT INTO posts (id, dedup_key, platform, text, category, flagged_at, prio, author_id)
		VALUES (1, 'k1', 'vk', 'кaзинo рядом', 'gambling', 1, 1, 'acct-9')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO flags (post_id, flagged_at) VALUES (1, 1)`); err != nil {
		t.Fatal(err)
	}
	s := migrated(t, db, path)
	if got := searchFor(t, s, "казино"); len(got) != 1 {
		t.Fatalf("the migrated post is not found: %v", got)
	}
	if got := searchFor(t, s, "acct"); len(got) != 1 {
		t.Fatalf("the migrated post's author id is not found: %v", got)
	}
	if rep, _ := s.Check(context.Background()); len(rep.Problems) != 0 {
		t.Fatalf("check after migration: %v", rep.Problems)
	}
}

// A lease is honoured for a grace period past its expiry: a session that
// renews a moment late keeps its batch.
func TestLeaseGrace(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(5)...)
	a, _ := s.StartSession(ctx, model.Actor{Reviewer: "ann"}, OriginLocal)
	b, _ := s.StartSession(ctx, model.Actor{Reviewer: "bob"}, OriginLocal)
	if n, _ := s.Claim(ctx, a, 5, time.Minute); n != 5 {
		t.Fatalf("ann claimed %d", n)
	}
	clk.add(time.Minute + model.LeaseGrace/2) // expired, within the grace
	if n, _ := s.Claim(ctx, b, 5, time.Minute); n != 0 {
		t.Fatalf("bob took %d posts within the grace period", n)
	}
	if err := s.Renew(ctx, a, time.Minute); err != nil {
		t.Fatal(err)
	}
	page, _ := s.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: model.Actor{Reviewer: "ann", Session: a}, Dir: model.First, Limit: 10})
	if len(page) != 5 {
		t.Fatalf("ann's late renewal kept %d posts", len(page))
	}
	clk.add(time.Minute + model.LeaseGrace + time.Second) // past expiry and grace
	if n, _ := s.Claim(ctx, b, 5, time.Minute); n != 5 {
		t.Fatalf("bob took %d posts after the grace", n)
	}
}

// A removed reviewer keeps their name in the history and nothing else.
func TestRemovedReviewer(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(2)...)
	keys, _ := ParsePublicKeys("k", []byte(testKey))
	if err := s.AddReviewerBy(ctx, "local:root", "lena", model.RoleLead, keys); err != nil {
		t.Fatal(err)
	}
	decide(t, s, 1, "lena", model.ActionReject, "FRD-INV")
	if err := s.RemoveReviewer(ctx, "local:root", "lena"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewerByKey(ctx, keys[0].Fingerprint); !errors.Is(err, ErrUnknownReviewer) {
		t.Fatalf("a removed reviewer's key still opens: %v", err)
	}
	if _, err := s.Decide(ctx, model.Decision{PostID: 2, Actor: model.Actor{Reviewer: "lena"}, Action: model.ActionApprove, ReasonCode: "FRD-NONE"}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a removed reviewer decided: %v", err)
	}
	if err := s.AddReviewerBy(ctx, "local:root", "lena", model.RoleReviewer, nil); err == nil {
		t.Fatal("a removed reviewer's name was given out again")
	}
	if evs := mustPost(t, s, 1).Events; len(evs) != 1 || evs[0].Reviewer != "lena" {
		t.Fatalf("history lost the name: %+v", evs)
	}
	var actions string
	s.r.QueryRow(`SELECT string_agg(action || ':' || actor, ' ' ORDER BY id) FROM admin_log`).Scan(&actions)
	if actions != "reviewer-add:local:root reviewer-remove:local:root" {
		t.Fatalf("admin log %q", actions)
	}
}

func mustPost(t *testing.T, s *Store, id int64) model.PostDetail {
	t.Helper()
	p, err := s.Post(context.Background(), model.Actor{Reviewer: "auditor"}, id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Near-duplicate clustering compares folded words: a copy that swaps in
// look-alike letters joins the original's cluster.
func TestClustersSeeThroughLookAlikes(t *testing.T) {
	s := openTemp(t)
	text := "Срочно требуются крепкие мужчины для работы по контракту за рубежом, оплата сразу, документы оформим"
	evasive := "Срочно тpeбуютcя кpeпкиe мужчины для paбoты пo кoнтpaкту зa pубeжoм, oплaтa cpaзу, дoкумeнты oфopмим"
	importLines(t, s, `{"platform":"vk","external_id":"1","text":"`+text+`","category":"recruitment"}`,
		`{"platform":"tiktok","external_id":"2","text":"`+evasive+`","category":"recruitment"}`)
	a, b := mustPost(t, s, 1), mustPost(t, s, 2)
	if a.Cluster.ID == 0 || a.Cluster.ID != b.Cluster.ID {
		t.Fatalf("clusters %d and %d: the look-alike copy was not recognised", a.Cluster.ID, b.Cluster.ID)
	}
}
