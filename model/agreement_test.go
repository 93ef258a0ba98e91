package model

import (
	"math"
	"testing"
	"unicode/utf8"
)

// The worked example of Wikipedia's article "Cohen's kappa" (section
// "Simple example"): 50 grant proposals read by two readers; both said yes
// to 20, both no to 15, A yes and B no to 5, A no and B yes to 10. There
// po = 0.7, pe = 0.5·0.6 + 0.5·0.4 = 0.5 and κ = 0.4. The interval by hand:
// SE = √(0.7·0.3 / (50·0.5²)) = √0.0168 = 0.12961, so 0.4 ± 0.25404.
func TestCohenKappaWorkedExample(t *testing.T) {
	var pairs []Paired
	add := func(n int, a, b string) {
		for range n {
			pairs = append(pairs, Paired{a, b})
		}
	}
	add(20, "yes", "yes")
	add(5, "yes", "no")
	add(10, "no", "yes")
	add(15, "no", "no")
	got := CohenKappa(pairs)
	if got.N != 50 || math.Abs(got.Percent-70) > 1e-9 || math.Abs(got.Kappa-0.4) > 1e-9 || !got.HasKappa {
		t.Fatalf("%+v, want n 50, 70%%, κ 0.4", got)
	}
	if !got.HasCI || math.Abs(got.Low-0.14596) > 1e-4 || math.Abs(got.High-0.65404) > 1e-4 {
		t.Fatalf("interval [%.5f, %.5f], want [0.14596, 0.65404]", got.Low, got.High)
	}
}

func TestCohenKappaEdges(t *testing.T) {
	if a := CohenKappa(nil); a.N != 0 || a.HasKappa {
		t.Fatalf("no pairs: %+v", a)
	}
	// Both always say the same one thing: chance explains it all.
	same := []Paired{{"approve", "approve"}, {"approve", "approve"}}
	if a := CohenKappa(same); a.HasKappa || a.Kappa != 0 || a.Percent != 100 {
		t.Fatalf("one label: %+v", a)
	}
	// Perfect agreement over two labels is κ 1; too few pairs for an interval.
	perfect := []Paired{{"approve", "approve"}, {"reject", "reject"}, {"reject", "reject"}}
	if a := CohenKappa(perfect); a.Kappa != 1 || a.HasCI {
		t.Fatalf("perfect: %+v", a)
	}
	// Systematic disagreement is below zero.
	opposite := []Paired{{"approve", "reject"}, {"reject", "approve"}, {"approve", "reject"}, {"reject", "approve"}}
	if a := CohenKappa(opposite); a.Kappa != -1 {
		t.Fatalf("opposite: %+v", a)
	}
}

// The QA sample takes about the rate asked for, depends only on the post
// and the seed, and differs between seeds.
func TestQASampleIsDeterministicAndFair(t *testing.T) {
	const n = 200000
	in := 0
	for id := int64(1); id <= n; id++ {
		if InQASample(id, 42, 0.05) {
			in++
		}
		if InQASample(id, 42, 0.05) != InQASample(id, 42, 0.05) {
			t.Fatal("not deterministic")
		}
	}
	// 5% of 200,000 is 10,000; the binomial's standard deviation is ~97,
	// so ±600 is over six of them.
	if in < 9400 || in > 10600 {
		t.Fatalf("%d of %d sampled at 5%%", in, n)
	}
	diff := 0
	for id := int64(1); id <= 10000; id++ {
		if InQASample(id, 42, 0.5) != InQASample(id, 43, 0.5) {
			diff++
		}
	}
	if diff < 4000 || diff > 6000 {
		t.Fatalf("seeds 42 and 43 disagree on %d of 10,000 posts at 50%%; want about half", diff)
	}
	if InQASample(7, 1, 0) || !InQASample(7, 1, 1) {
		t.Fatal("rates 0 and 1")
	}
}

// Every cell of an agreement table is as wide as every other, whatever it
// holds, so the columns after it stay under their headings.
func TestAgreementCellsLineUp(t *testing.T) {
	cells := []string{
		Agreement{N: 3}.Cell(),
		Agreement{N: 3, Percent: 100, Kappa: 1, HasKappa: true}.Cell(),
		Agreement{N: 12, Percent: 83.3, Kappa: -0.25, HasKappa: true, Low: -0.5, High: 1, HasCI: true}.Cell(),
	}
	for _, c := range cells {
		if utf8.RuneCountInString(c) != utf8.RuneCountInString(cells[2]) {
			t.Errorf("%q is %d runes, %q is %d", c, utf8.RuneCountInString(c), cells[2], utf8.RuneCountInString(cells[2]))
		}
	}
	if cells[2] != " 83% κ -0.25 [-0.50,  1.00]" {
		t.Errorf("cell %q", cells[2])
	}
}
