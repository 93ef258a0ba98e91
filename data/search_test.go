package data

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"triage/model"
)

func searchIDs(t *testing.T, s *Store, who, q string, f model.Filter) []int64 {
	t.Helper()
	return pageIDs(t, s, model.PageQuery{Queue: model.QueueSearch, Actor: model.Actor{Reviewer: who}, Search: q, Filter: f})
}

func TestSearchFoldsCyrillicAndKazakhCaseAndMatchesPrefixes(t *testing.T) {
	s := openTemp(t)
	importLines(t, s,
		`{"platform":"vk","external_id":"1","category":"recruitment","text":"ТРЕБУЮТСЯ мужчины, ВЕРБОВКА по контракту"}`,
		`{"platform":"vk","external_id":"2","category":"recruitment","text":"Шетелде ЖҰМЫС, ҚАЖЕТ ер азаматтар"}`,
		`{"platform":"x","external_id":"3","category":"fraud","text":"Investment SCAM, guaranteed profit","author":"Ұлжан Һадиева"}`,
		`{"platform":"x","external_id":"4","category":"disinformation","text":"Всё ёлки зелёные","url":"https://fake-news.example/item"}`,
		`{"platform":"tiktok","external_id":"5","category":"fraud","text":"nothing to see here"}`,
	)
	cases := []struct {
		q    string
		want []int64
	}{
		{"вербовк", []int64{1}},            // Russian, upper case in the post, prefix in the query
		{"Требуются КОНТРАКТ", []int64{1}}, // every word must occur, any case
		{"жұмыс", []int64{2}},              // Kazakh letters fold: ЖҰМЫС
		{"қаж", []int64{2}},                // and Қ
		{"ұлжан", []int64{3}},              // the author is searched
		{"fake-news", []int64{4}},          // the URL is searched
		{"елки", []int64{4}},               // ё matches е
		{"scam guaranteed", []int64{3}},
		{"profit вербовка", nil},
		{`"scam* -profit (`, []int64{3}}, // typed operators are dropped, never syntax
	}
	for _, c := range cases {
		if got := searchIDs(t, s, "alice", c.q, model.Filter{}); !slices.Equal(got, c.want) {
			t.Errorf("search %q = %v, want %v", c.q, got, c.want)
		}
	}
	// Newest first, and filters narrow the results.
	if got := searchIDs(t, s, "alice", "s", model.Filter{}); !slices.Equal(got, []int64{5, 3}) {
		t.Errorf("search s = %v, want newest first [5 3]", got)
	}
	if got := searchIDs(t, s, "alice", "s", model.Filter{Platforms: []string{"x"}, Categories: []string{"fraud"}}); !slices.Equal(got, []int64{3}) {
		t.Errorf("search s on x/fraud = %v, want [3]", got)
	}
	if _, err := s.Page(context.Background(), model.PageQuery{Queue: model.QueueSearch, Actor: model.Actor{Reviewer: "alice"},
		Dir: model.First, Limit: 5, Search: `"*()`}); err != ErrEmptySearch {
		t.Errorf("a query of punctuation only: %v, want ErrEmptySearch", err)
	}
}

func TestSearchHidesEscalatedPostsFromReviewers(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, `{"platform":"vk","external_id":"1","category":"extremism","text":"закрытый джамаат"}`)
	decide(t, s, 1, "alice", model.ActionEscalate, "ESC-LEGAL")
	if got := searchIDs(t, s, "alice", "джамаат", model.Filter{}); len(got) != 0 {
		t.Errorf("a reviewer found escalated post(s) %v", got)
	}
	if err := s.AddReviewer(context.Background(), "lena", model.RoleLead, nil); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, "lena", "джамаат", model.Filter{}); !slices.Equal(got, []int64{1}) {
		t.Errorf("a lead's search = %v, want [1]", got)
	}
}

