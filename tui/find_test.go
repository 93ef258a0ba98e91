package tui

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"triage/data"
	"triage/data/demo"
	"triage/model"
)

func TestSearchReplacesTheListUntilEsc(t *testing.T) {
	st := demoStore(t, 300, 7)
	want, err := st.Page(context.Background(), model.PageQuery{Queue: model.QueueSearch, Actor: model.Actor{Reviewer: "alice"},
		Dir: model.First, Limit: 100, Search: "ТРЕБУ"})
	if err != nil || len(want) < 10 {
		t.Fatalf("%d results (%v)", len(want), err)
	}
	// Results come most recently flagged first.
	for i := 1; i < len(want); i++ {
		if want[i].FlaggedAt.After(want[i-1].FlaggedAt) {
			t.Fatalf("result %d flagged %v, after result %d (%v)", i, want[i].FlaggedAt, i-1, want[i-1].FlaggedAt)
		}
	}
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("300 pending", "flagged")
	c.typeKeys("/")
	c.waitFor("Search:", "every word must occur")
	c.typeKeys("ТРЕБУ\r")
	// The newest match is selected, the detail shows it, the tab says how
	// many posts match, and "Searching…" is gone.
	screen := c.waitFor(fmt.Sprintf(`Search “ТРЕБУ” %d`, len(want)), fmt.Sprintf("#%d ", want[0].PostID))
	if strings.Contains(screen, "Searching for") {
		t.Errorf("the status still says searching after the results landed:\n%s", screen)
	}
	c.typeKeys("j")
	c.waitFor(fmt.Sprintf("#%d ", want[1].PostID))
	c.typeKeys("G")
	c.waitFor(fmt.Sprintf("#%d ", want[len(want)-1].PostID))
	c.typeKeys("\x1b")
	screen = c.waitFor("Search closed.", "AGE PL")
	if strings.Contains(screen, "Search “") {
		t.Errorf("the search tab stayed after esc:\n%s", screen)
	}
}

