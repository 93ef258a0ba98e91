package model

import (
	"errors"
	"testing"
	"time"
)

func TestTransitionTable(t *testing.T) {
	all := []Action{ActionApprove, ActionReject, ActionEscalate, ActionUndo, ActionNote}
	want := map[Status]map[Action]Status{
		StatusPending:   {ActionApprove: StatusApproved, ActionReject: StatusRejected, ActionEscalate: StatusEscalated, ActionNote: StatusPending},
		StatusApproved:  {ActionUndo: StatusPending, ActionNote: StatusApproved},
		StatusRejected:  {ActionUndo: StatusPending, ActionNote: StatusRejected},
		StatusEscalated: {ActionUndo: StatusPending, ActionNote: StatusEscalated},
	}
	for _, from := range Statuses {
		for _, a := range all {
			got, err := Transition(from, a)
			exp, allowed := want[from][a]
			if allowed {
				if err != nil || got != exp {
					t.Errorf("%s + %s = %q, %v; want %q", from, a, got, err, exp)
				}
				continue
			}
			var na ErrNotAllowed
			if !errors.As(err, &na) {
				t.Errorf("%s + %s = %q, %v; want ErrNotAllowed", from, a, got, err)
			}
		}
	}
	if _, err := Transition("bogus", ActionApprove); err == nil {
		t.Error("unknown status accepted")
	}
	if _, err := Transition(StatusPending, "bogus"); err == nil {
		t.Error("unknown action accepted")
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
