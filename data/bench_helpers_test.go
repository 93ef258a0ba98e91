package data

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"triage/data/demo"
)

// benchPosts reads TRIAGE_BENCH_POSTS, so the README's scripts can run the
// same benchmark at 10k, 100k or 1M without editing code.
func benchPosts(b *testing.B, def int) int {
	if v := os.Getenv("TRIAGE_BENCH_POSTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("TRIAGE_BENCH_POSTS=%q: want a positive integer", v)
		}
		return n
	}
	return def
}

// benchStore is a fresh database holding a demo queue of posts.
func benchStore(b *testing.B, posts int) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "bench.db"), Options{Create: true})
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
