package data

import (
	"context"
	"slices"
	"testing"

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
