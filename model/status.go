// Package model holds triage's domain in plain Go: posts, flags, decisions,
// the rules for moving a post between statuses, the review policy and the
// priority score. It performs no I/O and imports only the standard library.
package model

import "fmt"

// Status is where a post stands in review.
type Status string

const (
	StatusPending   Status = "pending"
	StatusApproved  Status = "approved"
	StatusRejected  Status = "rejected"
	StatusEscalated Status = "escalated"
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusPending, StatusApproved, StatusRejected, StatusEscalated}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusPending, StatusApproved, StatusRejected, StatusEscalated:
		return true
	}
	return false
}

// Action is what a reviewer does to a post. Every action is one audit event.
type Action string

const (
	ActionApprove  Action = "approve"
	ActionReject   Action = "reject"
	ActionEscalate Action = "escalate"
	ActionUndo     Action = "undo"
	ActionNote     Action = "note"
)

// IsDecision reports whether a is one of the three verdicts.
func (a Action) IsDecision() bool {
	return a == ActionApprove || a == ActionReject || a == ActionEscalate
}

// Result is the status a decision leaves a post in.
func (a Action) Result() Status {
	switch a {
	case ActionApprove:
		return StatusApproved
	case ActionReject:
		return StatusRejected
	case ActionEscalate:
		return StatusEscalated
	}
	return ""
}

// ErrNotAllowed is returned by Transition for an action the current status forbids.
type ErrNotAllowed struct {
	From   Status
	Action Action
}

func (e ErrNotAllowed) Error() string {
	switch {
	case e.Action.IsDecision():
		return fmt.Sprintf("post is already %s; it cannot be decided again", e.From)
	case e.Action == ActionUndo:
		return fmt.Sprintf("post is %s; there is no decision to undo", e.From)
	}
	return fmt.Sprintf("%s is not allowed on a %s post", e.Action, e.From)
}

// Transition returns the status a post moves to when action a is applied to a
// post in status from. The table is deliberately small:
//
//	pending   + approve|reject|escalate -> approved|rejected|escalated
//	decided   + undo                    -> pending
//	any       + note                    -> unchanged
//
// Everything else is refused, which is what makes a second decision on an
// already decided post impossible.
func Transition(from Status, a Action) (Status, error) {
	if !from.Valid() {
		return "", fmt.Errorf("unknown status %q", from)
	}
	switch {
	case a == ActionNote:
		return from, nil
	case a.IsDecision():
		if from == StatusPending {
			return a.Result(), nil
		}
	case a == ActionUndo:
		if from != StatusPending {
			return StatusPending, nil
		}
	default:
		return "", fmt.Errorf("unknown action %q", a)
	}
	return "", ErrNotAllowed{From: from, Action: a}
}
