// Package data is triage's store: opening and migrating the database,
// queue operations, import and the demo generator. A --db value that is a
// postgres:// URL opens PostgreSQL (open_pg.go), anything else a SQLite
// file; the behaviour is this package's, written once, and the backends
// differ only in their SQL and connections.
package data

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	sqlite3 "github.com/mattn/go-sqlite3"

	"triage/model"
)

// Store is an open triage database: one writer connection and a read-only pool.
type Store struct {
	path   string        // the SQLite file, or the PostgreSQL URL without its password
	pg     *pgxpool.Pool // PostgreSQL's connections; nil on SQLite
	w      *sql.DB       // the single writer; BEGIN IMMEDIATE (SQLite) or the write lock (PostgreSQL)
	r      *sql.DB       // read-only pool for lists and pages
	policy *model.Policy
	now    func() time.Time

	stopCkpt, ckptDone chan struct{}      // the background checkpointer
	ckptErr            chan error         // the checkpointer's last word: its final checkpoint's error, if any
	ckptNow            chan chan struct{} // a catch-up request (catchUpWAL), answered by closing it
	closeMu            sync.RWMutex       // guards closed against writes.Add racing Close's Wait
	closed             bool
	writes             sync.WaitGroup // commits in flight; Close waits for them
	waiting            atomic.Int32   // writers of this store waiting to begin; an import gives way to them
	decisions          chan decideReq // to the group committer
	committerDone      chan struct{}

	spread spreadCache // how far each cluster has spread, by cluster size
	seed   qaSeedCache // the QA sample's seed, read once

	feed       changeFeed // signals changes made elsewhere (PostgreSQL)
	stopListen context.CancelFunc
	listenDone chan struct{}
}

// Options controls Open.
type Options struct {
	// Create allows Open to create a missing database file. Commands that only
	// read or review refuse a missing file instead of silently making an empty one.
	Create bool
	// Policy validates categories and reason codes; nil means model.DefaultPolicy().
	Policy *model.Policy
	// Now is the clock; nil means time.Now. Tests and the demo fix it.
	Now func() time.Time
	// ReadOnly opens for reading only (verify and check on a copy an auditor
	// may not write): nothing is migrated, every write returns ErrReadOnly.
	ReadOnly bool
	// Upgrading, when set, is told before an existing database is brought
	// from an older schema version to this build's: a step may rebuild an
	// index, and on a large database the open then takes a while.
	Upgrading func(from, to int)
}

// upgrading tells Upgrading, if set, that an existing database at schema
// version from is about to be brought to to.
func (o Options) upgrading(from, to int) {
	if from > 0 && from < to && o.Upgrading != nil {
		o.Upgrading(from, to)
	}
}

// ErrReadOnly is a write to a store opened read-only.
var ErrReadOnly = errors.New("the database was opened read-only")

// writerParams is the writer DSN the design rules give: durable (FULL), WAL, FKs, and
// BEGIN IMMEDIATE so a write transaction never upgrades from a read lock.
// The busy timeout is 0: writes wait for the lock in Go (see busy.go), which
// is fair to a writer waiting behind an import; SQLite's handler is not.
const writerParams = "_journal_mode=WAL&_synchronous=FULL&_foreign_keys=on&_busy_timeout=0&_txlock=immediate&_cache_size=-65536&" + stmtCache

// readerParams opens the read-only pool.
const readerParams = "mode=ro&_foreign_keys=on&_busy_timeout=5000&" + stmtCache

// readers is the read pool's size: enough for fifty consoles on two cores.
const readers = 4

// keepReaders sizes the read pool and keeps every connection open between
// reads. database/sql keeps two idle by default: under load the others were
// closed after each read and opened again for the next, losing their
// prepared statements each time.
func keepReaders(r *sql.DB) {
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
}

// stmtCache keeps each connection's prepared statements for reuse: the
// console's few queries, prepared again for every call, were a tenth of a
// decision's time (parsing and planning the same SQL each time).
const stmtCache = "_stmt_cache_size=128"

// sqliteHeader is the first 16 bytes of every SQLite database file.
const sqliteHeader = "SQLite format 3\x00"

