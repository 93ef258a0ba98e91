package benchkit

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// importFloorSQL is what the sqlite3 tool runs for the import floor: the
// CSV into a bare table, then an FTS4 index (unicode61) over the text,
// author and url — the least a searchable store of these posts costs.
const importFloorSQL = `CREATE VIRTUAL TABLE search USING fts4(text, author, url, tokenize=unicode61);
INSERT INTO search (docid, text, author, url) SELECT rowid, text, author, url FROM posts;
SELECT count(*) FROM posts;`

// ImportFloor runs the sqlite3 command-line tool on csvPath into a new
// database at dbPath and returns how long it took and how many records it
// stored. The tool's defaults stand: a rollback journal, synchronous=FULL.
func ImportFloor(csvPath, dbPath string) (time.Duration, int, error) {
	// Absolute paths, as in SchemaBound: one starting with "-" is an option.
	csvPath, err := filepath.Abs(csvPath)
	if err != nil {
		return 0, 0, fmt.Errorf("sqlite3 import floor: %v", err)
	}
	if dbPath, err = filepath.Abs(dbPath); err != nil {
		return 0, 0, fmt.Errorf("sqlite3 import floor: %v", err)
	}
	cmd := exec.Command("sqlite3", dbPath, ".mode csv", ".import "+csvPath+" posts", ".mode list", importFloorSQL)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err = cmd.Run()
	elapsed := time.Since(t0)
	if err != nil || errb.Len() > 0 {
		return 0, 0, fmt.Errorf("sqlite3 import floor: %v: %s", err, strings.TrimSpace(errb.String()))
	}
	rows, err := strconv.Atoi(strings.TrimSpace(out.String()))
	if err != nil {
		return 0, 0, fmt.Errorf("sqlite3 import floor: count: %q", out.String())
	}
	return elapsed, rows, nil
}
