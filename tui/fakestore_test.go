package tui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"triage/model"
)

// fakeStore is a small in-memory Store for component tests: a pending
// queue in priority order, decisions, undo and views — enough for layout,
// windowing, key routing and help, with no SQLite and no sleeps. It is not a
// second implementation of the store's rules; the end-to-end tests keep
// those against the real one.
type fakeStore struct {
	mu       sync.Mutex
	posts    []model.PostDetail // index = id-1
	decided  []model.Decision
	views    []model.View
	pageHook func(q model.PageQuery) // called on every Page, for tests that count reads
	exposure model.Exposure          // what RecordExposure added up
	renews   []time.Duration         // the lease of every Renew, in order
	exclude  []string                // what Exclusions answers
	heldBy   map[int64]bool          // posts another reviewer holds: search marks them, ClaimPost refuses
	atLimit  bool                    // the reviewer holds the limit elsewhere: claims get none, the batch is empty
}

func newFakeStore(n int) *fakeStore {
	f := &fakeStore{}
	cats := []string{"fraud", "recruitment", "drugs", "disinformation"}
	for i := 1; i <= n; i++ {
		f.posts = append(f.posts, model.PostDetail{Post: model.Post{ID: int64(i), Platform: "vk", Category: cats[i%len(cats)],
			Text:   fmt.Sprintf("post number %d, text long enough to wrap in a narrow pane: %s", i, "слово "+fmt.Sprint(i)),
			Author: fmt.Sprintf("author-%d", i), URL: fmt.Sprintf("https://vk.com/wall-%d", i), Severity: 3, Reports: 1,
			FlaggedAt: fixedNow.Add(-time.Duration(i) * time.Minute), Status: model.StatusPending, Priority: int64(1000 - i)}})
	}
	return f
}

func (f *fakeStore) item(p model.PostDetail) model.Item {
	return model.Item{Key: model.Key{Order: p.Priority, Tie: p.ID}, PostID: p.ID, Platform: p.Platform, Category: p.Category,
		Severity: p.Severity, Reports: p.Reports, FlaggedAt: p.FlaggedAt, Status: p.Status, Snippet: p.Text, ClusterSize: 1}
}

func (f *fakeStore) Page(_ context.Context, q model.PageQuery) ([]model.Item, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pageHook != nil {
		f.pageHook(q)
	}
	var all []model.Item
	for _, p := range f.posts {
		if p.Status == model.StatusPending && q.Queue == model.QueuePending && !f.atLimit {
			all = append(all, f.item(p))
		}
	}
	if q.Queue == model.QueueSearch { // every post matches
		for _, p := range f.posts {
			it := f.item(p)
			it.HeldByOther = f.heldBy[p.ID] && p.Status == model.StatusPending
			all = append(all, it)
		}
	}
	if q.Queue == model.QueueMine { // the decisions, newest first
		for i := len(f.decided) - 1; i >= 0; i-- {
			d := f.decided[i]
			it := f.item(f.posts[d.PostID-1])
			it.Key = model.Key{Order: int64(i + 1)}
			it.Event = &model.Event{ID: int64(i + 1), PostID: d.PostID, Action: d.Action, ReasonCode: d.ReasonCode, Reviewer: d.Actor.Reviewer, To: d.Action.Result()}
			all = append(all, it)
		}
	}
	// Queue order: priority descending (ids ascending here).
	less := func(a, b model.Key) bool { return a.Order > b.Order || a.Order == b.Order && a.Tie > b.Tie }
	var out []model.Item
	switch q.Dir {
	case model.First:
		out = all[:min(q.Limit, len(all))]
	case model.Last:
		out = all[max(0, len(all)-q.Limit):]
	case model.After:
		for _, it := range all {
			if less(q.Key, it.Key) && len(out) < q.Limit {
				out = append(out, it)
			}
		}
	case model.From:
		for _, it := range all {
			if !less(it.Key, q.Key) && len(out) < q.Limit {
				out = append(out, it)
			}
		}
	case model.Before:
		for i := len(all) - 1; i >= 0 && len(out) < q.Limit; i-- {
			if less(all[i].Key, q.Key) {
				out = append(out, all[i])
			}
		}
		slices.Reverse(out)
	}
	return slices.Clone(out), nil
}

