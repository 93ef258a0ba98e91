package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"triage/model"
)

// Page reads one page of a queue with keyset paging: every page is an index
// seek and a short range scan, whatever the queue's size.
func (s *Store) Page(ctx context.Context, q model.PageQuery) ([]model.Item, error) {
	if q.Limit <= 0 {
		return nil, nil
	}
	now := s.now()
	switch q.Queue {
	case model.QueuePending:
		return s.postPage(ctx, q, pendingFrom, []any{q.Actor.Session, heldSince(now)})
	case model.QueueLeads:
		if err := s.mustBeLead(q.Actor.Reviewer, "the leads' queue"); err != nil {
			return nil, err
		}
		return s.postPage(ctx, q, escalatedFrom, nil)
	case model.QueueMine:
		return s.minePage(ctx, q)
	case model.QueueSearch:
		return s.searchPage(ctx, q)
	case model.QueueConfirm:
		return s.confirmPage(ctx, q)
	}
	return nil, fmt.Errorf("unknown queue %q", q.Queue)
}

func (s *Store) mustBeLead(reviewer, what string) error {
	role, err := roleOf(s.r, reviewer)
	if err != nil {
		return err
	}
	if role != model.RoleLead {
		return fmt.Errorf("%s: %w: %s is not a lead", what, ErrForbidden, reviewer)
	}
	return nil
}

// List rows load only the first 240 characters of a post's text, and the
// size of the post's near-duplicate cluster. %s is the sort key.
const rowCols = `SELECT %s, p.id, p.platform, p.category, p.severity, p.reports, p.flagged_at, p.status,
	substr(p.text, 1, 240), coalesce(p.cluster, 0), coalesce(c.posts, 1) `

// A session's pending list is the posts it holds a live lease on.
const pendingFrom = `FROM posts p INDEXED BY posts_leased LEFT JOIN clusters c ON c.id = p.cluster
	WHERE p.status = 'pending' AND p.lease_owner = ? AND p.lease_until >= ?`

const escalatedFrom = `FROM posts p INDEXED BY posts_escalated LEFT JOIN clusters c ON c.id = p.cluster
	WHERE p.status = 'escalated'`

// postPage reads a page of posts in queue order, (key, id) descending, with
// keyset conditions on row values so each page is one index range. The key
// is the priority, or the age in the breach view.
func (s *Store) postPage(ctx context.Context, q model.PageQuery, from string, args []any) ([]model.Item, error) {
	k := orderKey(q.Filter, "p.")
	cond, fargs := s.filterSQL(q.Filter, "p.", s.now())
	base := fmt.Sprintf(rowCols, k) + from + cond
	args = append(args, fargs...)
	tail, kargs, reverse := keyset(q.Dir, []string{k, "p.id"}, []any{q.Key.Order, q.Key.Tie})
	query, args := base+tail, append(args, kargs...)
	rows, err := s.r.QueryContext(ctx, query, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("%s page: %w", q.Queue, err)
	}
	return scanItems(rows, reverse)
}

// scanItems reads rowCols rows.
func scanItems(rows *sql.Rows, reverse bool) ([]model.Item, error) {
	defer rows.Close()
	var out []model.Item
	for rows.Next() {
		var it model.Item
		var flagged int64
		if err := rows.Scan(&it.Key.Order, &it.Key.Tie, &it.Platform, &it.Category, &it.Severity, &it.Reports,
			&flagged, &it.Status, &it.Snippet, &it.Cluster, &it.ClusterSize); err != nil {
			return nil, err
		}
		it.PostID = it.Key.Tie
		it.FlaggedAt = time.Unix(flagged, 0).UTC()
		out = append(out, it)
	}
	if reverse {
		slices.Reverse(out)
	}
	return out, rows.Err()
}

// A reviewer's own decisions, with what ended each one: the first change
// to the post after it (an undo, a lead's decision on an escalation, a
// return, a retraction) and who made it. Every row is a post the reviewer
// decided, so its text is theirs to read. The first parameter (the role) is
// kept for the query's shape.
const mineCols = `SELECT e.id, e.post_id, e.at, e.action, e.reason_code, e.note, e.from_status, e.to_status,
	p.platform, p.category, p.severity, p.reports, p.flagged_at, p.status,
	CASE WHEN CAST(? AS TEXT) IS NULL THEN '' ELSE substr(p.text, 1, 240) END,
	coalesce(p.cluster, 0), coalesce(c.posts, 1),
	coalesce((SELECT l.action || ' ' || l.reviewer FROM events l WHERE l.post_id = e.post_id AND l.id > e.id AND l.action NOT IN ('note', 'qa')
		ORDER BY l.id LIMIT 1), '')
	FROM events e JOIN posts p ON p.id = e.post_id LEFT JOIN clusters c ON c.id = p.cluster
	WHERE e.reviewer = ? AND e.action IN ('approve', 'reject', 'escalate', 'return', 'confirm', 'disagree', 'qa')`

