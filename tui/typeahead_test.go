package tui

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// Keys typed in one burst, before what they act on has loaded, are applied
// in order when it lands: "v 2 enter" picks the second view; "j space"
// reveals the next post, not the one shown before.
func TestTypeaheadBurstsAreNeverLost(t *testing.T) {
	st := demoStore(t, 300, 7)
	ctx := context.Background()
	f, _ := model.ParseFilter("category:fraud")
	if err := st.SaveView(ctx, "fraud-only", f, "lead"); err != nil {
		t.Fatal(err)
	}
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("300 pending", "flagged")
	// The views load while 2 and enter are already typed.
	c.typeKeys("v2\r")
	c.waitFor("[view breaches")
	c.typeKeys("v3\r")
	c.waitFor("[view fraud-only: category:fraud]")
	c.typeKeys("v1\r")
	s := c.waitFor("Filter cleared")
	if strings.Contains(s, "Switch to a view") {
		t.Fatalf("the view picker stayed open:\n%s", s)
	}
	// j moves to a post whose detail is not read yet; space must reveal
	// that post. The first sensitive row below the top is found on screen.
	c.typeKeys("g")
	scr := c.waitStable()
	rows := strings.Split(scr, "\n")[2:12]
	target := -1
	for i, r := range rows {
		if i > 0 && (strings.Contains(r, "recruitme") || strings.Contains(r, "extremism") || strings.Contains(r, "drugs")) {
			target = i
			break
		}
	}
	if target < 0 {
		t.Fatalf("no sensitive post in the batch:\n%s", scr)
	}
	c.typeKeys(strings.Repeat("j", target) + " ")
	scr = c.waitStable()
	if sel := strings.Split(scr, "\n")[2+target]; !strings.Contains(sel, "▌") {
		t.Fatalf("the burst did not select row %d:\n%s", target, scr)
	}
	if strings.Contains(scr, "the text is hidden") {
		t.Fatalf("j… space left the selected post's text hidden:\n%s", scr)
	}
	// Twenty keys in one write: nine moves down (to the batch's last row),
	// eight up, the history shown and hidden (keys that wait for the detail),
	// then approve: the post approved is the second of the batch.
	c.typeKeys("g")
	first := selectedID(t, c.waitStable())
	c.typeKeys("j")
	c.waitStable()
	second := selectedID(t, c.waitStable())
	c.typeKeys("g")
	c.waitStable()
	c.typeKeys(strings.Repeat("j", 9) + strings.Repeat("k", 8) + "hha")
	c.waitFor(fmt.Sprintf("Approved #%d", second))
	if evs := events(t, st, first); len(evs) != 0 {
		t.Fatalf("the burst decided the wrong post: #%d has %+v", first, evs)
	}
}

// selectedID is the post the detail pane shows: the "#N" it starts with.
func selectedID(t *testing.T, scr string) int64 {
	t.Helper()
	line := strings.Split(scr, "\n")[1]
	i := strings.Index(line, "│#")
	var id int64
	if i < 0 {
		t.Fatalf("no post in the detail:\n%s", scr)
	}
	fmt.Sscanf(line[i+len("│#"):], "%d", &id)
	return id
}

// Twenty approvals in one burst run past the end of the ten-post batch:
// every key is applied, the batch refills once at a time, and the session
// never holds more than a batch.
func TestBurstPastTheEndOfTheBatch(t *testing.T) {
	st := demoStore(t, 300, 7)
	c := startConsoleWith(t, st, 120, 40, "alice", readsAll)
	c.waitFor("300 pending", "AGE PL")
	c.typeKeys(strings.Repeat("a", 20))
	s := c.waitFor("20 decided this session", "280 pending")
	if strings.Contains(s, "queue is empty") {
		t.Fatalf("the burst was told the queue is empty:\n%s", s)
	}
	db, err := sql.Open("sqlite3", "file:"+st.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var held int
	db.QueryRow(`SELECT count(*) FROM posts WHERE lease_owner IS NOT NULL AND status = 'pending'`).Scan(&held)
	if held > model.MaxClaimBatch {
		t.Fatalf("the session holds %d posts, more than the largest batch, %d", held, model.MaxClaimBatch)
	}
	if stats, _ := st.Stats(context.Background()); stats.Approved != 20 {
		t.Fatalf("%d approved, want 20", stats.Approved)
	}
}

// A decision key typed after the claim has landed but before the batch is
// read waits for the batch, and acts on its first post; it was refused as
// "the queue is empty" (an SSH test met it on a loaded machine).
func TestDecisionKeyWaitsForTheBatchAfterTheClaim(t *testing.T) {
	f := newFakeStore(20)
	opt := Options{Reviewer: "alice", Session: "s1", Store: f, Now: func() time.Time { return fixedNow }, Refresh: time.Hour}
	readsAll(&opt)
	a := New(t.Context(), opt)
	_, claim := a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	var pages []tea.Msg
	for _, m := range runCmd(claim) {
		if _, ok := m.(claimedMsg); ok {
			_, reload := a.Update(m) // the claim is in; its re-read of the list is held back
			pages = runCmd(reload)
		}
	}
	if a.pending().loaded {
		t.Fatal("the test needs the batch not read yet")
	}
	a.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	if s := screen(a); strings.Contains(s[len(s)-2], "empty") {
		t.Fatalf("the key was refused before the batch was read: %q", s[len(s)-2])
	}
	for _, m := range pages {
		drive(a, m)
	}
	if len(f.decided) != 1 || f.decided[0].PostID != 1 {
		t.Fatalf("the waiting key decided %v, want post 1", f.decided)
	}
}
