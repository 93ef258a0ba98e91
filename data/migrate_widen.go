package data

import (
	"database/sql"
	"fmt"
	"strings"
)

// widenPostStatus lets the posts table hold the 'awaiting' status. Its
// CHECK is part of the table's stored definition; rebuilding a table of a
// million posts with its search index and triggers would take minutes, so
// the definition is edited in place, by the procedure SQLite documents for
// changes that leave every stored row valid ("ALTER TABLE", section 7:
// writable_schema, then a schema_version bump so every connection re-reads
// it). A wider CHECK admits every row the narrower one did.
func widenPostStatus(tx *sql.Tx) error {
	const narrow = `CHECK (status IN ('pending', 'approved', 'rejected', 'escalated'))`
	const wide = `CHECK (status IN ('pending', 'approved', 'rejected', 'escalated', 'awaiting'))`
	var def string
	if err := tx.QueryRow(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'posts'`).Scan(&def); err != nil {
		return fmt.Errorf("posts table: %w", err)
	}
	if strings.Count(def, narrow) != 1 {
		return fmt.Errorf("posts table: its status CHECK is not the one this step widens; not changed")
	}
	var version int64
	if err := tx.QueryRow(`PRAGMA schema_version`).Scan(&version); err != nil {
		return err
	}
	steps := []string{
		`PRAGMA writable_schema = ON`,
		fmt.Sprintf(`UPDATE sqlite_schema SET sql = %s WHERE type = 'table' AND name = 'posts'`, quoteSQL(strings.Replace(def, narrow, wide, 1))),
		fmt.Sprintf(`PRAGMA schema_version = %d`, version+1),
		`PRAGMA writable_schema = OFF`,
	}
	for _, q := range steps {
		if _, err := tx.Exec(q); err != nil {
			tx.Exec(`PRAGMA writable_schema = OFF`)
			return fmt.Errorf("posts table: %w", err)
		}
	}
	return nil
}

// quoteSQL is s as an SQL string literal.
func quoteSQL(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
