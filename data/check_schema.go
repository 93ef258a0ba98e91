package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// checkSchema compares every trigger and index with what the migrations
// create, read from a fresh in-memory database built by the same steps: a
// dropped append-only trigger, or an index edited to skip rows, is reported
// by name. Tables are not compared: their SQL records each ALTER as written.
func (s *Store) checkSchema(ctx context.Context, rep *CheckReport) error {
	want, have, err := s.schemas(ctx)
	if err != nil {
		return fmt.Errorf("check schema: %w", err)
	}
	for name, sqlText := range want {
		got, ok := have[name]
		switch {
		case !ok:
			rep.add("%s: missing", name)
		case strings.HasPrefix(name, "trigger ") && got != sqlText && s.pg != nil:
			rep.add("%s: %s (the schema says: %s)", name, got, sqlText)
		case got != sqlText:
			rep.add("%s: differs from the schema this build created", name)
		}
	}
	for name := range have {
		if _, ok := want[name]; !ok {
			rep.add("%s: not part of the schema (added behind the tool's back)", name)
		}
	}
	return nil
}

// schemas are the objects the migrations make and those the database has.
func (s *Store) schemas(ctx context.Context) (want, have map[string]string, err error) {
	if s.pg != nil {
		have, err = s.pgSchemaObjects(ctx)
		return expectedPGSchema(), have, err
	}
	if want, err = expectedSchema(); err != nil {
		return nil, nil, err
	}
	have, err = schemaObjects(ctx, s.r)
	return want, have, err
}

// expectedSchema is the triggers and indexes a database at this build's
// schema version has.
func expectedSchema() (map[string]string, error) {
	db, err := sql.Open("sqlite3", "file::memory:?_foreign_keys=on")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrate(db, nil); err != nil {
		return nil, err
	}
	return schemaObjects(context.Background(), db)
}

// schemaObjects reads "trigger NAME" and "index NAME" with their SQL.
func schemaObjects(ctx context.Context, db *sql.DB) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return nil, err
		}
		out[typ+" "+name] = text
	}
	return out, rows.Err()
}
