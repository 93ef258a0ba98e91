package data

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"triage/model"
)

// post is one import line with the fields the find-and-focus tests vary.
func post(id int, platform, category, lang string, sev, reports int, age time.Duration, text string) string {
	return fmt.Sprintf(`{"platform":%q,"external_id":"%d","category":%q,"language":%q,"severity":%d,"reports":%d,"flagged_at":%q,"text":%q,"author_id":"a%d"}`,
		platform, id, category, lang, sev, reports, testNow.Add(-age).Format(time.RFC3339), text, id)
}

// pendingIDs is the session's pending list under f, as post ids.
func pendingIDs(t *testing.T, s *Store, sess string, f model.Filter) []int64 {
	t.Helper()
	return pageIDs(t, s, model.PageQuery{Queue: model.QueuePending, Actor: model.Actor{Session: sess}, Filter: f})
}

// pageIDs reads the first 100 rows of a queue as post ids.
func pageIDs(t *testing.T, s *Store, q model.PageQuery) []int64 {
	t.Helper()
	q.Dir, q.Limit = model.First, 100
	items, err := s.Page(context.Background(), q)
	if err != nil {
		t.Fatalf("%s page: %v", q.Queue, err)
	}
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.PostID)
	}
	return ids
}

// pageThrough reads a queue page by page, q.Limit rows at a time, from
// its start (or, backwards, from its end), and gives its post ids in
// queue order.
func pageThrough(t *testing.T, s *Store, q model.PageQuery, backwards bool) []int64 {
	t.Helper()
	first, next := model.First, model.After
	if backwards {
		first, next = model.Last, model.Before
	}
	var ids []int64
	for q.Dir = first; ; q.Dir = next {
		page, err := s.Page(context.Background(), q)
		if err != nil {
			t.Fatalf("%s page: %v", q.Queue, err)
		}
		if len(page) == 0 {
			return ids
		}
		if len(ids) > 10_000 { // a keyset that goes round in circles fails, not hangs
			t.Fatalf("%s: paging never ends: %v…", q.Queue, ids[:20])
		}
		var these []int64
		for _, it := range page {
			these = append(these, it.PostID)
		}
		if backwards {
			ids, q.Key = append(these, ids...), page[0].Key
		} else {
			ids, q.Key = append(ids, these...), page[len(page)-1].Key
		}
	}
}

func TestPriorityOrderOnAFixedSet(t *testing.T) {
	s := openTemp(t)
	importLines(t, s,
		post(1, "vk", "fraud", "ru", 3, 1, 1*time.Hour, "one"),
		post(2, "vk", "fraud", "ru", 4, 1, 1*time.Hour, "two"),     // a severity level: +1 day
		post(3, "vk", "fraud", "ru", 3, 4, 1*time.Hour, "three"),   // two doublings of reports: +1 day
		post(4, "vk", "fraud", "ru", 3, 1, 30*time.Hour, "four"),   // 29 hours older than 1: +29h
		post(5, "vk", "fraud", "ru", 5, 1, 0, "five"),              // +2 days
		post(6, "vk", "fraud", "ru", 3, 2, 10*time.Hour, "six"),    // +12h +9h
		post(7, "vk", "fraud", "ru", 1, 100, 2*time.Hour, "seven"), // −2 days + log2(100)·12h + 1h ≈ +32.7h
	)
	ctx := context.Background()
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	s.Claim(ctx, sess, 100, time.Hour)
	// Ahead of post 1 by: 5 2d · 7 ≈32.7h · 4 29h · 3 and 2 1d (the higher id
	// first) · 6 21h · 1 nothing.
	want := []int64{5, 7, 4, 3, 2, 6, 1}
	if got := pendingIDs(t, s, sess, model.Filter{}); !slices.Equal(got, want) {
		t.Fatalf("queue order %v, want %v", got, want)
	}
}

