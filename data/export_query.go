package data

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"triage/model"
)

// ExportFilter selects the decided posts to export.
type ExportFilter struct {
	Status model.Status // "" for every decided status
	Since  time.Time    // decisions at or after; zero for all
}

// Decided is one decided post with the decision in force and its flags.
type Decided struct {
	model.Post
	Decision model.Event
	// ConfirmedBy is the second reviewer who confirmed a four-eyes
	// rejection ("" for every other decision).
	ConfirmedBy string
	Flags       []model.Flag
}

// Export streams every decided post matching f, in post order, to fn, with
// the decision in force: the latest approve, reject, escalate or
// disagreement (which sent a four-eyes rejection to the leads), and the
// confirmer of a confirmed four-eyes rejection. Flags
// are read by a second cursor merged by post id, so an export of a million
// posts is two scans, not a million queries.
func (s *Store) Export(ctx context.Context, f ExportFilter, fn func(Decided) error) (int, error) {
	conds, args := "p.status <> 'pending'", []any{}
	if f.Status != "" {
		conds, args = "p.status = ?", append(args, f.Status)
	}
	if !f.Since.IsZero() {
		// A confirmation decides a four-eyes rejection's fate too: it
		// counts as the time the post was decided.
		conds += ` AND (e.at >= ? OR EXISTS (SELECT 1 FROM events c WHERE c.post_id = p.id AND c.action = 'confirm' AND c.id > e.id AND c.at >= ?))`
		args = append(args, f.Since.UnixMilli(), f.Since.UnixMilli())
	}
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.platform, p.external_id, p.url, p.author, p.author_id, p.language, p.text,
		p.category, p.severity, p.reports, p.posted_at, p.flagged_at, p.source, p.extra, p.status,
		e.id, e.at, e.reviewer, e.key_fp, e.action, e.reason_code, e.note, e.from_status, e.to_status,
		`+confirmerOf+`
		FROM posts p JOIN events e ON e.id = (SELECT max(id) FROM events WHERE post_id = p.id AND action IN ('approve', 'reject', 'escalate', 'disagree'))
		WHERE `+conds+` ORDER BY p.id`, args...)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	defer rows.Close()
	flags, err := s.r.QueryContext(ctx, `SELECT post_id, flagged_at, reason, source, reports, severity FROM flags ORDER BY post_id, id`)
	if err != nil {
		return 0, fmt.Errorf("export flags: %w", err)
	}
	defer flags.Close()
	fc := flagCursor{rows: flags}
	n := 0
	for rows.Next() {
		var d Decided
		var posted sql.NullInt64
		var flagged, at int64
		var extra sql.NullString
		if err := rows.Scan(&d.ID, &d.Platform, &d.ExternalID, &d.URL, &d.Author, &d.AuthorID, &d.Language, &d.Text,
			&d.Category, &d.Severity, &d.Reports, &posted, &flagged, &d.Source, &extra, &d.Status,
			&d.Decision.ID, &at, &d.Decision.Reviewer, &d.Decision.KeyFP, &d.Decision.Action, &d.Decision.ReasonCode,
			&d.Decision.Note, &d.Decision.From, &d.Decision.To, &d.ConfirmedBy); err != nil {
			return n, err
		}
		if posted.Valid {
			d.PostedAt = time.Unix(posted.Int64, 0).UTC()
		}
		d.FlaggedAt = time.Unix(flagged, 0).UTC()
		if extra.Valid {
			d.Extra = []byte(extra.String)
		}
		d.Decision.PostID = d.ID
		d.Decision.At = time.UnixMilli(at).UTC()
		if d.Flags, err = fc.upTo(d.ID); err != nil {
			return n, err
		}
		if err := fn(d); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// flagCursor walks flags ordered by post id alongside the posts.
type flagCursor struct {
	rows    *sql.Rows
	pending *struct {
		post int64
		flag model.Flag
	}
	done bool
}

// upTo returns the flags of post id, skipping those of earlier posts.
func (c *flagCursor) upTo(id int64) ([]model.Flag, error) {
	var out []model.Flag
	for {
		if c.pending == nil {
			if c.done || !c.rows.Next() {
				c.done = true
				return out, c.rows.Err()
			}
			var p struct {
				post int64
				flag model.Flag
			}
			var at int64
			if err := c.rows.Scan(&p.post, &at, &p.flag.Reason, &p.flag.Source, &p.flag.Reports, &p.flag.Severity); err != nil {
				return nil, err
			}
			p.flag.FlaggedAt = time.Unix(at, 0).UTC()
			c.pending = &p
		}
		switch {
		case c.pending.post < id:
			c.pending = nil
		case c.pending.post == id:
			out = append(out, c.pending.flag)
			c.pending = nil
		default:
			return out, nil
		}
	}
}
