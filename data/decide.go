package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"triage/model"
)

// ErrConflict wraps every refusal caused by the post's current state: it was
// decided by someone else, has nothing to undo, is held by another session,
// or does not exist.
var ErrConflict = errors.New("conflict")

// ErrForbidden wraps refusals caused by who is asking: a disabled reviewer,
// or a reviewer reaching for the leads' posts.
var ErrForbidden = errors.New("not allowed")

// ErrNotRegistered is a name that is no reviewer's on a database where
// reviewers are registered.
var ErrNotRegistered = errors.New("not a registered reviewer on this database")

// Decide records a decision, undo, return or note on one post. The post's
// status and its audit event commit together or not at all; the status
// change is conditional on the status the transition was computed from, so of
// many concurrent deciders exactly one wins. The store itself checks the
// actor's role, the post's lease and the reason code.
//
// Decisions from concurrent sessions are group-committed (see startCommitter):
// each is applied inside its own savepoint, so one refusal never touches the
// others, and all of them become durable with one fsync.
func (s *Store) Decide(ctx context.Context, d model.Decision) (model.Event, error) {
	if d.Reviewer == "" {
		return model.Event{}, errors.New("a decision needs a reviewer")
	}
	if err := s.beginWrite(); err != nil {
		return model.Event{}, err
	}
	defer s.writes.Done()
	req := decideReq{d: d, reply: make(chan decideResult, 1)}
	s.decisions <- req
	r := <-req.reply
	return r.ev, r.err
}

// txState is what a write transaction has already read and may reuse:
// reviewers' roles and the audit chain's head. A group commit applies many
// decisions in one transaction, under the write lock, so nothing else
// changes them meanwhile; reading them once saves statements (on
// PostgreSQL, round trips). The chain head is forgotten whenever a
// savepoint rolls back, since the event it names may be gone.
type txState struct {
	roles      map[string]model.Role
	chainKnown bool
	lastID     int64
	lastHash   []byte
}

func newTxState() *txState { return &txState{roles: map[string]model.Role{}} }

// rolledBack forgets what a rolled-back savepoint may have undone.
func (t *txState) rolledBack() { t.chainKnown = false }

// role is roleOf, remembered for the transaction.
func (t *txState) role(tx *sql.Tx, name string) (model.Role, error) {
	if r, ok := t.roles[name]; ok {
		return r, nil
	}
	r, err := roleOf(tx, name)
	if err == nil {
		t.roles[name] = r
	}
	return r, err
}

// decidedPost is what a decision reads of its post and its reviewer.
type decidedPost struct {
	from               model.Status
	category           string
	leaseOwner         sql.NullString
	leaseUntil, packet sql.NullInt64
	role               model.Role  // the reviewer's, as granted
	content            postContent // what the event binds: the post as decided on
}

// readForDecision reads the post d decides and the role its reviewer has.
func (s *Store) readForDecision(tx *sql.Tx, d model.Decision, st *txState) (decidedPost, error) {
	var p decidedPost
	var role sql.NullString
	var enabled sql.NullBool
	var registered bool
	c := &p.content
	err := tx.QueryRow(`SELECT p.status, p.category, p.lease_owner, p.lease_until, p.takedown_packet,
		r.role, r.enabled, EXISTS (SELECT 1 FROM reviewers),
		p.platform, p.external_id, p.url, p.author, p.author_id, p.text
		FROM posts p LEFT JOIN reviewers r ON r.name = ? WHERE p.id = ?`, d.Reviewer, d.PostID).
		Scan(&p.from, &p.category, &p.leaseOwner, &p.leaseUntil, &p.packet, &role, &enabled, &registered,
			&c.Platform, &c.ExternalID, &c.URL, &c.Author, &c.AuthorID, &c.Text)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := st.role(tx, d.Reviewer); err != nil {
			return p, err
		}
		return p, fmt.Errorf("post %d: %w: no such post", d.PostID, ErrConflict)
	}
	if err != nil {
		return p, fmt.Errorf("post %d: %w", d.PostID, err)
	}
	p.role, err = grantedRole(d.Reviewer, role, enabled, registered)
	return p, err
}

// checkText keeps what is not text out of the trail: it is evidence,
// hashed and append-only, and must read the same on every backend
// (PostgreSQL refuses invalid UTF-8).
func checkText(d model.Decision) error {
	for _, f := range []struct{ name, v string }{{"reviewer", d.Reviewer}, {"note", d.Note}, {"reason", d.ReasonCode}, {"key", d.KeyFP}} {
		if !utf8.ValidString(f.v) {
			return fmt.Errorf("post %d: the %s is not valid UTF-8", d.PostID, f.name)
		}
	}
	return nil
}

