package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"triage/model"
)

// What operators do to reviewers is recorded in the append-only admin log,
// in the same transaction as the change, with who did it (local:ACCOUNT).

// AddReviewerBy is AddReviewer, logged.
func (s *Store) AddReviewerBy(ctx context.Context, by, name string, role model.Role, keys []PublicKey) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := addReviewer(tx, name, role, keys, s.now().UnixMilli()); err != nil {
			return err
		}
		fps := make([]string, len(keys))
		for i, k := range keys {
			fps[i] = k.Fingerprint
		}
		return s.logAdmin(tx, by, "reviewer-add", name, string(role)+" "+strings.Join(fps, " "))
	})
}

// SetReviewerEnabledBy is SetReviewerEnabled, logged.
func (s *Store) SetReviewerEnabledBy(ctx context.Context, by, name string, enabled bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE reviewers SET enabled = ? WHERE name = ? AND removed_at IS NULL`, sqlBool(enabled), name)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s", ErrUnknownReviewer, name)
		}
		action := "reviewer-disable"
		if enabled {
			action = "reviewer-enable"
		}
		return s.logAdmin(tx, by, action, name, "")
	})
}

// RemoveReviewer takes a reviewer off the roster: their keys are deleted
// and they can never act again, but the row stays, so every audit event and
// claim that names them still names a known person, and the name cannot be
// given to someone else. Their open sessions notice within seconds.
func (s *Store) RemoveReviewer(ctx context.Context, by, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRow(`SELECT id FROM reviewers WHERE name = ? AND removed_at IS NULL`, name).Scan(&id); err != nil {
			if err == sql.ErrNoRows {
				return fmt.Errorf("%w: %s", ErrUnknownReviewer, name)
			}
			return err
		}
		rows, err := tx.Query(`SELECT fingerprint FROM reviewer_keys WHERE reviewer_id = ?`, id)
		if err != nil {
			return err
		}
		var fps []string
		for rows.Next() {
			var fp string
			if err := rows.Scan(&fp); err != nil {
				rows.Close()
				return err
			}
			fps = append(fps, fp)
		}
		rows.Close()
		if _, err := tx.Exec(`DELETE FROM reviewer_keys WHERE reviewer_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE reviewers SET enabled = 0, removed_at = ? WHERE id = ?`, s.now().UnixMilli(), id); err != nil {
			return err
		}
		return s.logAdmin(tx, by, "reviewer-remove", name, "keys "+strings.Join(fps, " "))
	})
}

func (s *Store) logAdmin(tx *sql.Tx, by, action, name, detail string) error {
	_, err := tx.Exec(`INSERT INTO admin_log (at, actor, action, name, detail) VALUES (?, ?, ?, ?, ?)`,
		s.now().UnixMilli(), by, action, name, detail)
	return err
}
