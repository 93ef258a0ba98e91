package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"time"

	"triage/model"
)

// eventBytes is an event's canonical form for the hash chain: a JSON array of
// its fields in a fixed order. An event that binds its post's content (every
// event written from SQLite schema 11 and PostgreSQL schema 5 on) has that
// content's sha256, in hex, as an eleventh element; events written before
// keep the ten-element form, so they verify as they always did. Any change
// to any field changes the bytes.
func eventBytes(ev model.Event, content []byte) []byte {
	f := []any{ev.ID, ev.PostID, ev.At.UnixMilli(), ev.Reviewer, ev.KeyFP, string(ev.Action),
		ev.ReasonCode, ev.Note, string(ev.From), string(ev.To)}
	if content != nil {
		f = append(f, hex.EncodeToString(content))
	}
	b, _ := json.Marshal(f)
	return b
}

// chainHash is sha256(previous hash ‖ canonical bytes of the event). The
// first event chains to 32 zero bytes.
func chainHash(prev []byte, ev model.Event, content []byte) []byte {
	if len(prev) == 0 {
		prev = make([]byte, sha256.Size)
	}
	h := sha256.New()
	h.Write(prev)
	h.Write(eventBytes(ev, content))
	return h.Sum(nil)
}

// postContent is what a decision is made on: the post's evidence columns,
// which triggers keep from changing.
type postContent struct {
	Platform, ExternalID, URL, Author, AuthorID, Text string
	Category                                          string
}

// categoryBound opens the hashed bytes of content that binds the category
// too (every event from SQLite schema 12 and PostgreSQL schema 6 on): eight
// 0xff bytes, a length no field can have, so these bytes never read as the
// older six-field form, and a post's content matches at most one of them.
var categoryBound = []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// sha256 is the hash an event binds now: the marker above, then each
// field in this order as its length (8 bytes, big-endian) and its bytes,
// so no two contents share an encoding and no byte is normalised away.
func (c postContent) sha256() []byte { return c.hash(true) }

// hash is sha256 with the category bound, or the six-field form events
// bound before it was.
func (c postContent) hash(withCategory bool) []byte {
	h := sha256.New()
	f := []string{c.Platform, c.ExternalID, c.URL, c.Author, c.AuthorID, c.Text}
	if withCategory {
		h.Write(categoryBound)
		f = append(f, c.Category)
	}
	var n [8]byte
	for _, f := range f {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return h.Sum(nil)
}

// chainHeadQuery reads the newest event's hash and the number of events.
const chainHeadQuery = `SELECT (SELECT hash FROM events ORDER BY id DESC LIMIT 1), (SELECT count(*) FROM events)`

// ChainHead is the hash of the newest audit event, hex, and how many events
// the chain holds; "" for an empty trail.
func (s *Store) ChainHead(ctx context.Context) (string, int64, error) {
	var h []byte
	var n int64
	err := s.r.QueryRowContext(ctx, chainHeadQuery).Scan(&h, &n)
	return hex.EncodeToString(h), n, err
}

func short(h []byte) string {
	if len(h) == 0 {
		return "(none)"
	}
	return hex.EncodeToString(h)[:16] + "…"
}

// chainExisting hashes every event that has no hash yet, in order: the step
// that follows migration 3 on a database written before the chain existed.
func chainExisting(tx *sql.Tx) error {
	rows, err := tx.Query(`SELECT id, post_id, at, reviewer, key_fp, action, reason_code, note, from_status, to_status, hash FROM events ORDER BY id`)
	if err != nil {
		return err
	}
	type update struct {
		id   int64
		hash []byte
	}
	var updates []update
	var prev []byte
	for rows.Next() {
		var ev model.Event
		var at int64
		var h []byte
		if err := rows.Scan(&ev.ID, &ev.PostID, &at, &ev.Reviewer, &ev.KeyFP, &ev.Action, &ev.ReasonCode, &ev.Note, &ev.From, &ev.To, &h); err != nil {
			rows.Close()
			return err
		}
		ev.At = time.UnixMilli(at).UTC()
		if h == nil {
			h = chainHash(prev, ev, nil) // written before content was bound
			updates = append(updates, update{ev.ID, h})
		}
		prev = h
	}
	rows.Close()
	if len(updates) == 0 {
		return nil
	}
	// The append-only trigger is lifted for this one backfill, inside the
	// migration's transaction, and restored before it commits.
	if _, err := tx.Exec(`DROP TRIGGER IF EXISTS events_append_only_update`); err != nil {
		return err
	}
	for _, u := range updates {
		if _, err := tx.Exec(`UPDATE events SET hash = ? WHERE id = ?`, u.hash, u.id); err != nil {
			return err
		}
	}
	_, err = tx.Exec(`CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END`)
	return err
}
