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
	// StatusAwaiting is a four-eyes rejection waiting for a second
	// reviewer: not yet a takedown, out of the first reviewer's queue.
	StatusAwaiting Status = "awaiting"
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusPending, StatusAwaiting, StatusApproved, StatusRejected, StatusEscalated}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusPending, StatusApproved, StatusRejected, StatusEscalated, StatusAwaiting:
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
	ActionReturn   Action = "return" // a lead sends an escalated post back to the reviewers
	// ActionRetract is a lead withdrawing a rejection that already went to the
	// platform in a takedown packet: the post goes back to the queue, and the
	// next takedowns run tells the platform (the store enforces the packet).
	ActionRetract Action = "retract"
	// ActionReopen is a lead putting any decided post back in the queue
	// with a recorded reason (the platform contested it, the author
	// appealed, new evidence). A rejection already sent is also retracted.
	ActionReopen Action = "reopen"
	// ActionConfirm is a second reviewer agreeing with a four-eyes
	// rejection: only then is the post rejected (and can be sent).
	ActionConfirm Action = "confirm"
	// ActionDisagree is a second reviewer who would have decided a
	// four-eyes rejection otherwise: the post goes to the leads with both
	// views. Its reason code is the one the second reviewer would give.
	ActionDisagree Action = "disagree"
	// ActionQA is a blind quality check: a second reviewer's own verdict
	// (its reason code) on a decided post, recorded beside the first and
	// never changing the post's status.
	ActionQA Action = "qa"
)

// IsSecondLook reports whether a is a second reviewer's answer to a
// four-eyes rejection or a QA sample.
func (a Action) IsSecondLook() bool {
	return a == ActionConfirm || a == ActionDisagree || a == ActionQA
}

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
	From      Status
	Action    Action
	LeadsOnly bool // the post is with the leads
}

func (e ErrNotAllowed) Error() string {
	switch {
	case e.LeadsOnly && e.Action == ActionRetract:
		return "only a lead can retract a rejection"
	case e.LeadsOnly && e.Action == ActionReopen:
		return "only a lead can reopen a decided post"
	case e.LeadsOnly:
		return "post is escalated; only a lead can act on it"
	case e.Action.IsDecision():
		return fmt.Sprintf("post is already %s; it cannot be decided again", e.From)
	case e.Action == ActionUndo:
		return fmt.Sprintf("post is %s; there is no decision to undo", e.From)
	case e.Action == ActionConfirm || e.Action == ActionDisagree:
		return fmt.Sprintf("post is %s; it is not awaiting confirmation", e.From)
	}
	return fmt.Sprintf("%s is not allowed on a %s post", e.Action, e.From)
}

// Transition returns the status a post moves to when a reviewer with role
// applies action a to a post in status from. The table is deliberately small:
//
//	pending   + approve|reject|escalate      -> approved|rejected|escalated  (anyone)
//	escalated + approve|reject               -> approved|rejected            (leads)
//	escalated + return                       -> pending                      (leads)
//	rejected  + retract                      -> pending                      (leads)
//	decided   + reopen                       -> pending                      (leads)
//	decided   + undo                         -> the status before the decision
//	awaiting  + confirm|disagree             -> rejected|escalated           (anyone but the first; the store checks)
//	decided   + qa                           -> unchanged                    (anyone but the first; the store checks)
//	any       + note                         -> unchanged (reviewers: not on escalated posts)
//
// Everything else is refused, which is what makes a second decision on an
// already decided post impossible. Undo's result depends on the decision it
// undoes, so Transition returns "" for it and the caller supplies it.
func Transition(from Status, a Action, role Role) (Status, error) {
	if !from.Valid() {
		return "", fmt.Errorf("unknown status %q", from)
	}
	lead := role == RoleLead
	switch {
	case a == ActionNote:
		if from != StatusEscalated || lead {
			return from, nil
		}
	case a.IsDecision():
		if from == StatusPending || (from == StatusEscalated && lead && a != ActionEscalate) {
			return a.Result(), nil
		}
	case a == ActionReturn:
		if from == StatusEscalated && lead {
			return StatusPending, nil
		}
	case a == ActionRetract:
		if from == StatusRejected && lead {
			return StatusPending, nil
		}
		if from == StatusRejected {
			return "", ErrNotAllowed{From: from, Action: a, LeadsOnly: true}
		}
	case a == ActionReopen:
		if from != StatusPending && lead {
			return StatusPending, nil
		}
		if from != StatusPending {
			return "", ErrNotAllowed{From: from, Action: a, LeadsOnly: true}
		}
	case a == ActionUndo:
		if from != StatusPending {
			return "", nil
		}
	case a == ActionConfirm:
		if from == StatusAwaiting {
			return StatusRejected, nil
		}
	case a == ActionDisagree:
		if from == StatusAwaiting {
			return StatusEscalated, nil
		}
	case a == ActionQA:
		if from != StatusPending {
			return from, nil
		}
	default:
		return "", fmt.Errorf("unknown action %q", a)
	}
	if from == StatusEscalated && !lead {
		return "", ErrNotAllowed{From: from, Action: a, LeadsOnly: true}
	}
	return "", ErrNotAllowed{From: from, Action: a}
}
