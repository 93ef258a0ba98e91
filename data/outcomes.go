package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"triage/model"
)

// Outcomes a platform can report for a post it was sent.
var outcomeNames = map[string]bool{"removed": true, "restricted": true, "no_action": true, "unreachable": true}

// OutcomeOptions control RecordOutcomes.
type OutcomeOptions struct {
	Name   string // file name for line errors
	Format string // FormatJSONL or FormatCSV
	Report func(LineError)
}

// OutcomeResult counts an outcomes file's rows.
type OutcomeResult struct{ Recorded, Rejected int }

// RecordOutcomes reads what platforms did with posts (platform, url or
// external_id, outcome, at) and records each in one transaction. A row that
// names no known post, or is malformed, is reported by line and skipped.
func (s *Store) RecordOutcomes(ctx context.Context, r io.Reader, opt OutcomeOptions) (OutcomeResult, error) {
	var res OutcomeResult
	src, err := newRecordReader(r, opt.Format)
	if err != nil {
		return res, fmt.Errorf("%s: %w", opt.Name, err)
	}
	now := s.now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for {
			raw, err := src.next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", opt.Name, err)
			}
			if raw.blank {
				continue
			}
			if raw.err == nil {
				raw.err = s.recordOutcome(tx, raw.rec, src.textual(), now)
			}
			if raw.err != nil {
				res.Rejected++
				if opt.Report != nil {
					opt.Report(LineError{Name: opt.Name, Line: raw.line, Err: raw.err})
				}
				continue
			}
			res.Recorded++
		}
	})
	return res, err
}

func (s *Store) recordOutcome(tx *sql.Tx, rec record, textual bool, now time.Time) error {
	f := fieldReader{rec: rec, textual: textual}
	in := model.Incoming{}
	in.Platform = normPlatform(f.str("platform", true))
	in.ExternalID = f.str("external_id", false)
	in.URL = f.str("url", false)
	outcome := f.str("outcome", true)
	at := f.time("at")
	if f.err != nil {
		return f.err
	}
	if !outcomeNames[outcome] {
		return fmt.Errorf("field outcome: %q is not removed, restricted, no_action or unreachable", outcome)
	}
	if in.URL == "" && in.ExternalID == "" {
		return errors.New("missing field: url or external_id")
	}
	if at.IsZero() {
		at = now
	}
	id, err := s.findSentPost(tx, in)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO outcomes (post_id, outcome, at, recorded_at) VALUES (?, ?, ?, ?)`, id, outcome, at.Unix(), now.UnixMilli())
	return err
}

// PlatformStats is what one platform did with the posts it was sent.
type PlatformStats = model.PlatformStats

// Platforms summarises takedowns per platform: posts in sent packets, and the
// latest outcome reported for each.
func (s *Store) Platforms(ctx context.Context) (map[string]PlatformStats, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT p.platform, k.created_at, o.outcome, o.at
		FROM posts p JOIN takedown_packets k ON k.id = p.takedown_packet AND k.state = 'sent'
		LEFT JOIN outcomes o ON o.id = (SELECT max(id) FROM outcomes WHERE post_id = p.id)`)
	if err != nil {
		return nil, fmt.Errorf("platform stats: %w", err)
	}
	defer rows.Close()
	out := map[string]PlatformStats{}
	hours := map[string][]float64{}
	for rows.Next() {
		var platform string
		var sentMs int64
		var outcome sql.NullString
		var at sql.NullInt64
		if err := rows.Scan(&platform, &sentMs, &outcome, &at); err != nil {
			return nil, err
		}
		ps := out[platform]
		ps.Sent++
		if outcome.String == "removed" {
			ps.Removed++
			hours[platform] = append(hours[platform], max(0, float64(at.Int64*1000-sentMs)/3.6e6))
		}
		out[platform] = ps
	}
	for p, ps := range out {
		ps.StillUp = ps.Sent - ps.Removed
		ps.RemovalRate = float64(ps.Removed) / float64(ps.Sent)
		ps.MedianHoursToRemoval = median(hours[p])
		out[p] = ps
	}
	return out, rows.Err()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// findSentPost finds the post an outcome row names: by the platform's own id
// if the row has one, else (or if that finds nothing) by its URL, spelled
// the way import stores URLs, so a URL copied from a packet always matches.
func (s *Store) findSentPost(tx *sql.Tx, in model.Incoming) (int64, error) {
	var id int64
	if in.ExternalID != "" {
		err := tx.QueryRow(`SELECT id FROM posts WHERE dedup_key = ?`, s.dedupKey(&in)).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, err
		}
	}
	if in.URL != "" {
		u, err := normURL(in.URL)
		if err != nil {
			return 0, fmt.Errorf("field url: %v", err)
		}
		err = tx.QueryRow(`SELECT id FROM posts WHERE platform = ? AND url IN (?, ?) AND url <> '' ORDER BY id LIMIT 1`, in.Platform, u, in.URL).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, err
		}
	}
	what := in.ExternalID
	if what == "" {
		what = in.URL
	}
	return 0, fmt.Errorf("no post %q on %q", what, in.Platform)
}