func (s *Store) minePage(ctx context.Context, q model.PageQuery) ([]model.Item, error) {
	role, err := roleOf(s.r, q.Actor.Reviewer)
	if err != nil {
		return nil, err
	}
	cond, fargs := s.filterSQL(q.Filter, "p.", s.now())
	tail, kargs, reverse := keyset(q.Dir, []string{"e.id"}, []any{q.Key.Order})
	query := mineCols + cond + tail
	args := append(append([]any{role, q.Actor.Reviewer}, fargs...), kargs...)
	rows, err := s.r.QueryContext(ctx, query, append(args, q.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("decisions page: %w", err)
	}
	defer rows.Close()
	var out []model.Item
	for rows.Next() {
		var it model.Item
		var ev model.Event
		var at, flagged int64
		var later string
		if err := rows.Scan(&ev.ID, &ev.PostID, &at, &ev.Action, &ev.ReasonCode, &ev.Note, &ev.From, &ev.To,
			&it.Platform, &it.Category, &it.Severity, &it.Reports, &flagged, &it.Status, &it.Snippet,
			&it.Cluster, &it.ClusterSize, &later); err != nil {
			return nil, err
		}
		if later != "" {
			a, by, _ := strings.Cut(later, " ")
			it.Later = &model.Change{Action: model.Action(a), By: by}
		}
		ev.At = time.UnixMilli(at).UTC()
		ev.Reviewer = q.Actor.Reviewer
		it.Key = model.Key{Order: ev.ID}
		it.PostID = ev.PostID
		it.FlaggedAt = time.Unix(flagged, 0).UTC()
		it.Event = &ev
		out = append(out, it)
	}
	if reverse {
		slices.Reverse(out)
	}
	return out, rows.Err()
}

// Counts reads the trigger-kept counters: no scan of the posts table.
func (s *Store) Counts(ctx context.Context) (model.Counts, error) {
	c := model.Counts{ByStatus: map[model.Status]int{}, PendingByCategory: map[string]int{}}
	rows, err := s.r.QueryContext(ctx, `SELECT status, category, n FROM counts WHERE n > 0`)
	if err != nil {
		return c, fmt.Errorf("counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st model.Status
		var cat string
		var n int
		if err := rows.Scan(&st, &cat, &n); err != nil {
			return c, err
		}
		c.ByStatus[st] += n
		if st == model.StatusPending {
			c.PendingByCategory[cat] = n
		}
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	// Leases are few (a batch per session) and indexed: counting the live
	// ones reads only those rows.
	err = s.r.QueryRowContext(ctx, `SELECT count(*) FROM posts INDEXED BY posts_leased
		WHERE lease_owner IS NOT NULL AND status = 'pending' AND lease_until >= ?`, heldSince(s.now())).Scan(&c.Held)
	return c, err
}

// CountMatching counts the pending posts that pass f, up to limit (a broad
// filter over a large queue is not counted to the end: the header says
// "limit+"). The zero filter is answered by the counters.
func (s *Store) CountMatching(ctx context.Context, f model.Filter, limit int) (int, error) {
	now := s.now()
	cond, args := s.filterSQL(f, "", now)
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM posts INDEXED BY posts_queue
		WHERE status = 'pending'`+cond+` LIMIT ?)`, append(args, limit)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// Post reads one post with its flags and audit trail, for the actor: an
// escalated post is shown to leads, and to the reviewer who escalated it
// (read-only: deciding it stays the leads'), so they see what became of it.
func (s *Store) Post(ctx context.Context, a model.Actor, id int64) (model.PostDetail, error) {
	d, err := s.post(ctx, id, a.Reviewer)
	if err == nil && d.Status != model.StatusPending {
		err = s.blindfold(ctx, a.Reviewer, []int64{d.ID}, func(int64) {
			d.Status, d.Events, d.Blind = "", nil, true
		})
	}
	if err != nil || d.Status != model.StatusEscalated {
		return d, err
	}
	role, err := roleOf(s.r, a.Reviewer)
	if err != nil {
		return model.PostDetail{}, err
	}
	if role == model.RoleLead {
		return d, nil
	}
	for _, ev := range d.Events {
		// Whoever sent it to the leads, by escalating or by a four-eyes
		// rejection that another reviewer disagreed with.
		if ev.Reviewer == a.Reviewer && (ev.Action == model.ActionEscalate || ev.Action == model.ActionDisagree ||
			ev.Action == model.ActionReject && ev.To == model.StatusAwaiting) {
			return d, nil
		}
	}
	return model.PostDetail{}, fmt.Errorf("post %d: %w: it is escalated, and only leads can see it", id, ErrForbidden)
}

// PostRecord is the post as stored, with its whole trail, for an operator
// or an auditor's tools: no reader's view (blind checks, the leads' posts)
// applies. The console reads posts with Post.
func (s *Store) PostRecord(ctx context.Context, id int64) (model.PostDetail, error) {
	return s.post(ctx, id, "")
}

// post reads the post for reader ("": as stored); the author's other
// posts are counted as reader may see them (authorPosts).
func (s *Store) post(ctx context.Context, id int64, reader string) (model.PostDetail, error) {
	var d model.PostDetail
	var posted sql.NullInt64
	var flagged int64
	var extra sql.NullString
	err := s.r.QueryRowContext(ctx, `SELECT id, platform, external_id, url, author, author_id, language, text,
		category, severity, reports, posted_at, flagged_at, source, extra, status, prio, coalesce(cluster, 0)
		FROM posts WHERE id = ?`, id).
		Scan(&d.ID, &d.Platform, &d.ExternalID, &d.URL, &d.Author, &d.AuthorID, &d.Language, &d.Text,
			&d.Category, &d.Severity, &d.Reports, &posted, &flagged, &d.Source, &extra, &d.Status, &d.Priority, &d.Cluster.ID)
	if err != nil {
		return d, fmt.Errorf("post %d: %w", id, err)
	}
	if posted.Valid {
		d.PostedAt = time.Unix(posted.Int64, 0).UTC()
	}
	d.FlaggedAt = time.Unix(flagged, 0).UTC()
	if extra.Valid {
		d.Extra = []byte(extra.String)
	}
	frows, err := s.r.QueryContext(ctx, `SELECT flagged_at, reason, source, reports, severity FROM flags WHERE post_id = ? ORDER BY id`, id)
	if err != nil {
		return d, fmt.Errorf("post %d flags: %w", id, err)
	}
	defer frows.Close()
	for frows.Next() {
		var f model.Flag
		var at int64
		if err := frows.Scan(&at, &f.Reason, &f.Source, &f.Reports, &f.Severity); err != nil {
			return d, err
		}
		f.FlaggedAt = time.Unix(at, 0).UTC()
		d.Flags = append(d.Flags, f)
	}
	if err := frows.Err(); err != nil {
		return d, err
	}
	if d.Events, err = s.events(ctx, id); err != nil {
		return d, err
	}
	if d.Claims, err = s.claims(ctx, id); err != nil {
		return d, err
	}
	if d.Cluster, err = s.ClusterInfo(ctx, d.Cluster.ID); err != nil {
		return d, err
	}
	d.AuthorPosts, err = s.authorPosts(ctx, d.Post, reader)
	return d, err
}

func (s *Store) claims(ctx context.Context, postID int64) ([]model.Claim, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT at, reviewer, session FROM claims WHERE post_id = ? ORDER BY id`, postID)
	if err != nil {
		return nil, fmt.Errorf("post %d claims: %w", postID, err)
	}
	defer rows.Close()
	var out []model.Claim
	for rows.Next() {
		var c model.Claim
		var at int64
		if err := rows.Scan(&at, &c.Reviewer, &c.Session); err != nil {
			return nil, err
		}
		c.At = time.UnixMilli(at).UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// authorPosts counts the author's other posts by status, off the
// (platform, author_id) index; for a reader (not ""), without the posts
// under an open blind check of a decision they did not make.
func (s *Store) authorPosts(ctx context.Context, p model.Post, reader string) (map[model.Status]int, error) {
	if p.AuthorID == "" {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT status, count(*) FROM posts p WHERE platform = ? AND author_id = ? AND id <> ?
		AND (? = '' OR status = 'pending' OR NOT EXISTS (SELECT 1 FROM second_looks l WHERE l.post_id = p.id AND l.done_event IS NULL
			AND l.kind = 'qa' AND l.first_reviewer <> ?))
		GROUP BY status`, p.Platform, p.AuthorID, p.ID, reader, reader)
	if err != nil {
		return nil, fmt.Errorf("post %d author: %w", p.ID, err)
	}
	defer rows.Close()
	out := map[model.Status]int{}
	for rows.Next() {
		var st model.Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

func (s *Store) events(ctx context.Context, postID int64) ([]model.Event, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status
		FROM events WHERE post_id = ? ORDER BY id`, postID)
	if err != nil {
		return nil, fmt.Errorf("post %d events: %w", postID, err)
	}
	defer rows.Close()
	var out []model.Event
	for rows.Next() {
		ev := model.Event{PostID: postID}
		var at int64
		if err := rows.Scan(&ev.ID, &at, &ev.Reviewer, &ev.KeyFP, &ev.Action, &ev.ReasonCode, &ev.Note, &ev.From, &ev.To); err != nil {
			return nil, err
		}
		ev.At = time.UnixMilli(at).UTC()
		out = append(out, ev)
	}
	return out, rows.Err()
}
