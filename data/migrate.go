package data

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the embedded schema steps in order; step i brings the
// database to user_version i+1.
var migrations = mustLoadMigrations(migrationFiles, "migrations/*.sql")

// mustLoadMigrations reads the embedded steps matching glob, in name order.
func mustLoadMigrations(files embed.FS, glob string) []string {
	names, err := fs.Glob(files, glob)
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			panic(err)
		}
		out[i] = string(b)
	}
	return out
}

// afterMigration holds steps that SQL cannot do, run in the same
// transaction right after the migration with that number.
var afterMigration = map[int]func(*sql.Tx) error{
	3:  chainExisting,
	4:  clusterExisting,
	5:  repairExtras,
	6:  indexByID,
	9:  widenPostStatus,
	10: indexExisting,
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

// migrate applies every step the database lacks, each in its own
// transaction together with its user_version bump.
func migrate(db *sql.DB, upgrading func(from, to int)) error {
	// Connecting sets WAL mode, which a brand-new file needs an exclusive
	// lock for: a second process creating the same file at that moment
	// waits its turn (the writer has no busy timeout of its own).
	if err := whileBusy(db.Ping); err != nil {
		return err
	}
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err == nil && v == len(migrations) {
		return nil // up to date: no write lock taken
	}
	if upgrading != nil {
		upgrading(v, len(migrations))
	}
	return migrateTo(db, len(migrations))
}

// migrateTo applies the steps up to schema version to (tests build old
// databases with it). The version is read inside each step's transaction:
// two processes opening a new database at once take turns, and the second
// finds the first's steps done instead of repeating them.
//
// The steps run with foreign keys off, as SQLite's procedure for changing a
// table asks (a step that rebuilds a table others refer to, as 8 does for
// events, would fail at the drop), and each checks them all itself before
// it commits: a step that leaves a dangling reference changes nothing.
func migrateTo(db *sql.DB, to int) error {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return fmt.Errorf("migration: %w", err)
	}
	defer conn.ExecContext(ctx, "PRAGMA foreign_keys = ON")
	for {
		tx, err := beginRetrying(ctx, conn)
		if err != nil {
			return fmt.Errorf("migration: %w", err)
		}
		var v int
		if err := tx.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
			tx.Rollback()
			return fmt.Errorf("read schema version: %w", err)
		}
		if v > len(migrations) {
			tx.Rollback()
			// The header said otherwise: a newer triage's change still in the WAL.
			return fmt.Errorf("written by a newer triage (schema version %d; this build knows up to %d); not changed", v, len(migrations))
		}
		if v >= to {
			return tx.Rollback()
		}
		if err := applyStep(tx, v); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if err := foreignKeysHold(tx); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
}

// applyStep brings the database from version i to i+1 inside tx.
func applyStep(tx *sql.Tx, i int) error {
	if _, err := tx.Exec(migrations[i]); err != nil {
		return err
	}
	if step := afterMigration[i+1]; step != nil {
		if err := step(tx); err != nil {
			return err
		}
	}
	_, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", i+1))
	return err
}

// beginRetrying begins a migration step, waiting for another process's write
// (two commands opening an old database at once) instead of failing.
func beginRetrying(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	var tx *sql.Tx
	err := whileBusy(func() error {
		var err error
		tx, err = conn.BeginTx(ctx, nil)
		return err
	})
	return tx, err
}

// foreignKeysHold fails if any row refers to one that does not exist.
func foreignKeysHold(tx *sql.Tx) error {
	rows, err := tx.Query("PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		return fmt.Errorf("a row of %s refers to a missing row of %s", table, parent)
	}
	return rows.Err()
}
