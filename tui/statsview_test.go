package tui

import (
	"testing"
)

// The sparkline scales every value to the tallest on one scale: eighths,
// the smallest non-zero value still visible, zero blank.
func TestSparklineScaling(t *testing.T) {
	for _, tc := range []struct {
		values []int
		top    int
		want   string
	}{
		{[]int{0, 1, 2, 4, 8}, 8, " ▁▂▄█"},
		{[]int{1, 14, 16}, 16, "▁▇█"}, // 14/16 is seven eighths
		{[]int{3, 3, 3}, 3, "███"},
		{[]int{0, 0}, 0, "  "},
		{[]int{1, 100}, 100, "▁█"},
	} {
		if got := sparkline(tc.values, tc.top); got != tc.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", tc.values, tc.top, got, tc.want)
		}
	}
}

// Shares shown as whole percents add up to 100, the largest remainders
// rounding up.
func TestPercentagesAddUp(t *testing.T) {
	for _, tc := range []struct{ counts, want []int }{
		{[]int{1, 1, 1}, []int{34, 33, 33}},
		{[]int{2, 1, 0}, []int{67, 33, 0}},
		{[]int{7, 7, 7, 7, 1, 1}, []int{24, 24, 23, 23, 3, 3}}, // 23.3 % and 3.3 %: ties go in order
		{[]int{0, 0}, []int{0, 0}},
		{[]int{5}, []int{100}},
	} {
		got := percentages(tc.counts)
		sum := 0
		for i := range got {
			sum += got[i]
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("percentages(%v) = %v, want %v", tc.counts, got, tc.want)
				break
			}
		}
		if sum != 100 && sum != 0 {
			t.Errorf("percentages(%v) add up to %d", tc.counts, sum)
		}
	}
}
