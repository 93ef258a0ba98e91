package data

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations_pg/*.sql
var pgMigrationFiles embed.FS

// pgMigrations are PostgreSQL's schema steps in order; step i brings the
// database to version i+1, recorded in triage_schema.
var pgMigrations = mustLoadMigrations(pgMigrationFiles, "migrations_pg/*.sql")

// pgSchemaVersion reads the newest applied step; 0 for a database triage
// never wrote. A database with tables of its own and no triage_schema is
// someone else's, and refused.
func pgSchemaVersion(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var has bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('triage_schema') IS NOT NULL`).Scan(&has); err != nil {
		return 0, err
	}
	if !has {
		var tables int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables); err != nil {
			return 0, err
		}
		if tables > 0 {
			return 0, fmt.Errorf("a PostgreSQL database with %d tables of its own, not a triage database; not changed", tables)
		}
		return 0, nil
	}
	var v int
	err := pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM triage_schema`).Scan(&v)
	return v, err
}

// migratePG applies the steps the database lacks, each in one transaction
// under the write lock with its version row; the version is read again
// inside, so servers starting at once take turns.
func migratePG(w *sql.DB, seen int) error {
	if seen == len(pgMigrations) {
		return nil
	}
	for {
		tx, err := w.Begin()
		if err != nil {
			return fmt.Errorf("migration: %w", err)
		}
		if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS triage_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
			tx.Rollback()
			return err
		}
		var v int
		if err := tx.QueryRow(`SELECT coalesce(max(version), 0) FROM triage_schema`).Scan(&v); err != nil {
			tx.Rollback()
			return err
		}
		if v > len(pgMigrations) {
			tx.Rollback()
			return fmt.Errorf("written by a newer triage (schema version %d; this build knows up to %d); not changed", v, len(pgMigrations))
		}
		if v == len(pgMigrations) {
			return tx.Rollback()
		}
		if _, err := tx.Exec(pgMigrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
		if _, err := tx.Exec(`INSERT INTO triage_schema (version, applied_at) VALUES (?, (extract(epoch from now()) * 1000)::bigint)`, v+1); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
}
