package model

import (
	"errors"
	"time"
)

// The rules of a console session, in one place: the store, the console and
// the commands all read them from here.
const (
	// DefaultLease is how long a claimed post stays with a session that
	// shows no activity; MaxLease bounds any lease.
	DefaultLease = 10 * time.Minute
	MaxLease     = 24 * time.Hour
	// LeaseGrace is how long past its expiry a lease is still honoured
	// before another session may take the post over: a session renewing a
	// moment late never loses its batch to a neighbour.
	LeaseGrace = 30 * time.Second
	// ClaimBatch is how many posts a session holds at a time; ClaimLow is
	// when it claims more (fewer than this many left).
	ClaimBatch = 10
	ClaimLow   = 5
	// MaxClaimBatch bounds the batch of a console on a tall screen, which
	// holds as many posts as its list has rows.
	MaxClaimBatch = 40
	// RefreshEvery is how often a console re-reads its counts and list
	// without a key press.
	RefreshEvery = 3 * time.Second
	// OnlineWindow is how recently a session must have shown a sign of life
	// to count as online.
	OnlineWindow = 30 * time.Second
)

// Session origins: where a console runs.
const (
	OriginLocal = "local"
	OriginSSH   = "ssh"
)

// RenewEvery is how often a session renews its leases: at half the lease,
// so one late renewal still lands before expiry.
func RenewEvery(lease time.Duration) time.Duration { return lease / 2 }

// ClaimOutcome is what became of a request to take one post into a session.
type ClaimOutcome int

const (
	Claimed          ClaimOutcome = iota // the session holds it now
	ClaimHeld                            // another reviewer's live session holds it
	ClaimNotPending                      // decided, escalated or awaiting confirmation since it was listed
	ClaimKeptFromYou                     // a lead has excluded its category for this reviewer
	ClaimOverLimit                       // the reviewer holds the policy's limit of posts (Limits.Posts)
	ClaimNoSession                       // the console has no session to hold it in
)

// ErrHoldingLimit is a claim that took nothing because the reviewer already
// holds the policy's limit of posts (Limits.Posts) across their consoles.
var ErrHoldingLimit = errors.New("at the limit of posts one reviewer may hold")

// ErrTooManyConsoles refuses a console to a reviewer who already has the
// policy's limit of consoles open (Limits.Consoles).
var ErrTooManyConsoles = errors.New("too many consoles")
