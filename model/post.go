package model

import (
	"encoding/json"
	"time"
)

// Post is one flagged item of social-media content. Every string field is
// untrusted: it came from an import file and must be sanitised before it is
// shown on a terminal.
type Post struct {
	ID         int64
	Platform   string
	ExternalID string
	URL        string
	Author     string
	AuthorID   string
	Language   string
	Text       string
	Category   string
	Severity   int
	Reports    int
	PostedAt   time.Time // zero when unknown
	FlaggedAt  time.Time
	Source     string
	Extra      json.RawMessage // unknown import fields, kept as given (a JSON object or nil)
	Status     Status
	Priority   int64
}

// Flag is one report of a post: the first import and every later merge.
type Flag struct {
	FlaggedAt time.Time
	Reason    string
	Source    string
	Reports   int
	Severity  int
}

// PostDetail is a post with everything the detail pane shows.
type PostDetail struct {
	Post
	Flags  []Flag
	Events []Event
	// AuthorPosts counts the same author's other posts by status (same
	// platform and author_id), for context: a repeat offender shows.
	AuthorPosts map[Status]int
	// Cluster is the post's near-duplicate cluster.
	Cluster ClusterInfo
	// Claims are the times a session took the post to review.
	Claims []Claim
	// Blind is a decided post under an open blind QA check, read by
	// someone other than the reviewer whose decision is checked: its
	// status and its decisions (Events) are withheld until the check is
	// answered, so nobody who may take the check can look them up.
	Blind bool
}

// ClusterInfo describes a near-duplicate cluster: how far the same text
// has spread.
type ClusterInfo struct {
	ID        int64
	Posts     int // posts in the cluster
	Pending   int // of them still pending
	Accounts  int // distinct authors
	Platforms int // distinct platforms
}

// Claim is one lease of a post to a review session.
type Claim struct {
	At       time.Time
	Reviewer string
	Session  string
}

// Event is one row of the append-only audit trail.
type Event struct {
	ID         int64
	PostID     int64
	At         time.Time
	Reviewer   string
	KeyFP      string
	Action     Action
	ReasonCode string
	Note       string
	From, To   Status
}

// Decision is a reviewer's verdict (or note, undo or return) on one post.
type Decision struct {
	PostID int64
	Actor
	Action     Action
	ReasonCode string
	Note       string
	TopUp      *TopUp // if set, the same transaction tops the deciding session's batch up
}

// TopUp asks a decision's transaction to claim posts for the deciding
// session (Actor.Session) until it holds Batch: the decision that leaves a batch short refills it with no
// transaction (and no sync) of its own. A claim that fails there is given
// up quietly; the decision stands and the console claims again later.
type TopUp struct {
	Batch  int
	Lease  time.Duration
	Filter Filter
}

// ClusterResult is what deciding a whole cluster did.
type ClusterResult struct {
	Decided int     // posts decided, each with its own audit event
	Held    int     // pending posts skipped because another session holds them
	Events  []int64 // the audit events written, one per decided post
}