// Open opens (and, with Options.Create, creates) the database at path and
// brings its schema up to date. It refuses, without writing anything, a file
// that is not a SQLite database and a database written by a newer triage.
func Open(path string, opt Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("no database path given (use --db or $TRIAGE_DB)")
	}
	if IsPostgresURL(path) {
		return openPostgres(path, opt)
	}
	if conninfo.MatchString(path) {
		return nil, errConninfo
	}
	exists, err := checkFile(path)
	if err != nil {
		return nil, err
	}
	if !exists && !opt.Create {
		return nil, fmt.Errorf("%s: no such database (create one with `triage demo` or `triage import`)", path)
	}
	if opt.ReadOnly {
		return openReadOnly(path, exists, opt)
	}
	if err := checkWritable(path, exists); err != nil {
		return nil, err
	}
	if exists {
		if err := checkVersion(path); err != nil {
			return nil, err
		}
	}
	w, err := sql.Open(storeDriver, dsn(path, writerParams))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := migrate(w, opt.upgrading); err != nil {
		w.Close()
		return nil, explainOpenError(path, err)
	}
	r, err := sql.Open(storeDriver, dsn(path, readerParams))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	keepReaders(r)
	s := &Store{path: path, w: w, r: r, policy: opt.Policy, now: opt.Now}
	if s.policy == nil {
		s.policy = model.DefaultPolicy()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.startCommitter()
	if err := s.startCheckpointer(); err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Path is the database file's path, or its URL without a password.
func (s *Store) Path() string { return s.path }

// Shared reports whether the database is a server that several triage
// processes on several hosts may use at once (PostgreSQL), rather than a
// file one host serves.
func (s *Store) Shared() bool { return s.pg != nil }

// Policy is the policy the store validates against.
func (s *Store) Policy() *model.Policy { return s.policy }

// ErrClosed is what every write returns once Close has begun: a command that
// outlives its console gets an answer, never a hang.
var ErrClosed = errors.New("the database is closed")

// beginWrite counts a write in flight, or refuses it once Close has begun.
func (s *Store) beginWrite() error {
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	if s.w == nil {
		return ErrReadOnly
	}
	s.writes.Add(1)
	return nil
}

// Close lets the writes in flight finish, stops the group committer and the
// checkpointer (whose final checkpoint folds the WAL back into the file), and
// closes both pools. Writes after it return ErrClosed; a second Close too.
func (s *Store) Close() error {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return ErrClosed
	}
	s.closed = true
	s.closeMu.Unlock()
	var err error
	if s.w != nil {
		s.writes.Wait()
		s.stopCommitter()
		err = s.stopCheckpointer()
	}
	s.stopListener()
	// Readers first: on SQLite the writer, closing last, removes the WAL
	// and shared-memory files, so a closed database is one file.
	err = errors.Join(err, s.r.Close())
	if s.w != nil {
		err = errors.Join(err, s.w.Close())
	}
	if s.pg != nil {
		// The pool waits for every connection to come back; one a caller
		// never released (an unclosed Rows) must not hang the exit.
		done := make(chan struct{})
		go func() { s.pg.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			err = errors.Join(err, errors.New("a database connection was still in use at close"))
		}
	}
	return err
}

// openReadOnly opens only the read pool, on a database at this build's
// schema version.
func openReadOnly(path string, exists bool, opt Options) (*Store, error) {
	if !exists {
		return nil, fmt.Errorf("%s: no such database", path)
	}
	if err := checkVersion(path); err != nil {
		return nil, err
	}
	r, err := sql.Open(storeDriver, dsn(path, readerParams))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	keepReaders(r)
	var v int
	if err := r.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		r.Close()
		return nil, explainOpenError(path, err)
	}
	if v != len(migrations) {
		r.Close()
		return nil, fmt.Errorf("%s: schema version %d needs upgrading to %d, which needs write access; open it writable once", path, v, len(migrations))
	}
	s := &Store{path: path, r: r, policy: opt.Policy, now: opt.Now}
	if s.policy == nil {
		s.policy = model.DefaultPolicy()
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// checkFile reports whether path exists and, if it has any bytes, that it
// starts with the SQLite header. Reading the header ourselves means a wrong
// file is refused before the driver could touch it (e.g. create -wal files).
func checkFile(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	if st.IsDir() {
		return false, fmt.Errorf("%s: is a directory, not a SQLite database", path)
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && st.Size() == 0 {
		return true, nil // an empty file is an empty database
	}
	if err != nil || string(head) != sqliteHeader {
		return false, fmt.Errorf("%s: not a SQLite database", path)
	}
	return true, nil
}

// checkVersion refuses a database from a newer triage, or one that is not
// triage's, without changing anything on disk. The schema version is read
// from the file's header first (offset 60): a newer database is refused
// before SQLite opens it, since even a read-only open of a WAL database
// leaves -wal and -shm files behind. The SQL checks that follow clean up any
// such file they created.
func checkVersion(path string) error {
	if v, err := headerVersion(path); err == nil && v > len(migrations) {
		return newerError(path, v)
	}
	var created []string
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); errors.Is(err, os.ErrNotExist) {
			created = append(created, path+suffix)
		}
	}
	err := checkVersionSQL(path)
	if err != nil {
		for _, f := range created {
			os.Remove(f)
		}
	}
	return err
}

