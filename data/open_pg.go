package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"triage/model"
)

// IsPostgresURL reports whether a --db value names a PostgreSQL database
// (the scheme in any case); anything else is a SQLite path.
func IsPostgresURL(db string) bool {
	scheme, _, ok := strings.Cut(db, "://")
	return ok && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql"))
}

// conninfo matches a libpq keyword=value connection string, which triage
// does not take: as a SQLite path it would make a file named after it,
// password and all.
var conninfo = regexp.MustCompile(`(?i)(^|\s)(host|hostaddr|port|dbname|user|password|sslmode|service)\s*=`)

// errConninfo refuses such a string without repeating it.
var errConninfo = errors.New("looks like a PostgreSQL keyword=value connection string; give a postgres://USER@HOST:PORT/DATABASE URL instead (the password from PGPASSWORD or ~/.pgpass)")

// RedactURL is a PostgreSQL URL fit to print: user, host, port and
// database, never a password or any parameter (which may hold one).
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	out := u.Scheme + "://"
	if u.User != nil {
		out += u.User.Username() + "@"
	}
	return out + u.Host + u.Path
}

// pgPoolSize: one writer, four readers, the listener, and room for COPY.
const pgPoolSize = 8

// openPostgres opens the database at a postgres:// URL: a pgx pool, the
// writer and readers over it, the schema brought up to date.
func openPostgres(raw string, opt Options) (*Store, error) {
	name := RedactURL(raw)
	// pgx knows the scheme only in lower case; in any other it would read
	// the URL as keyword=value settings.
	scheme, rest, _ := strings.Cut(raw, "://")
	raw = strings.ToLower(scheme) + "://" + rest
	cfg, err := pgxpool.ParseConfig(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, pgErrorLine(err))
	}
	cfg.MaxConns = pgPoolSize
	cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	cfg.ConnConfig.RuntimeParams["application_name"] = "triage"
	if opt.ReadOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	// Every connection must make commits durable before they are
	// acknowledged; a role or database set to synchronous_commit=off (or a
	// URL's options) would silently lose acknowledged decisions on a crash.
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		var sc string
		if err := c.QueryRow(ctx, "SHOW synchronous_commit").Scan(&sc); err != nil {
			return err
		}
		if sc == "off" {
			return errSyncCommitOff
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, pgErrorLine(err))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("%s: %s", name, pgErrorLine(err))
	}
	s := &Store{path: name, pg: pool, policy: opt.Policy, now: opt.Now}
	if s.policy == nil {
		s.policy = model.DefaultPolicy()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.r = sql.OpenDB(pgConnector{inner: stdlib.GetPoolConnector(pool)})
	keepReaders(s.r)
	v, err := pgSchemaVersion(ctx, pool)
	if err == nil {
		err = pgCheckVersion(v, opt)
	}
	if err == nil && opt.ReadOnly && v != len(pgMigrations) {
		err = fmt.Errorf("schema version %d needs upgrading to %d, which needs write access; open it writable once", v, len(pgMigrations))
	}
	if err != nil {
		s.r.Close()
		pool.Close()
		return nil, fmt.Errorf("%s: %s", name, pgErrorLine(err))
	}
	if opt.ReadOnly {
		return s, nil
	}
	s.w = sql.OpenDB(pgConnector{inner: stdlib.GetPoolConnector(pool), writer: true})
	s.w.SetMaxOpenConns(1)
	opt.upgrading(v, len(pgMigrations))
	if err := migratePG(s.w, v); err != nil {
		s.w.Close()
		s.r.Close()
		pool.Close()
		return nil, fmt.Errorf("%s: %s", name, pgErrorLine(err))
	}
	s.startCommitter()
	s.startListener()
	return s, nil
}

var errSyncCommitOff = errors.New("synchronous_commit is off for this connection: acknowledged decisions could be lost in a crash; set it on for the role or database (ALTER ROLE … SET synchronous_commit = on)")

// pgCheckVersion refuses a database a newer triage wrote, and a missing one
// unless it may be created.
func pgCheckVersion(v int, opt Options) error {
	switch {
	case v > len(pgMigrations):
		return fmt.Errorf("written by a newer triage (schema version %d; this build knows up to %d); not opened, nothing changed", v, len(pgMigrations))
	case v == 0 && !opt.Create:
		return errors.New("no triage database here (create one with `triage demo` or `triage import`)")
	}
	return nil
}

// pgErrorLine is one line for an error pgx or the server gave: the
// server's message and hint, or the connection failure without the URL
// (which could hold a password).
func pgErrorLine(err error) string {
	if errors.Is(err, errSyncCommitOff) {
		return errSyncCommitOff.Error()
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.Code == "42501" {
			msg = "permission denied: " + msg
		}
		var ce *pgconn.ConnectError
		if errors.As(err, &ce) {
			msg = "cannot connect: " + msg
		}
		return msg
	}
	// A refused connection: its cause, without the settings pgx names
	// (a server's refusal is a PgError, found above through the wrapping).
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		if inner := errors.Unwrap(ce); inner != nil {
			return "cannot connect: " + firstLine(inner.Error())
		}
	}
	var pce *pgconn.ParseConfigError
	if errors.As(err, &pce) {
		return "not a usable PostgreSQL URL"
	}
	return firstLine(err.Error())
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// dedupKey is the post's key for merging re-flags. PostgreSQL's text
// cannot hold the NUL that separates its parts on SQLite, so there the
// separator is U+001F; platform names hold no control characters, so the
// key still splits one way only.
func (s *Store) dedupKey(in *model.Incoming) string {
	if s.pg != nil {
		return strings.ReplaceAll(in.DedupKey(), "\x00", "\x1f")
	}
	return in.DedupKey()
}
