package data

import (
	"context"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The store's SQL is written once, with SQLite's ? placeholders. On
// PostgreSQL every statement passes through pgConnector, which numbers the
// placeholders ($1, $2, …) and, for the writer, begins every transaction by
// taking the store's write lock: the same one-writer-at-a-time rule SQLite's
// BEGIN IMMEDIATE gives, across every process and host on the database. The
// lock is a transaction-level advisory lock, so it is held for one bounded
// transaction (an import takes it per batch), never across a whole run.

// writeLockKey is the advisory lock every writing transaction holds.
const writeLockKey = 0x7472696167 // "triag"

// rebindCache maps statements to their numbered form.
var rebindCache sync.Map

// indexedBy is SQLite's index hint, which PostgreSQL's planner does without.
var indexedBy = regexp.MustCompile(`\bINDEXED BY \w+`)

// rebind numbers the ? placeholders of q outside quoted strings,
// identifiers and comments, and drops SQLite's index hints.
func rebind(q string) string {
	if !strings.Contains(q, "?") && !strings.Contains(q, "INDEXED BY") {
		return q
	}
	if v, ok := rebindCache.Load(q); ok {
		return v.(string)
	}
	orig := q
	q = indexedBy.ReplaceAllString(q, "")
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	rebindCache.Store(orig, out)
	return out
}

// pgConnector wraps pgx's database/sql connector.
type pgConnector struct {
	inner  driver.Connector
	writer bool // every transaction takes the write lock
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: conn, writer: c.writer}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn forwards to pgx's connection with placeholders numbered. pgx's
// stdlib connection implements every optional interface used here.
type pgConn struct {
	driver.Conn
	writer bool
}

func (c *pgConn) Prepare(q string) (driver.Stmt, error) { return c.Conn.Prepare(rebind(q)) }

func (c *pgConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, rebind(q))
}

func (c *pgConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, rebind(q), args)
}

func (c *pgConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, rebind(q), args)
}

func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil || !c.writer || opts.ReadOnly {
		return tx, err
	}
	// The same round trip reads synchronous_commit: a setting changed on the
	// server while this connection was open (ALTER SYSTEM and a reload)
	// stops writes here, rather than losing acknowledged ones in a crash.
	rows, err := c.QueryContext(ctx, "SELECT pg_advisory_xact_lock("+strconv.Itoa(writeLockKey)+"), current_setting('synchronous_commit')", nil)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	vals := make([]driver.Value, 2)
	err = rows.Next(vals)
	rows.Close()
	if err == nil && fmt.Sprint(vals[1]) == "off" {
		err = errSyncCommitOff
	}
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}

func (c *pgConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *pgConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *pgConn) CheckNamedValue(v *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(v)
}

// skipLocked ends a claim's row selection: on PostgreSQL, rows another
// transaction is claiming are passed over rather than waited for.
func (s *Store) skipLocked() string {
	if s.pg != nil {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}