func checkVersionSQL(path string) error {
	db, err := sql.Open(storeDriver, dsn(path, "mode=ro&_busy_timeout=5000"))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		return explainOpenError(path, err)
	}
	if v > len(migrations) {
		return newerError(path, v)
	}
	if v > 0 {
		var ok int
		if err := db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='posts'").Scan(&ok); err != nil || ok == 0 {
			return fmt.Errorf("%s: a SQLite database, but not a triage database", path)
		}
	}
	return nil
}

func newerError(path string, v int) error {
	return fmt.Errorf("%s: written by a newer triage (schema version %d; this build knows up to %d); not opened, nothing changed", path, v, len(migrations))
}

// headerVersion reads PRAGMA user_version from the database header.
func headerVersion(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var b [4]byte
	if _, err := f.ReadAt(b[:], 60); err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint32(b[:])), nil
}

// checkWritable says plainly when the database cannot be written: SQLite
// would only say "unable to open database file" or "readonly database".
func checkWritable(path string, exists bool) error {
	dir := filepath.Dir(path)
	if err := syscall.Access(dir, 2 /* W_OK */); err != nil {
		return fmt.Errorf("%s: the directory %s is not writable (SQLite keeps its -wal and -shm files beside the database): %v", path, dir, err)
	}
	if exists {
		if err := syscall.Access(path, 2 /* W_OK */); err != nil {
			return fmt.Errorf("%s: the file is not writable: %v", path, err)
		}
	}
	return nil
}

// explainOpenError turns SQLite's codes into what the operator must know.
func explainOpenError(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return fmt.Errorf("%s: the database is locked by another process (still busy after 5 s); try again when it is done", path)
		case sqlite3.ErrReadonly, sqlite3.ErrCantOpen, sqlite3.ErrPerm:
			return fmt.Errorf("%s: cannot write the database or the files beside it: %v", path, err)
		case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
			return fmt.Errorf("%s: not a usable SQLite database: %v", path, err)
		}
	}
	return fmt.Errorf("%s: %w", path, err)
}

// storeDriver is go-sqlite3 with settings made on every connection the
// store opens to its file, reader, writer and checkpointer alike:
//   - synchronous=FULL, whatever the DSN says: go-sqlite3's own default is
//     NORMAL, under which a commit in WAL mode is not synced, and a
//     connection that forgot the parameter would weaken "acknowledged only
//     after commit" without a sign;
//   - statement journals in memory: each post insert fires triggers and so
//     keeps a statement journal; in a temporary file that cost a write
//     syscall per page, and import ran at half speed. go-sqlite3 has no DSN
//     parameter for temp_store, hence the hook.
const storeDriver = "sqlite3-triage"

// onConnect, when set (by a test), sees each new connection's synchronous
// setting as SQLite reports it.
var onConnect func(synchronous int)

func init() {
	sql.Register(storeDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		if _, err := c.Exec("PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = "+fmt.Sprint(walKeep), nil); err != nil {
			return err
		}
		if onConnect != nil {
			rows, err := c.Query("PRAGMA synchronous", nil)
			if err != nil {
				return err
			}
			v := make([]driver.Value, 1)
			err = rows.Next(v)
			rows.Close()
			if err != nil {
				return err
			}
			n, _ := v[0].(int64)
			onConnect(int(n))
		}
		return nil
	}})
}

// dsn builds a go-sqlite3 URI for path. The driver splits at the first '?',
// so characters URIs treat specially are percent-encoded.
func dsn(path, params string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path) + "?" + params
}

// writeCtx detaches a commit from the caller's cancellation: a session that
// disconnects mid-commit must not roll back a decision half-way.
func writeCtx(ctx context.Context) context.Context {
	return context.WithoutCancel(ctx)
}
