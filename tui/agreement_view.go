package tui

import (
	"fmt"

	"triage/model"
	"triage/tui/sanitize"
)

// agreementTable is the stats view's table of how far second looks agreed
// with first decisions: all pairs, each category, and each pair of
// reviewers — every pair for a lead, the reviewer's own for a reviewer.
func (a *App) agreementTable(d *model.Dashboard) []string {
	c := a.c
	out := []string{a.section(c.T.S("stats.agreement"), "  "+c.T.S("stats.agreement_cols"), c.Width)}
	ag := d.Agreement
	if ag.All.Action.N == 0 {
		return append(out, c.Styles.Dim.Render("  "+c.T.S("stats.agreement_none")))
	}
	row := func(name string, g model.AgreementGroup) string {
		return fmt.Sprintf("  %s %5d  %s  %s", c.fit(name, 24), g.Action.N, g.Action.Cell(), g.Reason.Cell())
	}
	out = append(out, row(c.T.S("stats.agreement_all"), ag.All))
	for _, g := range ag.ByKind {
		out = append(out, row(c.T.S("list.look_"+string(g.Kind)), g))
	}
	for _, g := range ag.ByCategory {
		out = append(out, row(sanitize.Line(g.Category), g))
	}
	for _, g := range ag.ByPair {
		if c.Lead() || g.Reviewer == c.Reviewer || g.Other == c.Reviewer {
			out = append(out, row(sanitize.Line(g.Reviewer)+" + "+sanitize.Line(g.Other), g))
		}
	}
	if !c.Lead() || len(ag.QADisagreements) == 0 {
		return out
	}
	// A QA check changes nothing: a lead decides whether its post is reopened.
	out = append(out, "", "  "+c.Styles.Label.Render(c.T.S("stats.qa_disagreements")))
	side := func(who string, a model.Action, code string) string {
		return sanitize.Line(who) + " " + c.actionWord(a) + " " + sanitize.Line(code)
	}
	for _, p := range ag.QADisagreements[:min(5, len(ag.QADisagreements))] {
		out = append(out, fmt.Sprintf("  #%d %s  %s  ≠  %s", p.PostID, sanitize.Line(p.Category),
			side(p.FirstReviewer, p.FirstAction, p.FirstReason), side(p.SecondReviewer, p.SecondAction, p.SecondReason)))
	}
	return out
}
