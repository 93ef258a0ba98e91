package model

import "time"

// Queue names a list a reviewer works through.
type Queue string

const (
	QueuePending Queue = "pending" // the posts this session has claimed, in priority order
	QueueMine    Queue = "mine"    // the reviewer's own decisions, newest first
	QueueLeads   Queue = "leads"   // escalated posts, in priority order (leads only)
	QueueSearch  Queue = "search"  // full-text search results, newest first
	// QueueConfirm is what waits for this reviewer's second pair of eyes:
	// others' four-eyes rejections to confirm, then blind QA checks of
	// others' decisions, oldest first.
	QueueConfirm Queue = "confirm"
)

// Key positions a row in its queue's order, for keyset paging: Order is the
// value the queue sorts by (the priority in the pending queue, the event id
// in a reviewer's decisions, the flag time in search results), Tie the post
// id that breaks ties (0 where Order alone is unique).
type Key struct{ Order, Tie int64 }

// Item is one row of a queue list: enough of a post to show its line, and for
// the decisions list the event that decided it.
type Item struct {
	Key       Key
	PostID    int64
	Platform  string
	Category  string
	Severity  int
	Reports   int
	FlaggedAt time.Time
	Status    Status
	Snippet   string // the start of the text, untrusted
	Event     *Event // the decision, in QueueMine
	// HeldByOther marks a pending search result another reviewer's live
	// session holds: deciding it would be refused.
	HeldByOther bool
	// ClusterSize is how many posts share this one's near-duplicate
	// cluster, itself included; 1 when it has no near-duplicates.
	ClusterSize int
	Cluster     int64
	// Later is, in QueueMine, the change that ended this decision: the
	// first one to the post after it (an undo, a lead's verdict, a return,
	// a retraction); nil while the decision is still in force.
	Later *Change
	// Look is, in QueueConfirm, what the second look is about.
	Look *Look
}

// Look is a request for a second pair of eyes on a post.
type Look struct {
	Kind LookKind
	// The first decision: for a confirmation, the four-eyes rejection
	// (shown only when the second reviewer asks, after reading the post);
	// empty for a blind QA check, whose point is not to know it.
	FirstReviewer, FirstCode, FirstNote string
}

// LookKind says why a post is in the Confirm queue.
type LookKind string

const (
	LookConfirm LookKind = "confirm" // a four-eyes rejection awaiting confirmation
	LookQA      LookKind = "qa"      // a decision sampled for a blind quality check
)

// Change is an action taken on a post and who took it.
type Change struct {
	Action Action
	By     string
}

// Direction says which way a page is read relative to a key.
type Direction int

const (
	First  Direction = iota // the first rows of the queue
	After                   // rows after the key
	Before                  // rows before the key, returned in queue order
	Last                    // the last rows of the queue, in queue order
	From                    // rows from the key on, the key's row included
)

// PageQuery asks for one page of a queue.
type PageQuery struct {
	Queue Queue
	Actor Actor // whose claims (QueuePending), whose decisions (QueueMine), who asks (QueueLeads)
	Dir   Direction
	Key   Key
	Limit int
	// Filter narrows the queue (and the claims that fill the pending one).
	Filter Filter
	// Search is the full-text query of QueueSearch.
	Search string
}

// Counts is the number of posts per status, and of pending posts per category.
type Counts struct {
	ByStatus          map[Status]int
	PendingByCategory map[string]int
	// Held is how many pending posts some session holds a live lease on:
	// pending minus held is what a claim could still take.
	Held int
}

// UndoPlan is what an undo would undo: one post, or every post of a cluster
// decision still as that decision left it.
type UndoPlan struct {
	Posts   []int64
	Action  Action
	Cluster int64
}
