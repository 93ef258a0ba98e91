package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"triage/model"
)

// Every screen at the three sizes a reviewer meets: the console, its help,
// the full-screen post and the stats view, each golden-tested as the
// terminal shows it.
func TestGoldenScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 16}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			st := demoStore(t, 500, 7)
			c := startConsole(t, st, size[0], size[1], "alice")
			c.waitFor("500 pending", "#", "flagged")
			for _, screen := range []struct{ name, open, wait, close string }{
				{"console", "", "", ""},
				{"help", "?", "Move and read", "\x1b"},
				{"post", " \r", "Status   pending", "\x1b"},
				{"stats", "S", "Queue by category", "\x1b"},
			} {
				t.Run(screen.name, func(t *testing.T) {
					parent := c.t
					c.t = t // the console's waits fail this subtest, not its parent
					defer func() { c.t = parent }()
					if screen.open != "" {
						c.typeKeys(screen.open)
						c.waitFor(screen.wait)
					}
					got := c.waitStable()
					lines := strings.Split(got, "\n")
					if len(lines) != size[1] || !strings.Contains(lines[len(lines)-1], "q") {
						t.Errorf("%d lines, the last %q:\n%s", len(lines), lines[len(lines)-1], got)
					}
					matchGolden(t, got)
					if screen.close != "" {
						c.typeKeys(screen.close)
						c.waitFor("AGE PL")
					}
				})
			}
		})
	}
}

func TestScriptedSessionIsRecorded(t *testing.T) {
	st := demoStore(t, 200, 3)
	ctx := context.Background()
	first := queueHead(t, st, 4)
	c := startConsoleWith(t, st, 120, 40, "alice", readsAll)
	c.waitFor("200 pending")

	c.typeKeys("a")
	c.waitFor(fmt.Sprintf("Approved #%d", first[0].PostID), "199 pending")

	c.typeKeys("r")
	c.waitFor(fmt.Sprintf("Reject #%d", first[1].PostID))
	c.typeKeys("2\r")
	c.waitFor(fmt.Sprintf("Rejected #%d", first[1].PostID))

	c.typeKeys("e")
	c.waitFor(fmt.Sprintf("Escalate #%d to a lead", first[2].PostID))
	c.typeKeys("1\r")
	c.waitFor("note (enter sends")
	c.typeKeys("needs a lawyer\r")
	c.waitFor(fmt.Sprintf("Escalated #%d", first[2].PostID), "197 pending", "3 decided this session")

	c.typeKeys("u")
	c.waitFor(fmt.Sprintf("Undone: #%d is pending again", first[2].PostID), "198 pending", "2 decided this session")

	pol := st.Policy()
	cat := func(it model.Item) model.Category { c, _ := pol.Category(it.Category); return c }
	check := func(id int64, want ...model.Event) {
		t.Helper()
		got := events(t, st, id)
		if len(got) != len(want) {
			t.Fatalf("post %d: %d events, want %d: %+v", id, len(got), len(want), got)
		}
		for i, w := range want {
			g := got[i]
			if g.Action != w.Action || g.ReasonCode != w.ReasonCode || g.Note != w.Note || g.Reviewer != "alice" || g.To != w.To {
				t.Errorf("post %d event %d = %+v, want %+v", id, i, g, w)
			}
		}
	}
	check(first[0].PostID, model.Event{Action: model.ActionApprove, ReasonCode: cat(first[0]).DefaultApproval().Code, To: model.StatusApproved})
	rejected := model.StatusRejected
	if pol.NeedsSecondReview(first[1].Category, cat(first[1]).Violations()[1].Code) {
		rejected = model.StatusAwaiting // four eyes: a second reviewer confirms it
	}
	check(first[1].PostID, model.Event{Action: model.ActionReject, ReasonCode: cat(first[1]).Violations()[1].Code, To: rejected})
	check(first[2].PostID,
		model.Event{Action: model.ActionEscalate, ReasonCode: pol.Escalation[0].Code, Note: "needs a lawyer", To: model.StatusEscalated},
		model.Event{Action: model.ActionUndo, To: model.StatusPending})
	if ev := events(t, st, first[3].PostID); len(ev) != 0 {
		t.Fatalf("post after the decided ones has events: %+v", ev)
	}
	stats, _ := st.Stats(ctx)
	if stats.Pending != 198 || stats.Decisions != 3 || stats.Undos != 1 || stats.ByReviewer["alice"] != 3 {
		t.Fatalf("stats %+v", stats)
	}
	// The undone post is selected again, ready to be decided anew; enter
	// reads it full screen, with every field.
	c.waitFor(fmt.Sprintf("#%d ", first[2].PostID))
	c.typeKeys("\r")
	s := c.waitFor(fmt.Sprintf("#%d ", first[2].PostID), "Status   pending", "Author   ")
	// h: the whole audit trail of that post, in order.
	c.typeKeys("h")
	s = c.waitFor("audit trail", "escalate pending → escalated by alice", "undo escalated → pending by alice")
	if strings.Index(s, "flagged ×") > strings.Index(s, "escalate pending") || strings.Index(s, "escalate pending") > strings.Index(s, "undo escalated") {
		t.Fatalf("trail out of order:\n%s", s)
	}
	c.typeKeys("h")
	c.waitFor("Status   pending")
	c.typeKeys("\x1b")
	c.waitFor("AGE PL CATEGORY")
}

// A tall screen holds a batch that fills its list (up to the largest
// batch), not ten posts and forty empty rows; a wide one shows category
// keys whole.
func TestTallWideScreenFillsTheList(t *testing.T) {
	st := demoStore(t, 300, 7)
	c := startConsoleWith(t, st, 200, 50, "alice", readsAll)
	s := c.waitFor("300 pending", "AGE PL")
	s = c.waitFor(fmt.Sprintf("Your batch: %d posts", model.MaxClaimBatch))
	rows := 0
	for _, l := range strings.Split(s, "\n")[2:] {
		if strings.Contains(l, "S") && strings.Contains(l, "│") && strings.TrimSpace(l[:strings.Index(l, "│")]) != "" {
			rows++
		}
	}
	if rows < model.MaxClaimBatch {
		t.Fatalf("%d rows of posts on a 50-row screen:\n%s", rows, s)
	}
	if strings.Contains(s, "recruitme…") || strings.Contains(s, "disinform…") || !strings.Contains(s, "disinformation") {
		t.Fatalf("category keys cut at 200 columns:\n%s", s)
	}
}
