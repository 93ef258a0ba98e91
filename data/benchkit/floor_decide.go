package benchkit

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	_ "github.com/mattn/go-sqlite3" // the floor uses the same driver as the store
)

// BareQueue is the floor for decide-and-advance: a table of the same number
// of pending rows, ordered by the same kind of partial index, and one
// durable transaction (WAL, synchronous=FULL, BEGIN IMMEDIATE) that decides
// the current row, appends a hash-chained audit row and claims the next —
// what the store does for a decision, with nothing else.
type BareQueue struct {
	db      *sql.DB
	current int64
	head    string
}

// NewBareQueue creates path with pending rows and claims the first.
func NewBareQueue(path string, pending int) (*BareQueue, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=FULL&_txlock=immediate&_busy_timeout=5000")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`
		CREATE TABLE q (id INTEGER PRIMARY KEY, prio INTEGER NOT NULL, status TEXT NOT NULL,
			lease_owner TEXT, lease_until INTEGER);
		CREATE INDEX q_pending ON q (prio DESC, id DESC) WHERE status = 'pending';
		CREATE TABLE audit (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL, at INTEGER NOT NULL,
			action TEXT NOT NULL, hash TEXT NOT NULL);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO q (id, prio, status) SELECT i, (i * 7919) % 1000, 'pending' FROM n;`, pending)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("bare queue: %w", err)
	}
	q := &BareQueue{db: db, head: "genesis"}
	tx, err := db.Begin()
	if err == nil {
		q.current, err = claimNext(tx)
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("bare queue: %w", err)
	}
	return q, nil
}

// DecideNext approves the claimed row and claims the next, in one durable
// transaction.
func (q *BareQueue) DecideNext() error {
	if q.current == 0 {
		return fmt.Errorf("bare queue: empty")
	}
	tx, err := q.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UnixMilli()
	if _, err := tx.Exec(`UPDATE q SET status = 'approved', lease_owner = NULL WHERE id = ?`, q.current); err != nil {
		return err
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%d|%d|approve", q.head, q.current, now))
	head := hex.EncodeToString(sum[:])
	if _, err := tx.Exec(`INSERT INTO audit (post_id, at, action, hash) VALUES (?, ?, 'approve', ?)`, q.current, now, head); err != nil {
		return err
	}
	next, err := claimNext(tx)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	q.current, q.head = next, head
	return nil
}

func claimNext(tx *sql.Tx) (int64, error) {
	var id int64
	err := tx.QueryRow(`SELECT id FROM q WHERE status = 'pending' AND lease_owner IS NULL ORDER BY prio DESC, id DESC LIMIT 1`).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	_, err = tx.Exec(`UPDATE q SET lease_owner = 'bench', lease_until = ? WHERE id = ?`, time.Now().Add(time.Hour).UnixMilli(), id)
	return id, err
}

// Close closes the database.
func (q *BareQueue) Close() error { return q.db.Close() }
