// Package benchkit is what every benchmark of triage shares: the sizes it
// runs at, how it turns latencies into percentiles, and the floor programs —
// the least work a database must do for the same job — that figures are set
// beside. Only tests import it.
package benchkit

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// SizesEnv is the variable that sets the database sizes benchmarks run at:
// one positive integer, or several separated by ':' (10000:1000000).
const SizesEnv = "TRIAGE_BENCH_POSTS"

// Sizes reads SizesEnv, or returns def when it is unset.
func Sizes(tb testing.TB, def ...int) []int {
	tb.Helper()
	return sizesFrom(tb, SizesEnv, def)
}

// Size is Sizes for a benchmark that runs at one size: a list is refused
// rather than silently cut to its first entry.
func Size(tb testing.TB, def int) int {
	tb.Helper()
	return SizeFrom(tb, SizesEnv, def)
}

// SizeFrom reads one size from the variable env, or returns def.
func SizeFrom(tb testing.TB, env string, def int) int {
	tb.Helper()
	sizes := sizesFrom(tb, env, []int{def})
	if len(sizes) != 1 {
		tb.Fatalf("%s=%q: this benchmark runs at one size", env, os.Getenv(env))
	}
	return sizes[0]
}

func sizesFrom(tb testing.TB, env string, def []int) []int {
	tb.Helper()
	v := os.Getenv(env)
	if v == "" {
		return def
	}
	sizes, err := ParseSizes(v)
	if err != nil {
		tb.Fatalf("%s=%q: %v", env, v, err)
	}
	return sizes
}

// ParseSizes reads "N" or "N:M:…", each a positive integer; 1_000_000 and
// 1e6 are not accepted, so a typo cannot become a size.
func ParseSizes(v string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(v, ":") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, errors.New("want positive integers separated by ':'")
		}
		out = append(out, n)
	}
	return out, nil
}
