package model

import (
	"sort"
	"time"
)

// ReviewPair is one post reviewed by two people: a decision and a second
// look at it (a four-eyes confirmation or disagreement, or a blind QA
// check). It is what `export --qa` writes and what the agreement figures
// are computed from.
type ReviewPair struct {
	PostID         int64     `json:"post_id"`
	Category       string    `json:"category"`
	Kind           LookKind  `json:"kind"` // confirm or qa
	FirstReviewer  string    `json:"first_reviewer"`
	FirstAction    Action    `json:"first_action"`
	FirstReason    string    `json:"first_reason"`
	FirstAt        time.Time `json:"first_at"`
	SecondReviewer string    `json:"second_reviewer"`
	SecondAction   Action    `json:"second_action"` // approve, reject or escalate: the second reviewer's own verdict
	SecondReason   string    `json:"second_reason"`
	SecondAt       time.Time `json:"second_at"`
}

// AgreementGroup is the agreement within one group of pairs — all of them,
// one category, or one pair of reviewers — at the level of the action
// (approve, reject, escalate) and of the reason code.
type AgreementGroup struct {
	Kind     LookKind  `json:"kind,omitempty"`
	Category string    `json:"category,omitempty"`
	Reviewer string    `json:"reviewer,omitempty"` // a pair of reviewers, in name order
	Other    string    `json:"other,omitempty"`
	Action   Agreement `json:"action"`
	Reason   Agreement `json:"reason"`
}

// AgreementStats is the agreement figures `stats --json` reports as
// "agreement".
type AgreementStats struct {
	All AgreementGroup `json:"all"`
	// ByKind separates blind QA checks, independent by design, from
	// four-eyes confirmations, where the second reviewer may have seen the
	// first decision before deciding.
	ByKind     []AgreementGroup `json:"by_kind"`
	ByCategory []AgreementGroup `json:"by_category"`
	ByPair     []AgreementGroup `json:"by_pair"`
	// QADisagreements are the latest blind checks (newest first, at most
	// MaxQADisagreements) whose verdict differed from the first decision:
	// a QA check never changes a post, so these are for a lead to look at
	// (and reopen, if the first decision was wrong).
	QADisagreements []ReviewPair `json:"qa_disagreements"`
}

// MaxQADisagreements bounds the disagreeing QA checks reported.
const MaxQADisagreements = 20

// Agreements groups the pairs (oldest answer first) by category and by
// pair of reviewers and measures each group. Within a reviewer pair, each person's decisions are
// compared with the other's whichever of them decided first, so the pair
// (alice, bob) is one group.
func Agreements(pairs []ReviewPair) AgreementStats {
	measure := func(g AgreementGroup, ps []ReviewPair, swap []bool) AgreementGroup {
		actions, reasons := make([]Paired, len(ps)), make([]Paired, len(ps))
		for i, p := range ps {
			a := Paired{First: string(p.FirstAction), Second: string(p.SecondAction)}
			r := Paired{First: p.FirstReason, Second: p.SecondReason}
			if swap != nil && swap[i] {
				a.First, a.Second = a.Second, a.First
				r.First, r.Second = r.Second, r.First
			}
			actions[i], reasons[i] = a, r
		}
		g.Action, g.Reason = CohenKappa(actions), CohenKappa(reasons)
		return g
	}
	out := AgreementStats{All: measure(AgreementGroup{}, pairs, nil), ByKind: []AgreementGroup{}, ByCategory: []AgreementGroup{}, ByPair: []AgreementGroup{},
		QADisagreements: []ReviewPair{}}
	for i := len(pairs) - 1; i >= 0 && len(out.QADisagreements) < MaxQADisagreements; i-- {
		if p := pairs[i]; p.Kind == LookQA && (p.FirstAction != p.SecondAction || p.FirstReason != p.SecondReason) {
			out.QADisagreements = append(out.QADisagreements, p)
		}
	}
	byCat, byKind := map[string][]ReviewPair{}, map[LookKind][]ReviewPair{}
	type duo struct{ a, b string }
	byDuo := map[duo][]ReviewPair{}
	swaps := map[duo][]bool{}
	for _, p := range pairs {
		byCat[p.Category] = append(byCat[p.Category], p)
		byKind[p.Kind] = append(byKind[p.Kind], p)
		d, swap := duo{p.FirstReviewer, p.SecondReviewer}, false
		if d.b < d.a {
			d, swap = duo{d.b, d.a}, true
		}
		byDuo[d] = append(byDuo[d], p)
		swaps[d] = append(swaps[d], swap)
	}
	for _, k := range []LookKind{LookQA, LookConfirm} {
		if ps := byKind[k]; len(ps) > 0 {
			out.ByKind = append(out.ByKind, measure(AgreementGroup{Kind: k}, ps, nil))
		}
	}
	for c, ps := range byCat {
		out.ByCategory = append(out.ByCategory, measure(AgreementGroup{Category: c}, ps, nil))
	}
	for d, ps := range byDuo {
		out.ByPair = append(out.ByPair, measure(AgreementGroup{Reviewer: d.a, Other: d.b}, ps, swaps[d]))
	}
	sort.Slice(out.ByCategory, func(i, j int) bool { return out.ByCategory[i].Category < out.ByCategory[j].Category })
	sort.Slice(out.ByPair, func(i, j int) bool {
		x, y := out.ByPair[i], out.ByPair[j]
		return x.Reviewer < y.Reviewer || x.Reviewer == y.Reviewer && x.Other < y.Other
	})
	return out
}
