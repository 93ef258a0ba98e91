package benchkit

import (
	"testing"
	"time"
)

// The nearest-rank percentiles of 1..100 ms are known without any code:
// p50 is the 50th value, p99 the 99th, p100 the largest.
func TestPercentileNearestRank(t *testing.T) {
	var l Latencies
	for i := 100; i >= 1; i-- { // recorded out of order
		l.Add(time.Duration(i) * time.Millisecond)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0.50, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0.001, time.Millisecond}} {
		if got := l.Percentile(c.p); got != c.want {
			t.Errorf("p%v of 1..100 ms = %v, want %v", c.p*100, got, c.want)
		}
	}
	// Of ten values, p99 is the largest: nine of ten are not 99 %.
	few := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if got := Percentile(few, 0.99); got != 10 {
		t.Errorf("p99 of ten = %v, want the largest", got)
	}
	if got := Percentile(nil, 0.5); got != 0 {
		t.Errorf("p50 of nothing = %v", got)
	}
}

func TestParseSizes(t *testing.T) {
	if got, err := ParseSizes("10000:1000000"); err != nil || len(got) != 2 || got[0] != 10000 || got[1] != 1000000 {
		t.Errorf("10000:1000000 → %v %v", got, err)
	}
	for _, bad := range []string{"", "0", "-5", "1e6", "1_000", "10:", "10,20", " 10"} {
		if got, err := ParseSizes(bad); err == nil {
			t.Errorf("%q accepted as %v", bad, got)
		}
	}
}