// Search lists the most recently flagged first whatever order the posts
// were imported in, equal flag times the higher id first, and pages
// forwards and backwards through that order without a gap or a repeat.
func TestSearchPagesInFlagOrderWhateverTheImportOrder(t *testing.T) {
	s := openTemp(t)
	type flagged struct{ id, at int64 }
	var lines []string
	var want []flagged
	for i := 1; i <= 23; i++ {
		at := testNow.Add(-time.Duration((i*7)%5) * time.Hour) // five flag times, shuffled against the ids
		lines = append(lines, fmt.Sprintf(`{"platform":"vk","external_id":"%d","category":"fraud","flagged_at":%q,"text":"казино номер %d"}`,
			i, at.Format(time.RFC3339), i))
		want = append(want, flagged{int64(i), at.Unix()})
	}
	importLines(t, s, lines...)
	slices.SortFunc(want, func(a, b flagged) int { // the row value (flag time, id), descending
		if a.at != b.at {
			return cmp.Compare(b.at, a.at)
		}
		return cmp.Compare(b.id, a.id)
	})
	var wantIDs []int64
	for _, f := range want {
		wantIDs = append(wantIDs, f.id)
	}
	if got := searchIDs(t, s, "alice", "казино", model.Filter{}); !slices.Equal(got, wantIDs) {
		t.Fatalf("search order = %v, want %v", got, wantIDs)
	}
	q := model.PageQuery{Queue: model.QueueSearch, Actor: model.Actor{Reviewer: "alice"}, Search: "казино", Limit: 4}
	if forward := pageThrough(t, s, q, false); !slices.Equal(forward, wantIDs) {
		t.Errorf("paged forwards = %v, want %v", forward, wantIDs)
	}
	if backward := pageThrough(t, s, q, true); !slices.Equal(backward, wantIDs) {
		t.Errorf("paged backwards = %v, want %v", backward, wantIDs)
	}
}

// Docids sort as the row value (flag time, id) does, and so does an
// anchor whose id no stored post could have (a key from outside the store).
func TestSearchDocidsSortAsTheRowValue(t *testing.T) {
	posts := []model.Key{{Order: 0, Tie: 1}, {Order: 1_700_000_000, Tie: 1}, {Order: 1_700_000_000, Tie: 2}, {Order: 1_700_000_000, Tie: docidIDMask},
		{Order: 1_700_000_001, Tie: 1}, {Order: docidTimeMax, Tie: 5}}
	anchors := append([]model.Key{{Order: 1_700_000_000, Tie: -3}, {Order: 1_700_000_000, Tie: docidIDMask + 1},
		{Order: docidTimeMax, Tie: docidIDMask + 1}, {Order: 5, Tie: math.MaxInt64}}, posts...)
	less := func(a, b model.Key) bool { return a.Order < b.Order || a.Order == b.Order && a.Tie < b.Tie }
	for _, p := range posts {
		d, err := orderedDocid(p.Order, p.Tie)
		if err != nil {
			t.Fatalf("post %v: %v", p, err)
		}
		for _, a := range anchors {
			if got, want := d < anchorDocid(a), less(p, a); got != want {
				t.Errorf("post %v before anchor %v: %v, want %v", p, a, got, want)
			}
		}
	}
	for _, id := range []int64{0, -1, docidIDMask + 1} {
		if _, err := orderedDocid(5, id); !errors.Is(err, ErrSearchRange) {
			t.Errorf("post id %d: %v, want ErrSearchRange", id, err)
		}
	}
}