func TestFilterBarNarrowsTheBatchAndRefusesBadTerms(t *testing.T) {
	st := demoStore(t, 300, 7)
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("300 pending", "flagged")
	c.typeKeys("f")
	c.waitFor("Filter:", "platform:A,B category:K")
	c.typeKeys("sev:9\r")
	c.waitFor(`filter term "sev:9": severity must be 1 to 5`)
	c.typeKeys("\x15category:fraud lang:ru\r") // ctrl+u clears the line
	c.waitFor("[filter: category:fraud lang:ru]")
	screen := c.waitStable()
	rows := 0
	for _, line := range strings.Split(screen, "\n")[2:12] {
		if strings.TrimSpace(line[:40]) == "" {
			continue
		}
		rows++
		if !strings.Contains(line, "fraud") {
			t.Errorf("a row outside the filter: %q", line)
		}
	}
	if rows == 0 {
		t.Fatalf("no rows after filtering:\n%s", screen)
	}
	// The session holds only posts that pass the filter.
	var held, wrong int
	db, err := sql.Open("sqlite3", "file:"+st.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.QueryRow(`SELECT count(*), coalesce(sum(category <> 'fraud' OR language <> 'ru'), 0) FROM posts
		WHERE lease_owner IS NOT NULL AND status = 'pending'`).Scan(&held, &wrong)
	if err != nil || held == 0 || wrong != 0 {
		t.Errorf("leases: %d held, %d outside the filter (%v)", held, wrong, err)
	}
}

func TestViewPickerSwitchesToTheBreachView(t *testing.T) {
	st := demoStore(t, 300, 7)
	f, _ := model.ParseFilter("category:drugs")
	if err := st.SaveView(context.Background(), "drugs", f, "lena"); err != nil {
		t.Fatal(err)
	}
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("300 pending", "flagged")
	c.typeKeys("v")
	c.waitFor("Switch to a view", "breaches", "drugs", "category:drugs  — lena")
	c.typeKeys("2\r")
	screen := c.waitFor("[view breaches: breached (oldest first)]")
	screen = c.waitStable()
	// Oldest first: ages never decrease down the list, and every row is marked.
	prev, aged := time.Duration(0), 0
	for _, line := range strings.Split(screen, "\n")[2:12] {
		if len(line) < 8 || strings.TrimSpace(line[:8]) == "" {
			continue
		}
		if !strings.Contains(line[:6], "!") {
			t.Errorf("a row in the breach view without the breach mark: %q", line)
		}
		var a time.Duration
		err := fmt.Errorf("no age")
		if f := strings.Fields(strings.TrimLeft(line, " ▌!")); len(f) > 0 {
			a, err = model.ParseAge(f[0])
		}
		if err == nil && a < prev {
			t.Errorf("row %q is younger than the one above", line)
		}
		if err == nil {
			prev, aged = a, aged+1
		}
	}
	if aged < 3 {
		t.Fatalf("only %d rows with a readable age:\n%s", aged, screen)
	}
}

func TestClusterDecisionAsksThenDecidesEveryPendingPost(t *testing.T) {
	st := demoStore(t, 300, 7)
	head := queueHead(t, st, 1)[0]
	if head.ClusterSize < 5 {
		t.Fatalf("the head of the demo queue is in a cluster of %d", head.ClusterSize)
	}
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("300 pending", fmt.Sprintf("×%d", head.ClusterSize))
	c.typeKeys("C")
	c.waitFor("a approve · A approve… · r reject · e escalate")
	c.typeKeys("r")
	c.waitFor("Reject the cluster of")
	c.typeKeys("1\r")
	c.waitFor(fmt.Sprintf("Reject %d pending posts of this", head.ClusterSize), "y confirms")
	c.typeKeys("n")
	c.waitFor("Cluster decision cancelled: nothing was changed.")
	if p, _, _ := st.ClusterPending(context.Background(), head.Cluster, ""); p != head.ClusterSize {
		t.Fatalf("cancelled, yet %d of %d posts are pending", p, head.ClusterSize)
	}
	c.typeKeys("Cr1\r")
	c.waitFor("y confirms")
	c.typeKeys("y")
	c.waitFor(fmt.Sprintf("Rejected %d posts of the cluster", head.ClusterSize))
	if p, _, _ := st.ClusterPending(context.Background(), head.Cluster, ""); p != 0 {
		t.Errorf("%d posts of the cluster still pending", p)
	}
	if evs := events(t, st, head.PostID); len(evs) != 1 || evs[0].Action != model.ActionReject || evs[0].Reviewer != "alice" {
		t.Errorf("the selected post's events: %+v", evs)
	}
}

// clockedDemo is a demo store whose clock the test moves, so decisions fall
// in different hours.
func clockedDemo(t *testing.T, posts int) (*data.Store, func(time.Time)) {
	t.Helper()
	var mu sync.Mutex
	now := fixedNow
	pol := model.DefaultPolicy()
	pol.QASeed = 1 // the same QA sample every run: the stats leave its open checks out
	st, err := data.Open(filepath.Join(t.TempDir(), "triage.db"), data.Options{Create: true, Policy: pol,
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var b strings.Builder
	demo.Generate(&b, demo.Options{Posts: posts, Seed: 11, Now: fixedNow})
	if _, err := st.Import(context.Background(), strings.NewReader(b.String()), data.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return st, func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
}

func TestStatsViewGolden(t *testing.T) {
	st, setNow := clockedDemo(t, 600)
	ctx := context.Background()
	items := queueHead(t, st, 400)
	// Three reviewers at different paces over the last day: alice worked
	// the night hours, each hour a different count; bob two or three an
	// hour all day; carol only the last eight hours, fast and speeding up.
	pace := map[string]func(hoursAgo int) int{
		"alice": func(h int) int {
			if h < 12 {
				return 0
			}
			return h%5 + 1
		},
		"bob": func(h int) int { return 2 + h%2 },
		"carol": func(h int) int {
			if h >= 8 {
				return 0
			}
			return 15 - h
		},
	}
	next := 0
	for _, r := range []string{"alice", "bob", "carol"} {
		for h := 0; h < 24; h++ {
			for k := 0; k < pace[r](h); k++ {
				it := items[next]
				next++
				setNow(fixedNow.Add(-time.Duration(h)*time.Hour - time.Duration(k+1)*time.Minute))
				cat, _ := st.Policy().Category(it.Category)
				a, reason := model.ActionReject, cat.Violations()[0].Code
				switch next % 5 {
				case 0:
					a, reason = model.ActionApprove, cat.DefaultApproval().Code
				case 1:
					a, reason = model.ActionEscalate, "ESC-POLICY"
				}
				if _, err := st.Decide(ctx, model.Decision{PostID: it.PostID, Actor: model.Actor{Reviewer: r}, Action: a, ReasonCode: reason}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	setNow(fixedNow)
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("flagged")
	c.typeKeys("S")
	c.waitFor("Decisions per hour, by reviewer", "Decision mix", "Queue by category", "Clusters with 2+ pending")
	matchGolden(t, c.waitStable())
	c.typeKeys("\x1b")
	c.waitFor("flagged")
}

// A search of punctuation alone is refused at once, not left "Searching…".
func TestSearchOfPunctuationAloneIsRefused(t *testing.T) {
	a := fakeApp(t, newFakeStore(20), 120, 40)
	before := a.tab
	a.startSearch(`'" :* ( <->`)
	if a.tab != before || !a.isErr || !strings.Contains(a.status, "Type a word") {
		t.Fatalf("tab %v, status %q (error %v)", a.tab, a.status, a.isErr)
	}
}

// Search results another reviewer holds say so before the reviewer acts;
// deciding one says why it was refused, the one reason it was; a decision
// from search reads as it does from the queue.
func TestSearchMarksPostsHeldByOthers(t *testing.T) {
	st := demoStore(t, 300, 7)
	ctx := context.Background()
	want, err := st.Page(ctx, model.PageQuery{Queue: model.QueueSearch, Actor: model.Actor{Reviewer: "alice"},
		Dir: model.First, Limit: 2, Search: "ТРЕБУ"})
	if err != nil || len(want) < 2 {
		t.Fatalf("%d results (%v)", len(want), err)
	}
	bob, _ := st.StartSession(ctx, model.Actor{Reviewer: "bob"}, data.OriginLocal)
	if got, err := st.ClaimPost(ctx, bob, want[0].PostID, time.Hour); got != model.Claimed {
		t.Fatalf("bob could not take #%d: %v %v", want[0].PostID, got, err)
	}
	c := startConsoleWith(t, st, 160, 40, "alice", readsAll)
	c.waitFor("300 pending", "Flags")
	c.typeKeys("/")
	c.waitFor("Search:")
	c.typeKeys("ТРЕБУ\r")
	s := c.waitFor(fmt.Sprintf("#%d ", want[0].PostID), "held by another reviewer")
	if n := strings.Count(s, "held by another reviewer"); n != 1 {
		t.Fatalf("%d rows marked held, want bob's one:\n%s", n, s)
	}
	c.typeKeys("r1\r")
	if s := c.waitFor("another reviewer has it open"); strings.Contains(s, "decided meanwhile") {
		t.Fatalf("the refusal names more than its cause:\n%s", s)
	}
	c.typeKeys("j")
	c.waitFor(fmt.Sprintf("#%d ", want[1].PostID))
	c.typeKeys("r1\r")
	cat, _ := st.Policy().Category(want[1].Category)
	c.waitFor(fmt.Sprintf("Rejected #%d — %s", want[1].PostID, cat.Violations()[0].Code))
}

// The header always shows the list it is, what narrows it, how many wait,
// who is signed in and that sensitive text is shown; the rest gives way.
// At 120 columns with a view and X on it dropped the tabs, the online count
// and the name.
func TestHeaderKeepsWhatMatters(t *testing.T) {
	st := demoStore(t, 300, 7)
	for _, w := range []int{120, 80} {
		c := startConsole(t, st, w, 30, "alice")
		c.waitFor("300 pending")
		c.typeKeys("X")
		c.typeKeys("v2\r")
		head := strings.Split(c.waitFor("[view breaches"), "\n")[0]
		for _, want := range []string{"Pending", "[view breaches", "pending", "alice", "sensitive shown"} {
			if !strings.Contains(head, want) {
				t.Errorf("%d columns: the header lost %q: %q", w, want, head)
			}
		}
		if w == 120 && !strings.Contains(head, "My decisions") {
			t.Errorf("120 columns: the tabs gave way before the counts: %q", head)
		}
	}
}
