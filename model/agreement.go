package model

import (
	"fmt"
	"math"
	"sort"
)

// Paired is one post reviewed twice, independently: what the first
// reviewer and the second (a confirmer, or a blind QA reviewer) decided —
// an action, or a reason code, whichever level is being measured.
type Paired struct {
	First, Second string
}

// Agreement is how far two sets of decisions on the same posts agree:
// the share of posts decided alike, and Cohen's kappa, which discounts the
// agreement two reviewers would reach by chance given how often each uses
// each label.
type Agreement struct {
	N        int     `json:"n"`
	Percent  float64 `json:"percent_agreement"` // 0–100
	Kappa    float64 `json:"kappa"`             // valid with HasKappa
	HasKappa bool    `json:"has_kappa"`         // false when chance alone explains everything (both used one label only)
	// Low and High are kappa's 95% confidence interval, given (HasCI) when
	// N is at least MinPairsForCI.
	Low   float64 `json:"ci_low"`
	High  float64 `json:"ci_high"`
	HasCI bool    `json:"has_ci"`
}

// MinPairsForCI is the fewest pairs for which the confidence interval is
// given: the large-sample approximation below is poor for fewer.
const MinPairsForCI = 10

// CohenKappa measures the agreement in pairs (Cohen 1960):
//
//	po = the share of pairs with the same label,
//	pe = Σ over labels of (share of the first's decisions with it) ×
//	     (share of the second's decisions with it),
//	κ  = (po − pe) / (1 − pe),
//
// and the 95% interval κ ± 1.96·SE with Cohen's large-sample standard
// error SE = √(po(1 − po) / (N(1 − pe)²)).
func CohenKappa(pairs []Paired) Agreement {
	a := Agreement{N: len(pairs)}
	if a.N == 0 {
		return a
	}
	first, second := map[string]int{}, map[string]int{}
	same := 0
	for _, p := range pairs {
		first[p.First]++
		second[p.Second]++
		if p.First == p.Second {
			same++
		}
	}
	n := float64(a.N)
	po := float64(same) / n
	a.Percent = 100 * po
	labels := make([]string, 0, len(first))
	for l := range first {
		labels = append(labels, l)
	}
	sort.Strings(labels) // a fixed order: the sum is the same to the last bit on every run
	pe := 0.0
	for _, l := range labels {
		pe += float64(first[l]) / n * float64(second[l]) / n
	}
	if pe >= 1 {
		return a // κ is 0/0; JSON has no NaN
	}
	a.Kappa, a.HasKappa = (po-pe)/(1-pe), true
	if a.N >= MinPairsForCI {
		se := math.Sqrt(po * (1 - po) / (n * (1 - pe) * (1 - pe)))
		a.Low, a.High, a.HasCI = max(-1, a.Kappa-1.96*se), min(1, a.Kappa+1.96*se), true
	}
	return a
}

// Cell is the agreement as a table shows it, always the same width:
// "83% κ  0.68 [ 0.27,  1.00]"; "κ —" where kappa is undefined, and no
// interval below MinPairsForCI pairs.
func (a Agreement) Cell() string {
	out := fmt.Sprintf("%3.0f%% ", a.Percent)
	switch {
	case !a.HasKappa:
		out += "κ —"
	case a.HasCI:
		out += fmt.Sprintf("κ %5.2f [%5.2f, %5.2f]", a.Kappa, a.Low, a.High)
	default:
		out += fmt.Sprintf("κ %5.2f", a.Kappa)
	}
	return fmt.Sprintf("%-27s", out) // κ and — are one rune each: %-27s pads by runes
}
