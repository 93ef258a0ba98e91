package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"triage/model"
)

// A reviewer's own settings live with the reviewer, so they follow them to
// any server on the database. Category exclusions are kept apart: the
// claim reads them (notExcluded), so no console, old or new, can claim
// around them.

// notExcluded keeps a session's reviewer away from the categories a lead
// excluded for them. Its one parameter is the session id.
const notExcluded = ` AND category NOT IN (SELECT category FROM reviewer_exclusions
	WHERE reviewer = (SELECT reviewer FROM sessions WHERE id = ?))`

// ReviewerSettings reads a registered reviewer's settings and exclusions;
// for a name with no reviewer record it returns ErrUnknownReviewer (a local
// user keeps theirs in a config file).
func (s *Store) ReviewerSettings(ctx context.Context, name string) (model.Settings, error) {
	var out model.Settings
	if err := knownReviewer(s.r, name); err != nil {
		return out, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT name, value FROM reviewer_settings WHERE reviewer = ? ORDER BY name`, name)
	if err != nil {
		return out, fmt.Errorf("settings of %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return out, err
		}
		if err := out.Set(k, v); err != nil {
			continue // a setting a newer build wrote: ignored, kept in the table
		}
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Exclude, err = s.Exclusions(ctx, name)
	return out, err
}

// Exclusions are the categories kept away from a reviewer, in name order.
func (s *Store) Exclusions(ctx context.Context, name string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT category FROM reviewer_exclusions WHERE reviewer = ? ORDER BY category`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveSettings changes some of a registered reviewer's settings, logged as
// done by by: each pair sets one (an empty value clears it), and only
// those: a console changing the theme leaves what another console or
// `reviewer set` stored meanwhile, and settings a newer build wrote, as
// they are. The pair exclude=… replaces the categories kept away from the
// reviewer (a lead's act, from the command line; the console never sends
// it), and posts of those categories the reviewer holds go back to the
// queue at once. One transaction: a refusal changes nothing.
func (s *Store) SaveSettings(ctx context.Context, by, name string, changes [][2]string) error {
	var exclude []string
	excluding := false
	for _, c := range changes {
		if c[0] != model.SettingExclude {
			continue
		}
		var set model.Settings
		if err := set.Set(c[0], c[1]); err != nil {
			return err
		}
		for _, cat := range set.Exclude {
			if _, ok := s.policy.Category(cat); !ok {
				return fmt.Errorf("exclude: no category %q in the policy", cat)
			}
		}
		exclude, excluding = set.Exclude, true
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := knownReviewer(tx, name); err != nil {
			return err
		}
		var logged []string
		for _, c := range changes {
			if c[0] == model.SettingExclude {
				continue
			}
			if _, err := tx.Exec(`DELETE FROM reviewer_settings WHERE reviewer = ? AND name = ?`, name, c[0]); err != nil {
				return err
			}
			if c[1] != "" {
				if _, err := tx.Exec(`INSERT INTO reviewer_settings (reviewer, name, value) VALUES (?, ?, ?)`, name, c[0], c[1]); err != nil {
					return err
				}
			}
			logged = append(logged, c[0]+"="+c[1])
		}
		if len(logged) > 0 {
			if err := s.logSettings(tx, by, "settings", name, strings.Join(logged, " ")); err != nil {
				return err
			}
		}
		if !excluding {
			return nil
		}
		return s.setExclusions(tx, by, name, exclude)
	})
}

func (s *Store) setExclusions(tx *sql.Tx, by, name string, categories []string) error {
	if _, err := tx.Exec(`DELETE FROM reviewer_exclusions WHERE reviewer = ?`, name); err != nil {
		return err
	}
	for _, c := range categories {
		if _, err := tx.Exec(`INSERT INTO reviewer_exclusions (reviewer, category) VALUES (?, ?)`, name, c); err != nil {
			return err
		}
	}
	if len(categories) > 0 {
		if _, err := tx.Exec(`UPDATE posts SET lease_owner = NULL, lease_until = NULL
			WHERE status = 'pending' AND lease_owner IN (SELECT id FROM sessions WHERE reviewer = ?)
			AND category IN (SELECT category FROM reviewer_exclusions WHERE reviewer = ?)`, name, name); err != nil {
			return err
		}
	}
	return s.logSettings(tx, by, "exclude", name, strings.Join(categories, ","))
}

// logSettings records who changed a reviewer's settings, in the change's
// transaction.
func (s *Store) logSettings(tx *sql.Tx, by, action, name, detail string) error {
	_, err := tx.Exec(`INSERT INTO settings_log (at, actor, action, reviewer, detail) VALUES (?, ?, ?, ?, ?)`,
		s.now().UnixMilli(), by, action, name, detail)
	return err
}

// knownReviewer fails with ErrUnknownReviewer for a name not on the roster.
func knownReviewer(q interface {
	QueryRow(string, ...any) *sql.Row
}, name string) error {
	var n int
	if err := q.QueryRow(`SELECT count(*) FROM reviewers WHERE name = ? AND removed_at IS NULL`, name).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: %s", ErrUnknownReviewer, name)
	}
	return nil
}

// RecordExposure adds to what reviewer read on the UTC day of at.
func (s *Store) RecordExposure(ctx context.Context, reviewer string, at time.Time, reveals, seconds int) error {
	if reveals <= 0 && seconds <= 0 {
		return nil
	}
	_, err := s.exec(ctx, `INSERT INTO exposure (reviewer, day, reveals, seconds) VALUES (?, ?, ?, ?)
		ON CONFLICT (reviewer, day) DO UPDATE SET reveals = exposure.reveals + excluded.reveals, seconds = exposure.seconds + excluded.seconds`,
		reviewer, at.UTC().Format(time.DateOnly), max(0, reveals), max(0, seconds))
	if err != nil {
		return fmt.Errorf("record exposure: %w", err)
	}
	return nil
}

// exposure is the last model.ExposureDays days of exposure, newest first.
func (s *Store) exposure(ctx context.Context, now time.Time) ([]model.Exposure, error) {
	since := now.UTC().AddDate(0, 0, -(model.ExposureDays - 1)).Format(time.DateOnly)
	rows, err := s.r.QueryContext(ctx, `SELECT reviewer, day, reveals, seconds FROM exposure WHERE day >= ? ORDER BY day DESC, reviewer`, since)
	if err != nil {
		return nil, fmt.Errorf("exposure: %w", err)
	}
	defer rows.Close()
	var out []model.Exposure
	for rows.Next() {
		var e model.Exposure
		var secs int
		if err := rows.Scan(&e.Reviewer, &e.Day, &e.Reveals, &secs); err != nil {
			return nil, err
		}
		e.Minutes = secs / 60
		out = append(out, e)
	}
	return out, rows.Err()
}