// setStatus moves the post from from to to, if it is still from. Any status
// change ends the post's lease: a decided post is nobody's claim, and an
// undone or returned one goes back to the whole queue. A retracted post also
// leaves its packet (the retractions row keeps which one), so a new
// rejection can be sent again.
func setStatus(tx *sql.Tx, d model.Decision, from, to model.Status, retracted bool) error {
	q := `UPDATE posts SET status = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = ?`
	if retracted {
		q = `UPDATE posts SET status = ?, lease_owner = NULL, lease_until = NULL, takedown_packet = NULL WHERE id = ? AND status = ?`
	}
	res, err := tx.Exec(q, to, d.PostID, from)
	if err != nil {
		return fmt.Errorf("post %d: %w", d.PostID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("post %d: %w: decided by someone else", d.PostID, ErrConflict)
	}
	return nil
}

// applyDecision does one decision's reads and writes inside tx. The post and
// the reviewer's standing are read in one statement: on PostgreSQL every
// statement is a round trip, and a group commit makes many of these.
func (s *Store) applyDecision(tx *sql.Tx, d model.Decision, st *txState) (model.Event, error) {
	if err := checkText(d); err != nil {
		return model.Event{}, err
	}
	ps, err := s.readForDecision(tx, d, st)
	if err != nil {
		return model.Event{}, err
	}
	from, category, leaseOwner, leaseUntil, packet, granted, c := ps.from, ps.category, ps.leaseOwner, ps.leaseUntil, ps.packet, ps.role, ps.content
	to, err := model.Transition(from, d.Action, granted)
	if err != nil {
		var na model.ErrNotAllowed
		if errors.As(err, &na) && na.LeadsOnly {
			return model.Event{}, fmt.Errorf("post %d: %w: %v", d.PostID, ErrForbidden, err)
		}
		return model.Event{}, fmt.Errorf("post %d: %w: %v", d.PostID, ErrConflict, err)
	}
	now := s.now()
	if from == model.StatusPending && d.Action != model.ActionNote {
		if err := checkLease(d, leaseOwner, leaseUntil, now.UnixMilli()); err != nil {
			return model.Event{}, err
		}
	}
	if err := s.checkReason(d, category); err != nil {
		return model.Event{}, fmt.Errorf("post %d: %w", d.PostID, err)
	}
	var look openLook
	var verdict model.Action
	if d.Action.IsSecondLook() {
		if look, verdict, err = s.checkSecondLook(tx, &d, category); err != nil {
			return model.Event{}, err
		}
	}
	if to == model.StatusRejected && d.Action == model.ActionReject && s.policy.NeedsSecondReview(category, d.ReasonCode) {
		to = model.StatusAwaiting // four eyes: not a takedown until another reviewer confirms it
	}
	if err := checkPacket(tx, d, packet); err != nil {
		return model.Event{}, err
	}
	if d.Action == model.ActionUndo {
		if to, err = undoTarget(tx, d); err != nil {
			return model.Event{}, err
		}
	}
	if to != from {
		if err := setStatus(tx, d, from, to, retracts(d, packet)); err != nil {
			return model.Event{}, err
		}
	}
	ev := model.Event{PostID: d.PostID, At: now.UTC().Truncate(time.Millisecond), Reviewer: d.Reviewer, KeyFP: d.KeyFP,
		Action: d.Action, ReasonCode: d.ReasonCode, Note: d.Note, From: from, To: to}
	c.Category = category
	if err := st.appendEvent(tx, &ev, c.sha256()); err != nil {
		return model.Event{}, fmt.Errorf("post %d: audit: %w", d.PostID, err)
	}
	if d.Action.IsSecondLook() {
		if err := answerLook(tx, look, ev, verdict); err != nil {
			return model.Event{}, err
		}
	} else if to != from {
		if err := s.followLooks(tx, ev, category); err != nil {
			return model.Event{}, err
		}
	}
	if retracts(d, packet) {
		if _, err := tx.Exec(`INSERT INTO retractions (post_id, packet_id, event_id) VALUES (?, ?, ?)`, d.PostID, packet.Int64, ev.ID); err != nil {
			return model.Event{}, fmt.Errorf("post %d: retraction: %w", d.PostID, err)
		}
	}
	return ev, nil
}

// retracts reports a decision that withdraws a takedown already sent: a
// retraction, or reopening a post that is in a packet.
func retracts(d model.Decision, packet sql.NullInt64) bool {
	return d.Action == model.ActionRetract || d.Action == model.ActionReopen && packet.Valid
}

// roleOf is the role the store grants: a registered reviewer's own role, a
// refusal for a disabled one, and the plain reviewer role for a name that
// was never registered, but only on a database with no reviewers registered
// at all (a single-user setup). Once reviewers are registered, a name must be
// one of them: otherwise anyone who can open the file could act under any
// name.
func roleOf(q interface {
	QueryRow(string, ...any) *sql.Row
}, name string) (model.Role, error) {
	var role sql.NullString
	var enabled sql.NullBool
	var registered bool
	err := q.QueryRow(`SELECT r.role, r.enabled, EXISTS (SELECT 1 FROM reviewers)
		FROM (SELECT 1) one LEFT JOIN reviewers r ON r.name = ?`, name).Scan(&role, &enabled, &registered)
	if err != nil {
		return "", fmt.Errorf("reviewer %s: %w", name, err)
	}
	return grantedRole(name, role, enabled, registered)
}

// grantedRole applies roleOf's rule to what was read: the reviewer's row
// (role and enabled, NULL when there is none) and whether any reviewer is
// registered.
func grantedRole(name string, role sql.NullString, enabled sql.NullBool, registered bool) (model.Role, error) {
	switch {
	case !role.Valid && registered:
		return "", fmt.Errorf("reviewer %s: %w: %w (see triage reviewer list)", name, ErrForbidden, ErrNotRegistered)
	case !role.Valid:
		return model.RoleReviewer, nil
	case !enabled.Bool:
		return "", fmt.Errorf("reviewer %s: %w: disabled", name, ErrForbidden)
	}
	return model.Role(role.String), nil
}

// checkLease allows a decision on a pending post only to the session whose
// live lease it is; a caller without a session (a script, a test) may decide
// only a post no live session holds.
func checkLease(d model.Decision, owner sql.NullString, until sql.NullInt64, nowMs int64) error {
	live := owner.Valid && until.Valid && until.Int64 >= nowMs-model.LeaseGrace.Milliseconds()
	switch {
	case d.Session != "" && owner.Valid && owner.String == d.Session && live:
		return nil
	case d.Session != "" && owner.Valid && owner.String == d.Session:
		return fmt.Errorf("post %d: %w: your claim on it expired and it went back to the queue", d.PostID, ErrConflict)
	case d.Session != "":
		return fmt.Errorf("post %d: %w: it is not claimed by this session (claim lost)", d.PostID, ErrConflict)
	case live:
		return fmt.Errorf("post %d: %w: another reviewer has it open", d.PostID, ErrConflict)
	}
	return nil
}

// checkReason refuses a reason code that does not fit the action: a
// violation reason of the post's category to reject, a "no violation" one to
// approve, an escalation reason to escalate.
func (s *Store) checkReason(d model.Decision, category string) error {
	var allowed []model.Reason
	switch d.Action {
	case model.ActionApprove, model.ActionReject:
		c, ok := s.policy.Category(category)
		if !ok {
			return fmt.Errorf("category %q is not in the policy", category)
		}
		allowed = c.Approvals()
		if d.Action == model.ActionReject {
			allowed = c.Violations()
		}
	case model.ActionEscalate:
		allowed = s.policy.Escalation
	default:
		return nil
	}
	for _, r := range allowed {
		if r.Code == d.ReasonCode {
			return nil
		}
	}
	return fmt.Errorf("reason %q cannot be used to %s a %s post", d.ReasonCode, d.Action, category)
}

// undoTarget allows an undo only of the reviewer's own decision, and only
// while it is still the post's latest change; the post returns to the status
// it had before that decision.
func undoTarget(tx *sql.Tx, d model.Decision) (model.Status, error) {
	var reviewer string
	var action model.Action
	var before model.Status
	err := tx.QueryRow(`SELECT reviewer, action, from_status FROM events
		WHERE post_id = ? AND action NOT IN ('note', 'qa') ORDER BY id DESC LIMIT 1`, d.PostID).Scan(&reviewer, &action, &before)
	if err != nil || !action.IsDecision() {
		return "", fmt.Errorf("post %d: %w: nothing to undo", d.PostID, ErrConflict)
	}
	if reviewer != d.Reviewer {
		return "", fmt.Errorf("post %d: %w: decided by %s, not by you", d.PostID, ErrConflict, reviewer)
	}
	return before, nil
}

// LastUndoable returns the post of the reviewer's most recent decision that is
// still in force (not undone, not superseded), or 0 when there is none.
func (s *Store) LastUndoable(ctx context.Context, reviewer string) (int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT e.post_id FROM events e
		WHERE e.reviewer = ? AND e.action IN ('approve', 'reject', 'escalate')
		  AND NOT EXISTS (SELECT 1 FROM events l WHERE l.post_id = e.post_id AND l.id > e.id AND l.action NOT IN ('note', 'qa'))
		ORDER BY e.id DESC LIMIT 1`, reviewer)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var id int64
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
	}
	return id, rows.Err()
}

// appendEvent writes an audit event chained to the one before it, binding
// the sha256 of its post's content. The id is taken explicitly (max+1 under
// the write lock) because it is part of the hashed bytes.
func (t *txState) appendEvent(tx *sql.Tx, ev *model.Event, content []byte) error {
	if !t.chainKnown {
		t.lastID, t.lastHash = 0, nil
		err := tx.QueryRow(`SELECT id, hash FROM events ORDER BY id DESC LIMIT 1`).Scan(&t.lastID, &t.lastHash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		t.chainKnown = true
	}
	ev.ID = t.lastID + 1
	hash := chainHash(t.lastHash, *ev, content)
	_, err := tx.Exec(`INSERT INTO events (id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, hash, content_sha256)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ev.ID, ev.PostID, ev.At.UnixMilli(), ev.Reviewer, ev.KeyFP, ev.Action, ev.ReasonCode, ev.Note, ev.From, ev.To, hash, content)
	if err != nil {
		t.chainKnown = false
		return err
	}
	t.lastID, t.lastHash = ev.ID, hash
	return nil
}
