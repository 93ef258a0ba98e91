package data

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"triage/data/demo"
	"triage/data/pgtest"
)

// benchDB is a fresh database for a benchmark: a SQLite file, or with
// TRIAGE_BENCH_BACKEND=postgres a new PostgreSQL database (pgtest; .ci/perf
// runs that cluster with fsync on, as a real server would).
func benchDB(b *testing.B) string {
	b.Helper()
	if os.Getenv("TRIAGE_BENCH_BACKEND") == "postgres" {
		return pgtest.URL(b)
	}
	return filepath.Join(b.TempDir(), "bench.db")
}

// benchStore is a fresh database holding a demo queue of posts.
func benchStore(b *testing.B, posts int) *Store {
	b.Helper()
	s, err := Open(benchDB(b), Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	var buf bytes.Buffer
	demo.Generate(&buf, demo.Options{Posts: posts, Seed: 1, Now: time.Now()})
	if _, err := s.Import(context.Background(), &buf, ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	return s
}
