package model

import (
	"errors"
	"testing"
	"time"
)

func TestTransitionTable(t *testing.T) {
	all := []Action{ActionApprove, ActionReject, ActionEscalate, ActionUndo, ActionNote, ActionReturn, ActionRetract,
		ActionConfirm, ActionDisagree, ActionQA}
	type row = map[Action]Status
	const undone Status = "" // undo: the caller supplies the status before the decision
	want := map[Role]map[Status]row{
		RoleReviewer: {
			StatusPending:   {ActionApprove: StatusApproved, ActionReject: StatusRejected, ActionEscalate: StatusEscalated, ActionNote: StatusPending},
			StatusApproved:  {ActionUndo: undone, ActionNote: StatusApproved, ActionQA: StatusApproved},
			StatusRejected:  {ActionUndo: undone, ActionNote: StatusRejected, ActionQA: StatusRejected},
			StatusEscalated: {ActionUndo: undone, ActionQA: StatusEscalated},
			StatusAwaiting:  {ActionUndo: undone, ActionNote: StatusAwaiting, ActionConfirm: StatusRejected, ActionDisagree: StatusEscalated, ActionQA: StatusAwaiting},
		},
		RoleLead: {
			StatusPending:   {ActionApprove: StatusApproved, ActionReject: StatusRejected, ActionEscalate: StatusEscalated, ActionNote: StatusPending},
			StatusApproved:  {ActionUndo: undone, ActionNote: StatusApproved, ActionQA: StatusApproved},
			StatusRejected:  {ActionUndo: undone, ActionNote: StatusRejected, ActionRetract: StatusPending, ActionQA: StatusRejected},
			StatusEscalated: {ActionApprove: StatusApproved, ActionReject: StatusRejected, ActionReturn: StatusPending, ActionUndo: undone, ActionNote: StatusEscalated, ActionQA: StatusEscalated},
			StatusAwaiting:  {ActionUndo: undone, ActionNote: StatusAwaiting, ActionConfirm: StatusRejected, ActionDisagree: StatusEscalated, ActionQA: StatusAwaiting},
		},
	}
	for role, table := range want {
		for _, from := range Statuses {
			for _, a := range all {
				got, err := Transition(from, a, role)
				exp, allowed := table[from][a]
				if allowed {
					if err != nil || got != exp {
						t.Errorf("%s: %s + %s = %q, %v; want %q", role, from, a, got, err, exp)
					}
					continue
				}
				var na ErrNotAllowed
				if !errors.As(err, &na) {
					t.Errorf("%s: %s + %s = %q, %v; want ErrNotAllowed", role, from, a, got, err)
				}
				if from == StatusEscalated && role == RoleReviewer && !na.LeadsOnly {
					t.Errorf("reviewer on escalated post: error does not say leads only: %v", err)
				}
			}
		}
	}
	if _, err := Transition("bogus", ActionApprove, RoleLead); err == nil {
		t.Error("unknown status accepted")
	}
	if _, err := Transition(StatusPending, "bogus", RoleLead); err == nil {
		t.Error("unknown action accepted")
	}
}

func TestParseRole(t *testing.T) {
	for _, s := range []string{"reviewer", "lead"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	if _, err := ParseRole("admin"); err == nil {
		t.Error("admin accepted")
	}
}

func TestPriorityOrdersBySeverityReportsAndAge(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	base := Priority(3, 1, now)
	if Priority(4, 1, now) <= base {
		t.Error("higher severity must rank first")
	}
	if Priority(3, 8, now) <= base {
		t.Error("more reports must rank first")
	}
	if Priority(3, 1, now.Add(-time.Hour)) <= base {
		t.Error("older flag must rank first")
	}
	// One severity level is worth a day of waiting.
	if Priority(4, 1, now) != Priority(3, 1, now.Add(-24*time.Hour)) {
		t.Error("severity weight is not one day")
	}
	if Priority(3, 0, now) != base {
		t.Error("report counts below 1 must count as 1")
	}
}