func (f *fakeStore) Post(_ context.Context, _ model.Actor, id int64) (model.PostDetail, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id < 1 || int(id) > len(f.posts) {
		return model.PostDetail{}, errors.New("no such post")
	}
	return f.posts[id-1], nil
}

func (f *fakeStore) Decide(_ context.Context, d model.Decision) (model.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := &f.posts[d.PostID-1]
	if d.Action.IsDecision() {
		if p.Status != model.StatusPending {
			return model.Event{}, errors.New("already decided")
		}
		p.Status = d.Action.Result()
	}
	f.decided = append(f.decided, d)
	return model.Event{PostID: d.PostID, Action: d.Action, To: p.Status}, nil
}

func (f *fakeStore) UndoPlan(context.Context, string, int64) (model.UndoPlan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.decided) - 1; i >= 0; i-- {
		if d := f.decided[i]; d.Action.IsDecision() && f.posts[d.PostID-1].Status == d.Action.Result() {
			return model.UndoPlan{Posts: []int64{d.PostID}, Action: d.Action}, nil
		}
	}
	return model.UndoPlan{}, nil
}

func (f *fakeStore) UndoPosts(_ context.Context, _ model.Actor, posts []int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range posts {
		f.posts[id-1].Status = model.StatusPending
	}
	return len(posts), nil
}

func (f *fakeStore) Counts(context.Context) (model.Counts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := model.Counts{ByStatus: map[model.Status]int{}, PendingByCategory: map[string]int{}}
	for _, p := range f.posts {
		c.ByStatus[p.Status]++
	}
	return c, nil
}

func (f *fakeStore) CountMatching(context.Context, model.Filter, int) (int, error) { return 0, nil }
func (f *fakeStore) Online(context.Context) (int, error)                           { return 1, nil }
func (f *fakeStore) ClaimMatching(context.Context, string, int, time.Duration, model.Filter) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.atLimit {
		return 0, model.ErrHoldingLimit
	}
	return 0, nil
}
func (f *fakeStore) Renew(_ context.Context, _ string, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.renews = append(f.renews, d)
	return nil
}
func (f *fakeStore) ClaimPost(_ context.Context, _ string, id int64, _ time.Duration) (model.ClaimOutcome, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.heldBy[id] {
		return model.ClaimHeld, nil
	}
	return model.Claimed, nil
}
func (f *fakeStore) Release(context.Context, string) error { return nil }
func (f *fakeStore) ToConfirm(context.Context, model.Actor, int) (int, error) {
	return 0, nil
}
func (f *fakeStore) ClusterPending(context.Context, int64, string) (int, int, error) {
	return 0, 0, nil
}
func (f *fakeStore) DecideCluster(context.Context, int64, model.Decision) (model.ClusterResult, error) {
	return model.ClusterResult{}, errors.New("no clusters here")
}
func (f *fakeStore) SearchCount(context.Context, model.PageQuery, int) (int, error) { return 0, nil }
func (f *fakeStore) Facets(context.Context) (model.Facets, error) {
	return model.Facets{Platforms: []string{"facebook", "vk"}, Languages: []string{"kk", "ru"}}, nil
}
func (f *fakeStore) Views(context.Context) ([]model.View, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.views), nil
}
func (f *fakeStore) SaveView(_ context.Context, name string, flt model.Filter, by string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.views = append(f.views, model.View{Name: name, Filter: flt, By: by})
	return nil
}
func (f *fakeStore) Exclusions(context.Context, string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.exclude, nil
}

func (f *fakeStore) RecordExposure(_ context.Context, reviewer string, _ time.Time, reveals, seconds int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exposure.Reveals += reveals
	f.exposure.Minutes += seconds / 60
	return nil
}

func (f *fakeStore) Dashboard(context.Context) (model.Dashboard, error) {
	return model.Dashboard{Now: fixedNow, PerHour: map[string][]int{}, Mix: map[model.Action]int{}, Queue: map[string]int{}, Breaches: map[string]int{}}, nil
}
