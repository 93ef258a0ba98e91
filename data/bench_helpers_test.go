package data

import (
	"os"
	"strconv"
	"testing"
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
