package data

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"triage/model"
)

// ErrUnknownReviewer is returned for a name or key no reviewer has.
var ErrUnknownReviewer = errors.New("no such reviewer")

// PublicKey is a parsed SSH public key with its OpenSSH fingerprint.
type PublicKey struct {
	Fingerprint string // SHA256:…
	Authorized  string // the authorized_keys line, without comment
}

// ParsePublicKeys reads one or more keys in authorized_keys form (comments
// and blank lines allowed); where names the source in errors. A line with
// key options (from=, command=, no-pty, …) is refused: the server does not
// enforce them, and dropping them silently would widen what the key may do.
func ParsePublicKeys(where string, text []byte) ([]PublicKey, error) {
	var out []PublicKey
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(nil, 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, _, options, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not an SSH public key: %v", where, n, err)
		}
		if len(options) > 0 {
			return nil, fmt.Errorf("%s:%d: key options (from=, command=, …) are not supported; give the bare key \"%s AAAA… comment\"",
				where, n, key.Type())
		}
		out = append(out, PublicKey{
			Fingerprint: gossh.FingerprintSHA256(key),
			Authorized:  strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key))),
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no public key found", where)
	}
	return out, nil
}

// AddReviewer registers a reviewer with keys, or adds keys to an existing
// one (whose role must match). A key that belongs to someone else is refused,
// and nothing is written unless everything is valid.
func (s *Store) AddReviewer(ctx context.Context, name string, role model.Role, keys []PublicKey) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return addReviewer(tx, name, role, keys, s.now().UnixMilli()) })
}

func addReviewer(tx *sql.Tx, name string, role model.Role, keys []PublicKey, now int64) error {
	var id int64
	var have model.Role
	var removed sql.NullInt64
	err := tx.QueryRow(`SELECT id, role, removed_at FROM reviewers WHERE name = ?`, name).Scan(&id, &have, &removed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.QueryRow(`INSERT INTO reviewers (name, role, created_at) VALUES (?, ?, ?) RETURNING id`, name, role, now).Scan(&id); err != nil {
			return fmt.Errorf("add reviewer %s: %w", name, err)
		}
	case err != nil:
		return err
	case removed.Valid:
		return fmt.Errorf("reviewer %s was removed; the name stays with their past decisions and cannot be reused", name)
	case have != role:
		return fmt.Errorf("reviewer %s is a %s; adding keys does not change a role", name, have)
	}
	for _, k := range keys {
		var owner string
		err := tx.QueryRow(`SELECT r.name FROM reviewer_keys k JOIN reviewers r ON r.id = k.reviewer_id WHERE k.fingerprint = ?`, k.Fingerprint).Scan(&owner)
		switch {
		case err == nil && owner == name:
			continue // already theirs
		case err == nil:
			return fmt.Errorf("key %s already belongs to reviewer %s", k.Fingerprint, owner)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		if _, err := tx.Exec(`INSERT INTO reviewer_keys (fingerprint, reviewer_id, public_key, added_at) VALUES (?, ?, ?, ?)`,
			k.Fingerprint, id, k.Authorized, now); err != nil {
			return fmt.Errorf("add key %s: %w", k.Fingerprint, err)
		}
	}
	return nil
}

// SetReviewerEnabled enables or disables a reviewer. A disabled reviewer's
// keys no longer open a session, and live sessions notice within seconds.
func (s *Store) SetReviewerEnabled(ctx context.Context, name string, enabled bool) error {
	n, err := s.exec(ctx, `UPDATE reviewers SET enabled = ? WHERE name = ?`, sqlBool(enabled), name)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: %s", ErrUnknownReviewer, name)
	}
	return nil
}

// Reviewers lists every reviewer with their key fingerprints, by name.
func (s *Store) Reviewers(ctx context.Context) ([]model.Reviewer, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.name, r.role, r.enabled, r.last_seen, coalesce(k.fingerprint, '')
		FROM reviewers r LEFT JOIN reviewer_keys k ON k.reviewer_id = r.id WHERE r.removed_at IS NULL
		ORDER BY r.name, k.added_at, k.fingerprint`)
	if err != nil {
		return nil, fmt.Errorf("reviewers: %w", err)
	}
	defer rows.Close()
	var out []model.Reviewer
	for rows.Next() {
		var r model.Reviewer
		var seen sql.NullInt64
		var fp string
		if err := rows.Scan(&r.Name, &r.Role, &r.Enabled, &seen, &fp); err != nil {
			return nil, err
		}
		if seen.Valid {
			r.LastSeen = time.UnixMilli(seen.Int64).UTC()
		}
		if n := len(out); n > 0 && out[n-1].Name == r.Name {
			out[n-1].Keys = append(out[n-1].Keys, fp)
			continue
		}
		r.Keys = []string{}
		if fp != "" {
			r.Keys = append(r.Keys, fp)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReviewerByKey returns the reviewer a key fingerprint belongs to, enabled
// or not. It is what the SSH server asks, twice: when a key is offered, and
// again once the handshake has proved the key.
func (s *Store) ReviewerByKey(ctx context.Context, fingerprint string) (model.Reviewer, error) {
	var r model.Reviewer
	err := s.r.QueryRowContext(ctx, `SELECT r.name, r.role, r.enabled FROM reviewer_keys k JOIN reviewers r ON r.id = k.reviewer_id
		WHERE k.fingerprint = ?`, fingerprint).Scan(&r.Name, &r.Role, &r.Enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("%w with key %s", ErrUnknownReviewer, fingerprint)
	}
	return r, err
}

// ReviewerEnabled reports whether name may work now: registered reviewers
// while enabled, unregistered (local) names always.
func (s *Store) ReviewerEnabled(ctx context.Context, name string) (bool, error) {
	var enabled bool
	err := s.r.QueryRowContext(ctx, `SELECT enabled FROM reviewers WHERE name = ?`, name).Scan(&enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	return enabled, err
}

// Role is the role the store grants name (see roleOf).
func (s *Store) Role(ctx context.Context, name string) (model.Role, error) {
	return roleOf(s.r, name)
}
