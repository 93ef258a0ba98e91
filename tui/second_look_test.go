package tui

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"triage/data"
	"triage/model"
)

// secondLookPosts has alice reject a recruitment post with a four-eyes
// code and approve a post the built-in QA sample takes, and returns both.
func secondLookPosts(t *testing.T, st *data.Store) (fourEyes, sampled int64) {
	t.Helper()
	ctx := context.Background()
	seed, err := st.QASeed()
	if err != nil {
		t.Fatal(err)
	}
	for id := int64(1); id <= 200 && (fourEyes == 0 || sampled == 0); id++ {
		p, err := st.Post(ctx, model.Actor{Reviewer: "alice"}, id)
		if err != nil || p.Status != model.StatusPending {
			continue
		}
		switch {
		case fourEyes == 0 && p.Category == "recruitment":
			fourEyes = id
			_, err = st.Decide(ctx, model.Decision{PostID: id, Actor: model.Actor{Reviewer: "alice"}, Action: model.ActionReject,
				ReasonCode: "REC-AD", Note: "a recruiter's ad"})
		case sampled == 0 && p.Category != "recruitment" && model.InQASample(id, seed, st.Policy().QARate(p.Category)):
			sampled = id
			c, _ := st.Policy().Category(p.Category)
			_, err = st.Decide(ctx, model.Decision{PostID: id, Actor: model.Actor{Reviewer: "alice"}, Action: model.ActionApprove,
				ReasonCode: c.DefaultApproval().Code})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if fourEyes == 0 || sampled == 0 {
		t.Fatalf("the demo has no post for a four-eyes rejection (%d) or a QA sample (%d)", fourEyes, sampled)
	}
	return fourEyes, sampled
}

// confirmTab opens who's console on the Confirm tab.
func confirmTab(t *testing.T, st *data.Store, who string) *console {
	t.Helper()
	c := startConsole(t, st, 120, 40, who)
	c.waitFor("pending")
	c.typeKeys("\t\t")
	return c
}

// In bob's Confirm tab, alice's four-eyes rejection comes first, with her
// decision hidden until bob asks; rejecting with her reason confirms it.
// Then the blind QA check: nothing on screen says what alice decided, and
// bob's verdict leaves the post as it was.
func TestConfirmTabConfirmsAndChecksBlind(t *testing.T) {
	st := demoStore(t, 200, 7)
	fourEyes, sampled := secondLookPosts(t, st)
	c := confirmTab(t, st, "bob")
	scr := c.waitFor("4eyes", "QA", "Four eyes: this rejection needs a second")
	if strings.Contains(scr, "alice") || strings.Contains(scr, "REC-AD") || strings.Contains(scr, "recruiter") {
		t.Fatalf("the first decision shows before bob asks:\n%s", scr)
	}
	c.typeKeys("h")
	c.waitFor("The history is hidden during a second look")
	c.typeKeys("w")
	c.waitFor("First decision: alice rejected it — REC-AD", "a recruiter's ad")
	// Round the tabs: the Confirm list is read afresh, and what bob asked
	// to see stays shown (and her reason still comes preselected).
	c.typeKeys("\t\t\t")
	c.waitFor("First decision: alice rejected it — REC-AD")
	c.typeKeys(" r") // a recruitment post: read, then confirmed
	c.waitFor(fmt.Sprintf("Reject #%d", fourEyes))
	c.typeKeys("\r") // her reason is selected
	scr = c.waitFor(fmt.Sprintf("Confirmed #%d", fourEyes), "Blind quality check")
	c.typeKeys("u") // a second look stands: u never reaches back to some other decision
	scr = c.waitFor("A second look is not undone")
	evs := events(t, st, fourEyes)
	if last := evs[len(evs)-1]; last.Action != model.ActionConfirm || last.Reviewer != "bob" || last.To != model.StatusRejected {
		t.Fatalf("after confirming: %+v", last)
	}
	if strings.Contains(scr, "alice") || strings.Contains(strings.ToLower(scr), "approved") {
		t.Fatalf("the QA check shows the first decision:\n%s", scr)
	}
	c.typeKeys("h")
	c.waitFor("The history is hidden during a second look")
	c.typeKeys("a")
	c.waitFor(fmt.Sprintf("Checked #%d", sampled), "Nothing waits for a second pair of eyes")
	p, err := st.PostRecord(context.Background(), sampled)
	if err != nil {
		t.Fatal(err)
	}
	if last := p.Events[len(p.Events)-1]; p.Status != model.StatusApproved || last.Action != model.ActionQA || last.Reviewer != "bob" {
		t.Fatalf("after the QA check the post is %s, last event %+v", p.Status, last)
	}
}

// Any other decision on a four-eyes rejection is a disagreement: it asks
// why (a reason is required), then the post goes to the leads.
func TestDisagreeingAsksWhyAndSendsToTheLeads(t *testing.T) {
	st := demoStore(t, 200, 7)
	fourEyes, _ := secondLookPosts(t, st)
	c := confirmTab(t, st, "carol")
	c.waitFor("Four eyes")
	c.typeKeys(" a") // a recruitment post: read, then approved
	c.waitFor(fmt.Sprintf("#%d: alice gave REC-AD, you REC-NEWS. Why?", fourEyes))
	c.typeKeys("\r")
	c.waitFor("A disagreement needs a reason")
	c.typeKeys("it is a news report\r")
	c.waitFor(fmt.Sprintf("Disagreed on #%d", fourEyes))
	p, err := st.Post(context.Background(), model.Actor{Reviewer: "alice"}, fourEyes) // she sent it on: she may read it
	if err != nil {
		t.Fatal(err)
	}
	if last := p.Events[len(p.Events)-1]; last.Action != model.ActionDisagree || last.Note != "it is a news report" || last.To != model.StatusEscalated {
		t.Fatalf("after disagreeing: %+v", last)
	}
}

// alice never sees her own decisions to confirm or check.
func TestConfirmTabNeverOffersYourOwnDecision(t *testing.T) {
	st := demoStore(t, 200, 7)
	secondLookPosts(t, st)
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("pending")
	c.typeKeys("\t")
	c.waitFor("awaiting 2nd") // My decisions: her four-eyes rejection is not in force yet
	c.typeKeys("\t")
	c.waitFor("Nothing waits for a second pair of eyes")
}

// Escalating on a blind check records the verdict (an escalation reason
// and its note) as the check's answer; the post stays as it was.
func TestQACheckCanEscalate(t *testing.T) {
	st := demoStore(t, 200, 7)
	_, sampled := secondLookPosts(t, st)
	c := confirmTab(t, st, "bob")
	c.waitFor("4eyes", "QA")
	c.typeKeys("j")
	c.waitFor("Blind quality check")
	c.typeKeys("e")
	c.waitFor(fmt.Sprintf("Escalate #%d", sampled))
	c.typeKeys("1\r")
	c.waitFor("note (enter sends")
	c.typeKeys("looks coordinated\r")
	c.waitFor(fmt.Sprintf("Checked #%d", sampled))
	p, err := st.PostRecord(context.Background(), sampled)
	if err != nil {
		t.Fatal(err)
	}
	last := p.Events[len(p.Events)-1]
	if p.Status != model.StatusApproved || last.Action != model.ActionQA || last.ReasonCode != "ESC-LEGAL" || last.Note != "looks coordinated" {
		t.Fatalf("after escalating a check: %s, %+v", p.Status, last)
	}
}

// Blind means blind in the stats view too: a reviewer's counts leave out
// open QA checks (with all approvals, the mix told bob what alice decided);
// a lead's do not. Posts awaiting confirmation are counted among all posts.
func TestStatsViewKeepsOpenQAChecksBlind(t *testing.T) {
	st := demoStore(t, 200, 7)
	secondLookPosts(t, st) // one four-eyes rejection (awaiting), one sampled approval
	register(t, st, "lena", model.RoleLead)
	register(t, st, "bob", model.RoleReviewer)
	want := func(approved int) string {
		return fmt.Sprintf("All posts now: 198 pending · 1 awaiting confirmation · %d approved · 0 rejected · 0 escalated", approved)
	}
	bob := startConsole(t, st, 160, 50, "bob")
	bob.waitFor("198 pending")
	bob.typeKeys("S")
	if s := bob.waitFor("All posts now", "Decision mix"); !strings.Contains(s, want(0)) || !regexp.MustCompile(`approve +0 +0%`).MatchString(s) {
		t.Fatalf("bob's stats:\n%s", s)
	}
	lena := startConsole(t, st, 160, 50, "lena")
	lena.waitFor("198 pending")
	lena.typeKeys("S")
	if s := lena.waitFor(want(1), "Decision mix"); !regexp.MustCompile(`approve +1 +50%`).MatchString(s) {
		t.Fatalf("lena's stats:\n%s", s)
	}
}

// The Confirm tab says how many posts wait there for this reviewer: a
// second reviewer need not tab there to find out; the first sees none of
// their own.
func TestConfirmTabCountsWhatWaits(t *testing.T) {
	st := demoStore(t, 200, 7)
	secondLookPosts(t, st)
	register(t, st, "bob", model.RoleReviewer)
	register(t, st, "alice", model.RoleReviewer)
	bob := startConsole(t, st, 120, 40, "bob")
	if head := strings.Split(bob.waitFor("198 pending", "Confirm 2"), "\n")[0]; !strings.Contains(head, "Confirm 2") {
		t.Fatalf("bob's header: %q", head)
	}
	alice := startConsole(t, st, 120, 40, "alice")
	if head := strings.Split(alice.waitFor("198 pending"), "\n")[0]; strings.Contains(head, "Confirm 2") || !strings.Contains(head, "Confirm") {
		t.Fatalf("alice's header counts her own decisions: %q", head)
	}
}

// However narrow the header, in any language, the Confirm count stays.
func TestConfirmCountSurvivesANarrowHeader(t *testing.T) {
	st := demoStore(t, 200, 7)
	secondLookPosts(t, st)
	register(t, st, "bob", model.RoleReviewer)
	for _, lang := range []string{"en", "ru", "kk"} {
		c := startConsoleWith(t, st, 80, 24, "bob", func(o *Options) { o.Lang = lang })
		c.waitFor("198 ")
		c.typeKeys("X") // sensitive shown: the header has less room
		head := strings.Split(c.waitFor(" 2 "), "\n")[0]
		if !regexp.MustCompile(` 2 +`).MatchString(head) {
			t.Fatalf("%s: the Confirm count is gone: %q", lang, head)
		}
	}
}
