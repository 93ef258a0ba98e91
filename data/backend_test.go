package data

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
	"triage/model"

	"triage/data/pgtest"
)

// The store's tests are one conformance suite for both backends: run as
// usual they use SQLite files; TestConformancePostgres runs this same test
// binary again with TRIAGE_TEST_BACKEND=postgres, and every store a test
// opens through openTestStore is then a fresh PostgreSQL database. Tests of
// SQLite's own files (headers, WAL, file modes) say so with sqliteOnly.

const envBackend = "TRIAGE_TEST_BACKEND"

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func onPostgres() bool { return os.Getenv(envBackend) == "postgres" }

// sqliteOnly skips a test of SQLite's files in the PostgreSQL run.
func sqliteOnly(t testing.TB) {
	t.Helper()
	if onPostgres() {
		t.Skip("tests SQLite's own files")
	}
}

// testDB is a fresh database for the backend under test: a file in the
// test's temp dir, or a new PostgreSQL database.
func testDB(t testing.TB) string {
	t.Helper()
	if onPostgres() {
		return pgtest.URL(t)
	}
	return filepath.Join(t.TempDir(), "t.db")
}

// openTestStore opens a fresh store on the backend under test.
func openTestStore(t testing.TB, opt Options) *Store {
	t.Helper()
	opt.Create = true
	if opt.Policy == nil {
		// The QA sample is drawn from a seed each database makes itself:
		// tests pin it, so their decisions are sampled alike on every run.
		opt.Policy = model.DefaultPolicy()
		opt.Policy.QASeed = 1
	}
	s, err := Open(testDB(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformancePostgres(t *testing.T) {
	if onPostgres() {
		t.Skip("this is the PostgreSQL run")
	}
	if err := pgtest.Available(); err != nil {
		if os.Getenv(pgtest.EnvRequire) == "1" {
			t.Fatalf("PostgreSQL required but not available: %v", err)
		}
		t.Skipf("no PostgreSQL (%v); install the postgresql package or set %s", err, pgtest.EnvURL)
	}
	args := []string{"-test.skip=^TestConformancePostgres$", "-test.count=1", "-test.timeout=20m"}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), envBackend+"=postgres", pgtest.EnvURL+"="+pgtest.ServerURL())
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the store's tests on PostgreSQL failed (%v, after %s):\n%s", err, time.Since(start).Round(time.Second), out)
	}
	if testing.Verbose() {
		t.Logf("%s", out)
	}
}

// dropTrigger removes a trigger behind the tool's back, as someone with the
// database could; PostgreSQL names the table a trigger is on.
func dropTrigger(s *Store, name string) (sql.Result, error) {
	if s.pg == nil {
		return s.w.Exec(`DROP TRIGGER ` + name)
	}
	var table string
	if err := s.w.QueryRow(`SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = ?`, name).Scan(&table); err != nil {
		return nil, fmt.Errorf("trigger %s: %w", name, err)
	}
	return s.w.Exec(`DROP TRIGGER ` + name + ` ON ` + table)
}

// jsonField is SQL reading a top-level field of a JSON text column.
func jsonField(s *Store, col, key string) string {
	if s.pg == nil {
		return "json_extract(" + col + ", '$." + key + "')"
	}
	return "(" + col + "::json->>'" + key + "')"
}