// A schema-9 database, whose search index was keyed by post id, has it
// rebuilt by flag time: its posts are found, newest flag first.
func TestMigrationRekeysTheSearchIndexByFlagTime(t *testing.T) {
	db, path := atSchema(t, 9)
	for _, p := range []struct {
		id, at int64
		text   string
	}{{1, 300, "казино один"}, {2, 100, "казино два"}, {3, 200, "казино три"},
		// Flag times no import takes, written behind triage's back: the
		// database still opens and they are still found.
		{4, -1_700_000_000, "казино до 1970"}, {5, 1 << 40, "казино из будущего"}} {
		if _, err := db.Exec(`INSERT INTO posts (id, dedup_key, platform, text, category, flagged_at, prio) VALUES (?, ?, 'vk', ?, 'gambling', ?, 1)`,
			p.id, fmt.Sprint("k", p.id), p.text, p.at+1_600_000_000); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO flags (post_id, flagged_at) VALUES (?, ?)`, p.id, p.at+1_600_000_000); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO posts_search (docid, text, author, author_id, url) VALUES (?, ?, '', '', '')`, p.id, p.text); err != nil {
			t.Fatal(err)
		}
	}
	s := migrated(t, db, path)
	if got := searchIDs(t, s, "alice", "казино", model.Filter{}); !slices.Equal(got, []int64{5, 1, 3, 2, 4}) {
		t.Errorf("search after migration = %v, want newest flag first [5 1 3 2 4]", got)
	}
	q := model.PageQuery{Queue: model.QueueSearch, Actor: model.Actor{Reviewer: "alice"}, Search: "казино", Limit: 1}
	if paged := pageThrough(t, s, q, false); !slices.Equal(paged, []int64{5, 1, 3, 2, 4}) {
		t.Errorf("paged one at a time = %v, want [5 1 3 2 4]", paged)
	}
	if got := searchIDs(t, s, "alice", "три", model.Filter{}); !slices.Equal(got, []int64{3}) {
		t.Errorf("search три after migration = %v, want [3]", got)
	}
	if rep, _ := s.Check(context.Background()); len(rep.Problems) != 0 {
		t.Fatalf("check after migration: %v", rep.Problems)
	}
}

// Opening a database of an older schema says so first, once: the upgrade
// to 10 rebuilds the search index, which on a large database takes a
// while. A new database and an up-to-date one say nothing.
func TestOpeningAnOlderSchemaSaysItUpgrades(t *testing.T) {
	db, path := atSchema(t, 9)
	db.Close()
	var told [][2]int
	upgrading := func(from, to int) { told = append(told, [2]int{from, to}) }
	for range 2 {
		s, err := Open(path, Options{Upgrading: upgrading})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	if want := [][2]int{{9, SchemaVersion()}}; !slices.Equal(told, want) {
		t.Errorf("told %v, want %v", told, want)
	}
	told = nil
	s, err := Open(filepath.Join(t.TempDir(), "new.db"), Options{Create: true, Upgrading: upgrading})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(told) != 0 {
		t.Errorf("a new database told %v", told)
	}
}

// The tab's count is the number of results each reader gets: a lead's
// search with no filter is counted in the index alone, and agrees with the
// results, as a reviewer's count (escalated posts hidden) and a filtered
// count do.
func TestSearchCountsWhatEachReaderIsShown(t *testing.T) {
	s := openTemp(t)
	importLines(t, s,
		`{"platform":"vk","external_id":"1","category":"extremism","text":"джамаат один"}`,
		`{"platform":"vk","external_id":"2","category":"extremism","text":"джамаат два"}`,
		`{"platform":"x","external_id":"3","category":"extremism","text":"джамаат три"}`,
		`{"platform":"x","external_id":"4","category":"extremism","text":"другое"}`)
	decide(t, s, 1, "alice", model.ActionEscalate, "ESC-LEGAL")
	for name, role := range map[string]model.Role{"lena": model.RoleLead, "alice": model.RoleReviewer} {
		if err := s.AddReviewer(context.Background(), name, role, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		who  string
		f    model.Filter
		want int
	}{{"lena", model.Filter{}, 3}, {"alice", model.Filter{}, 2}, {"lena", model.Filter{Platforms: []string{"x"}}, 1}} {
		q := model.PageQuery{Queue: model.QueueSearch, Actor: model.Actor{Reviewer: c.who}, Search: "джамаат", Filter: c.f}
		n, err := s.SearchCount(context.Background(), q, 100)
		if err != nil {
			t.Fatal(err)
		}
		if shown := len(searchIDs(t, s, c.who, "джамаат", c.f)); n != c.want || shown != c.want {
			t.Errorf("%s with %+v: counted %d, shown %d, want %d", c.who, c.f, n, shown, c.want)
		}
	}
}
