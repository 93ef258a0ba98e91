package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"triage/model"
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

// The stats view's agreement table: every pair of reviewers for a lead,
// only the reviewer's own pairs for a reviewer; the interval only where
// there are enough pairs.
func TestAgreementTableShowsEachReviewerTheirOwnPairs(t *testing.T) {
	pairs := []model.ReviewPair{}
	add := func(n int, first, second string, fa, sa model.Action) {
		for range n {
			pairs = append(pairs, model.ReviewPair{Category: "fraud", Kind: model.LookQA, FirstReviewer: first, SecondReviewer: second,
				FirstAction: fa, SecondAction: sa, FirstReason: string(fa), SecondReason: string(sa)})
		}
	}
	add(5, "alice", "bob", model.ActionApprove, model.ActionApprove)
	add(5, "alice", "bob", model.ActionReject, model.ActionReject)
	add(2, "alice", "bob", model.ActionReject, model.ActionApprove)
	add(3, "carol", "dan", model.ActionApprove, model.ActionReject)
	d := &model.Dashboard{Agreement: model.Agreements(pairs)}
	for _, tc := range []struct {
		role  model.Role
		who   string
		shows []string
		hides []string
	}{
		{model.RoleReviewer, "bob", []string{"alice + bob", "fraud", "all"}, []string{"carol + dan", "QA checks that disagreed"}},
		{model.RoleLead, "erin", []string{"alice + bob", "carol + dan", "QA checks that disagreed", "carol approve approve  ≠  dan reject reject"}, nil},
	} {
		a := fakeAppWith(t, newFakeStore(3), 120, 40, func(o *Options) { o.Reviewer, o.Role = tc.who, tc.role })
		table := ansi.Strip(strings.Join(a.agreementTable(d), "\n"))
		for _, s := range tc.shows {
			if !strings.Contains(table, s) {
				t.Errorf("%s does not see %q:\n%s", tc.who, s, table)
			}
		}
		for _, s := range tc.hides {
			if strings.Contains(table, s) {
				t.Errorf("%s sees %q:\n%s", tc.who, s, table)
			}
		}
		// alice + bob: 10 of 12 agree; carol + dan: 3 pairs, too few for an interval.
		last := ""
		for _, l := range strings.Split(table, "\n") {
			if strings.Contains(l, "carol + dan") {
				last = l
			}
		}
		if !strings.Contains(table, " 83% κ  0.68 [") || tc.role == model.RoleLead && (!strings.Contains(last, "  0% κ  0.00") || strings.Contains(last, "[")) {
			t.Errorf("figures:\n%s", table)
		}
	}
}