func TestFiltersCombineOnClaimsAndPages(t *testing.T) {
	s := openTemp(t)
	importLines(t, s,
		post(1, "vk", "recruitment", "kk", 5, 1, 1*time.Hour, "a1"),
		post(2, "vk", "recruitment", "ru", 5, 1, 1*time.Hour, "a2"),
		post(3, "telegram", "recruitment", "kk", 4, 1, 5*time.Hour, "a3"),
		post(4, "telegram", "recruitment", "kk", 2, 1, 5*time.Hour, "a4"), // severity too low
		post(5, "x", "recruitment", "kk", 5, 1, 5*time.Hour, "a5"),        // platform not asked for
		post(6, "vk", "fraud", "kk", 5, 1, 5*time.Hour, "a6"),             // other category
		post(7, "vk", "recruitment", "kk", 5, 1, 80*time.Hour, "a7"),      // too old for age<3d
	)
	f, err := model.ParseFilter("platform:vk,telegram category:recruitment lang:kk sev:4 age<3d")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	if n, err := s.ClaimMatching(ctx, sess, 10, time.Hour, f); err != nil || n != 2 {
		t.Fatalf("claimed %d (%v), want posts 1 and 3", n, err)
	}
	if got := pendingIDs(t, s, sess, f); !slices.Equal(got, []int64{1, 3}) {
		t.Errorf("filtered pending %v, want [1 3]", got)
	}
	older, _ := model.ParseFilter("age>2h")
	if got := pendingIDs(t, s, sess, older); !slices.Equal(got, []int64{3}) {
		t.Errorf("age>2h narrows the same batch to %v, want [3]", got)
	}
	// A claim under another filter gives back what the session holds and
	// the new filter excludes.
	vk, _ := model.ParseFilter("platform:vk")
	s.ClaimMatching(ctx, sess, 10, time.Hour, vk)
	if got := pendingIDs(t, s, sess, model.Filter{}); !slices.Equal(got, []int64{7, 6, 2, 1}) {
		t.Errorf("after claiming platform:vk the session holds %v, want only vk posts [7 6 2 1]", got)
	}
	// Releasing and claiming with no filter takes the whole queue.
	if err := s.Release(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.ClaimMatching(ctx, sess, 10, time.Hour, model.Filter{}); n != 7 {
		t.Errorf("claimed %d after release, want all 7", n)
	}
}

func TestBreachViewTakesBreachesOldestFirst(t *testing.T) {
	s := openTemp(t) // built-in targets: recruitment 24h, fraud 72h, other 7 days
	importLines(t, s,
		post(1, "vk", "recruitment", "ru", 5, 1, 30*time.Hour, "b1"), // past 24h
		post(2, "vk", "recruitment", "ru", 5, 1, 20*time.Hour, "b2"), // within
		post(3, "vk", "fraud", "ru", 1, 1, 80*time.Hour, "b3"),       // past 72h, low priority
		post(4, "vk", "fraud", "ru", 5, 1, 50*time.Hour, "b4"),       // within
		post(5, "vk", "other", "ru", 5, 1, 100*time.Hour, "b5"),      // within 7 days
		post(6, "vk", "recruitment", "ru", 1, 1, 26*time.Hour, "b6"), // past 24h
	)
	ctx := context.Background()
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	breached := model.Filter{Breached: true}
	if n, _ := s.ClaimMatching(ctx, sess, 2, time.Hour, breached); n != 2 {
		t.Fatalf("claimed %d", n)
	}
	// The two oldest breaches, whatever their priority.
	if got := pendingIDs(t, s, sess, breached); !slices.Equal(got, []int64{3, 1}) {
		t.Errorf("breach view %v, want oldest first [3 1]", got)
	}
	d, err := s.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Breaches["recruitment"] != 2 || d.Breaches["fraud"] != 1 || d.Breaches["other"] != 0 {
		t.Errorf("breach counts %v, want recruitment 2, fraud 1, other 0", d.Breaches)
	}
}

// near are copies of one campaign text with the small edits campaigns make.
var near = []string{
	"Требуются крепкие мужчины 18–45 лет для работы по контракту за рубежом. Оплата от 500 000 ₸ в месяц, подъёмные сразу. Пиши в личку @recruit_kz",
	"🔥 Требуются крепкие мужчины 18–45 лет для работы по контракту за рубежом! Оплата от $2,500 в месяц, подъёмные сразу. Пиши в личку @job_abroad",
	"ТРЕБУЮТСЯ крепкие мужчины 18–45 лет для работы по контракту за рубежом. Оплата от 300 000 ₸ в месяц, подъёмные сразу. Пиши в личку @x #работа",
}

func TestClusterDecisionWritesAnEventPerPostAndSkipsHeldPosts(t *testing.T) {
	s, _ := openClocked(t)
	var lines []string
	for i := 1; i <= 6; i++ {
		lines = append(lines, post(i, []string{"vk", "telegram", "x"}[i%3], "recruitment", "ru", 5, 1, time.Hour, near[i%3]))
	}
	// A police warning that quotes the ad is not near-identical to it.
	lines = append(lines, post(7, "vk", "recruitment", "ru", 5, 1, time.Hour,
		"Полиция предупреждает: в соцсетях распространяются объявления «Требуются крепкие мужчины для работы по контракту за рубежом». Участие в вооружённых конфликтах — уголовное преступление. Сообщите по номеру 102."))
	importLines(t, s, lines...)
	ctx := context.Background()
	p1, err := s.Post(ctx, model.Actor{Reviewer: "alice"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p1.Cluster.Posts != 6 || p1.Cluster.Accounts != 6 || p1.Cluster.Platforms != 3 {
		t.Fatalf("cluster %+v, want 6 posts from 6 accounts on 3 platforms", p1.Cluster)
	}
	if p7, _ := s.Post(ctx, model.Actor{Reviewer: "alice"}, 7); p7.Cluster.ID == p1.Cluster.ID {
		t.Fatal("the police warning was clustered with the ad")
	}
	alice, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	bob, _ := s.StartSession(ctx, model.Actor{Reviewer: "bob"}, OriginLocal)
	if got, _ := s.ClaimPost(ctx, bob, 4, time.Hour); got != model.Claimed {
		t.Fatal("bob could not claim post 4")
	}
	decide(t, s, 5, "carol", model.ActionApprove, "REC-NONE") // already decided: not pending
	pending, held, err := s.ClusterPending(ctx, p1.Cluster.ID, alice)
	if err != nil || pending != 5 || held != 1 {
		t.Fatalf("ClusterPending = %d, %d, %v; want 5 pending, 1 held", pending, held, err)
	}
	res, err := s.DecideCluster(ctx, p1.Cluster.ID, model.Decision{Actor: model.Actor{Reviewer: "alice", Session: alice},
		Action: model.ActionReject, ReasonCode: "REC-GLO"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Decided != 4 || res.Held != 1 || len(res.Events) != 4 {
		t.Fatalf("cluster decision %+v, want 4 decided, 1 held, 4 events", res)
	}
	var events, posts int
	s.r.QueryRow(`SELECT count(*), count(DISTINCT post_id) FROM events WHERE reviewer = 'alice' AND action = 'reject'`).Scan(&events, &posts)
	if events != 4 || posts != 4 {
		t.Errorf("%d reject events on %d posts, want one event for each of 4 posts", events, posts)
	}
	for id, want := range map[int64]model.Status{1: model.StatusRejected, 4: model.StatusPending, 5: model.StatusApproved, 7: model.StatusPending} {
		if p, _ := s.Post(ctx, model.Actor{Reviewer: "alice"}, id); p.Status != want {
			t.Errorf("post %d is %s, want %s", id, p.Status, want)
		}
	}
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || v.BadID != 0 || v.Events != 5 {
		t.Errorf("audit chain after a cluster decision: %+v, %v", v, err)
	}
	// A reason that does not fit the category refuses the whole cluster.
	_, err = s.DecideCluster(ctx, p1.Cluster.ID, model.Decision{Actor: model.Actor{Reviewer: "bob", Session: bob},
		Action: model.ActionReject, ReasonCode: "FRD-INV"})
	if err == nil {
		t.Fatal("a fraud reason rejected a recruitment cluster")
	}
	if p, _ := s.Post(ctx, model.Actor{Reviewer: "bob"}, 4); p.Status != model.StatusPending {
		t.Error("a refused cluster decision changed a post")
	}
}

func TestHistoryListsClaimsAndEveryEvent(t *testing.T) {
	s, clk := openClocked(t)
	importLines(t, s, post(1, "vk", "fraud", "ru", 3, 1, time.Hour, "история"))
	ctx := context.Background()
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "alice"}, OriginLocal)
	me := model.Actor{Reviewer: "alice", Session: sess}
	s.Claim(ctx, sess, 1, time.Hour)
	clk.add(time.Second)
	for _, d := range []model.Decision{
		{PostID: 1, Actor: me, Action: model.ActionNote, Note: "looks like the March campaign"},
		{PostID: 1, Actor: me, Action: model.ActionReject, ReasonCode: "FRD-INV"},
		{PostID: 1, Actor: me, Action: model.ActionUndo},
	} {
		if _, err := s.Decide(ctx, d); err != nil {
			t.Fatal(err)
		}
		clk.add(time.Second)
	}
	if got, _ := s.ClaimPost(ctx, sess, 1, time.Hour); got != model.Claimed {
		t.Fatal("claim after undo failed")
	}
	p, err := s.Post(ctx, me, 1)
	if err != nil {
		t.Fatal(err)
	}
	var actions []model.Action
	for _, ev := range p.Events {
		actions = append(actions, ev.Action)
	}
	if !slices.Equal(actions, []model.Action{model.ActionNote, model.ActionReject, model.ActionUndo}) || len(p.Flags) != 1 {
		t.Errorf("history %v with %d flag(s), want note, reject, undo and 1 flag", actions, len(p.Flags))
	}
	if len(p.Claims) != 2 || p.Claims[0].Reviewer != "alice" || !p.Claims[1].At.After(p.Claims[0].At) {
		t.Errorf("claims %+v, want two by alice in order", p.Claims)
	}
	if _, err := s.w.Exec(`DELETE FROM claims`); err == nil {
		t.Error("claims could be deleted")
	}
}

func TestViewsSaveListReplaceDelete(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	f, _ := model.ParseFilter("category:recruitment lang:kk sev:4")
	if err := s.SaveView(ctx, "kk-rec", f, "lena"); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveView(ctx, "bad name", f, "lena"); err == nil {
		t.Error("a view name with a space was saved")
	}
	if err := s.SaveView(ctx, BreachView, f, "lena"); err == nil {
		t.Error("the built-in view was overwritten")
	}
	v, err := s.View(ctx, "kk-rec")
	if err != nil || v.Filter.String() != f.String() || v.By != "lena" {
		t.Fatalf("view %+v, %v", v, err)
	}
	f2, _ := model.ParseFilter("category:recruitment")
	s.SaveView(ctx, "kk-rec", f2, "omar")
	views, _ := s.Views(ctx)
	if len(views) != 2 || views[0].Name != BreachView || views[1].Filter.String() != "category:recruitment" || views[1].By != "omar" {
		t.Fatalf("views %+v", views)
	}
	if err := s.DeleteView(ctx, "kk-rec"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.View(ctx, "kk-rec"); !errors.Is(err, ErrNoView) {
		t.Errorf("deleted view: %v", err)
	}
}

func TestStatsCarryTheDashboard(t *testing.T) {
	s := openTemp(t)
	var lines []string
	for i := 1; i <= 4; i++ {
		lines = append(lines, post(i, "vk", "recruitment", "ru", 5, 1, 30*time.Hour, near[i%3]))
	}
	lines = append(lines, post(5, "vk", "fraud", "ru", 3, 1, time.Hour, "a one-off scam"))
	importLines(t, s, lines...)
	decide(t, s, 1, "alice", model.ActionReject, "REC-AD")
	decide(t, s, 5, "bob", model.ActionApprove, "FRD-NONE")
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Clusters != 1 {
		t.Errorf("clusters %d, want 1 (3 pending copies)", st.Clusters)
	}
	if st.Breaches["recruitment"] != 3 || st.Mix["reject"] != 1 || st.Mix["approve"] != 1 {
		t.Errorf("breaches %v, mix %v", st.Breaches, st.Mix)
	}
	if a := st.PerHour["alice"]; len(a) != model.DashboardHours || a[model.DashboardHours-1] != 1 {
		t.Errorf("alice per hour %v, want 1 in the last hour", a)
	}
	if st.Decisions != 2 || st.ByReviewer["bob"] != 1 {
		t.Errorf("decisions %d, by reviewer %v", st.Decisions, st.ByReviewer)
	}
}

func TestCheckFindsAClusterCounterOutOfStep(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, post(1, "vk", "recruitment", "ru", 5, 1, time.Hour, near[0]), post(2, "x", "recruitment", "ru", 5, 1, time.Hour, near[1]))
	decide(t, s, 1, "alice", model.ActionReject, "REC-AD")
	ctx := context.Background()
	if rep, err := s.Check(ctx); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("a healthy database: %v %v", rep.Problems, err)
	}
	if _, err := s.w.Exec(`UPDATE clusters SET pending = 2`); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check(ctx)
	if err != nil || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "2 posts and 2 pending kept, 2 and 1 real") {
		t.Fatalf("check after tampering: %v %v", rep.Problems, err)
	}
}
