package benchkit

import (
	"math"
	"slices"
	"sync"
	"testing"
	"time"
)

// Latencies collects durations, safely from many goroutines, and reports
// percentiles the same way in every benchmark.
type Latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

// Add records one duration.
func (l *Latencies) Add(d time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d)
	l.mu.Unlock()
}

// Time runs f and records how long it took.
func (l *Latencies) Time(f func()) {
	t0 := time.Now()
	f()
	l.Add(time.Since(t0))
}

// Len is the number of durations recorded.
func (l *Latencies) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.d)
}

// Percentile is the nearest-rank percentile, p in (0, 1]: the smallest
// recorded duration that at least p of all recorded durations do not exceed.
// With no durations it is 0.
func (l *Latencies) Percentile(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Percentile(l.d, p)
}

// Percentile is the nearest-rank percentile of ds (not modified).
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p * float64(len(s))))
	return s[min(max(rank, 1), len(s))-1]
}

// Report adds prefix+"p50-ms", "p99-ms" and "max-ms" to the benchmark's
// results, and fails it when nothing was recorded: a benchmark that measured
// nothing must not print figures.
func (l *Latencies) Report(b *testing.B, prefix string) {
	b.Helper()
	if l.Len() == 0 {
		b.Fatalf("%slatencies: nothing was measured", prefix)
	}
	b.ReportMetric(Ms(l.Percentile(0.50)), prefix+"p50-ms")
	b.ReportMetric(Ms(l.Percentile(0.99)), prefix+"p99-ms")
	b.ReportMetric(Ms(l.Percentile(1)), prefix+"max-ms")
}

// Ms is d in milliseconds.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
