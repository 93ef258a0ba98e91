package benchkit

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// schemaBoundSQL copies an imported store's rows into an empty database of
// the same schema, in one transaction and with the store's own settings
// (WAL, synchronous=FULL, a 64 MiB page cache, foreign keys): every index,
// trigger, counter and the search index are maintained as the import
// maintains them, but nothing is parsed, folded, clustered or bound, each
// table is written by one statement and nothing is committed early for a
// waiting reviewer. It is the least an import into this schema can cost,
// and the import floor (ImportFloor) does not pay for any of it: a bare
// table has no indexes. The search rows are the posts' own text, author,
// author id and url, not the folded words the import indexes: about the
// same terms, by the same tokenizer.
const schemaBoundSQL = `PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA cache_size = -65536;
PRAGMA foreign_keys = ON;
ATTACH %s AS src;
BEGIN;
INSERT INTO clusters (id, keys) SELECT id, keys FROM src.clusters;
INSERT INTO posts SELECT * FROM src.posts ORDER BY id;
INSERT INTO flags SELECT * FROM src.flags ORDER BY id;
INSERT INTO posts_search (docid, text, author, author_id, url) SELECT id, text, author, author_id, url FROM src.posts ORDER BY id;
COMMIT;
SELECT count(*) FROM flags;`

// SchemaBound copies the store at importedPath into a new database at
// dbPath with the sqlite3 command-line tool (schemaBoundSQL) and returns how
// long the copy took and how many records (flags: one per imported line) it
// stored. The schema is the imported store's own, read by the tool's
// .schema, which leaves out the search index's shadow tables.
func SchemaBound(importedPath, dbPath string) (time.Duration, int, error) {
	// Absolute paths: the tool reads an argument starting with "-" as an
	// option (-init runs a file of commands).
	importedPath, err := filepath.Abs(importedPath)
	if err != nil {
		return 0, 0, fmt.Errorf("schema bound: %v", err)
	}
	if dbPath, err = filepath.Abs(dbPath); err != nil {
		return 0, 0, fmt.Errorf("schema bound: %v", err)
	}
	var schema bytes.Buffer
	if err := sqlite3(importedPath, ".schema", &schema); err != nil {
		return 0, 0, fmt.Errorf("schema bound: reading the schema: %v", err)
	}
	if err := sqlite3(dbPath, schema.String(), nil); err != nil {
		return 0, 0, fmt.Errorf("schema bound: creating the schema: %v", err)
	}
	var out bytes.Buffer
	t0 := time.Now()
	err = sqlite3(dbPath, fmt.Sprintf(schemaBoundSQL, sqlQuote(importedPath)), &out)
	elapsed := time.Since(t0)
	if err != nil {
		return 0, 0, fmt.Errorf("schema bound: %v", err)
	}
	lines := strings.Fields(out.String()) // "wal", then the count
	if len(lines) == 0 {
		return 0, 0, fmt.Errorf("schema bound: no count in %q", out.String())
	}
	rows, err := strconv.Atoi(lines[len(lines)-1])
	if err != nil {
		return 0, 0, fmt.Errorf("schema bound: count: %q", out.String())
	}
	return elapsed, rows, nil
}

// sqlite3 runs script through the sqlite3 tool on dbPath; anything the tool
// writes to stderr is a failure.
func sqlite3(dbPath, script string, stdout io.Writer) error {
	cmd := exec.Command("sqlite3", dbPath)
	cmd.Stdin = strings.NewReader(script)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &errb
	if err := cmd.Run(); err != nil || errb.Len() > 0 {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(errb.String()))
	}
	return nil
}

// sqlQuote is s as an SQL string literal.
func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
