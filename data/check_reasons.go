package data

import (
	"context"
	"fmt"
	"slices"

	"triage/model"
)

// checkReasons holds each decision's reason code to its post's category
// under the policy check runs with: a rejection or confirmation gives one
// of the category's violation reasons, an approval one of its "no
// violation" reasons, an escalation an escalation reason, and a second
// look (disagree, qa) any of these. The store refused anything else when
// the event was written, so a reason that does not fit now means the
// post's category changed, or the policy did.
//
// Which of the two is decided by what the chain proves. An event that
// binds its post's category (rep.chain.CategoryFrom on) was decided on
// the category the post still has, or the audit chain names the post: a
// misfit there is the policy's doing, a warning. An older event binds no
// category; where the current policy knows both the code and the category
// and puts the code elsewhere, only a policy that moved a code between
// categories or kinds could explain it, which no built-in policy does and
// no policy should (it changes what past decisions claim): a problem. A
// code or category the current policy does not know is a retired one, or
// check was given another policy file: a warning. Warnings are grouped by
// action, reason and category, so a retired code does not flood the report.
func (s *Store) checkReasons(ctx context.Context, rep *CheckReport) error {
	rows, err := s.r.QueryContext(ctx, `SELECT e.id, e.post_id, e.action, e.reason_code, p.category
		FROM events e JOIN posts p ON p.id = e.post_id
		WHERE e.action IN ('approve', 'reject', 'escalate', 'confirm', 'disagree', 'qa') ORDER BY e.id`)
	if err != nil {
		return fmt.Errorf("check reasons: %w", err)
	}
	defer rows.Close()
	type group struct{ action, code, category string }
	type seen struct {
		first int64
		n     int
		bound bool
	}
	warn := map[group]*seen{}
	var order []group
	named, unnamed := 0, 0
	for rows.Next() {
		var id, post int64
		var action model.Action
		var code, category string
		if err := rows.Scan(&id, &post, &action, &code, &category); err != nil {
			return err
		}
		known, fits := reasonFits(s.policy, action, code, category)
		if fits || rep.chain.changed[post] {
			continue // a changed post is the audit chain's problem, named there
		}
		bound := rep.chain.CategoryFrom != 0 && id >= rep.chain.CategoryFrom
		if known && !bound {
			if named < maxNamedPosts {
				named++
				rep.add("post %d (%s): event %d %s with %s, %s: its category was changed behind the tool's back (or the policy moved %s since)",
					post, category, id, actionVerb(action), code, reasonKind(s.policy, code), code)
			} else {
				unnamed++
			}
			continue
		}
		g := group{string(action), code, category}
		if w := warn[g]; w != nil {
			w.n++
			continue
		}
		warn[g] = &seen{first: id, n: 1, bound: bound}
		order = append(order, g)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if unnamed > 0 {
		rep.add("and %s whose reason is not one of their post's category", model.Count(int64(unnamed), "more decision", "more decisions"))
	}
	for _, g := range order {
		w := warn[g]
		why := "the policy check ran with does not know the reason or the category (retired since, or another policy file)"
		if w.bound {
			why = "the chain binds the category they were decided on, so the policy has changed since"
		}
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s from event %d on: %s with %q on a %q post does not fit the current policy: %s",
			model.Count(int64(w.n), "decision", "decisions"), w.first, g.action, g.code, g.category, why))
	}
	return nil
}

// reasonFits reports whether the policy knows what it needs to judge the
// event (its reason code, and for all but an escalation the category) and
// whether the code is one the action may give on a post of category.
func reasonFits(p *model.Policy, action model.Action, code, category string) (known, fits bool) {
	_, codeKnown := p.Reason(code)
	c, catKnown := p.Category(category)
	var allowed []model.Reason
	switch action {
	case model.ActionApprove:
		allowed = c.Approvals()
	case model.ActionReject, model.ActionConfirm:
		allowed = c.Violations()
	case model.ActionEscalate:
		allowed, catKnown = p.Escalation, true
	default: // a second look gives the verdict it would have given
		allowed = append(slices.Clone(c.Reasons), p.Escalation...)
	}
	for _, r := range allowed {
		if r.Code == code {
			return true, true
		}
	}
	return codeKnown && catKnown, false
}

// reasonKind says where the policy puts code: "a fraud violation reason".
func reasonKind(p *model.Policy, code string) string {
	for _, c := range p.Categories {
		for _, r := range c.Reasons {
			if r.Code == code && r.Violation {
				return "a " + c.Key + " violation reason"
			} else if r.Code == code {
				return "a " + c.Key + " no-violation reason"
			}
		}
	}
	return "an escalation reason"
}

// actionVerb is the event's action as a verb in the third person.
func actionVerb(a model.Action) string {
	switch a {
	case model.ActionApprove, model.ActionReject, model.ActionEscalate, model.ActionConfirm:
		return string(a) + "s"
	case model.ActionDisagree:
		return "disagrees"
	}
	return "checks" // qa
}

// checkFlagTotals holds each post to its flags, which are append-only:
// import writes a post from its first flag (time and source) and merges
// each re-flag by taking the higher severity and adding the reports, so
// a post whose severity, reports, flagging time or source is not what its
// flags give was changed behind the tool's back, or its flags were.
func (s *Store) checkFlagTotals(ctx context.Context, rep *CheckReport) error {
	rows, err := s.r.QueryContext(ctx, `SELECT p.id, p.severity, p.reports, p.flagged_at, p.source,
			coalesce(f.sev, 0), coalesce(f.rep, 0), coalesce(ff.flagged_at, 0), coalesce(ff.source, '')
		FROM posts p
		LEFT JOIN (SELECT post_id, max(severity) AS sev, CAST(sum(reports) AS BIGINT) AS rep, min(id) AS first
			FROM flags GROUP BY post_id) f ON f.post_id = p.id
		LEFT JOIN flags ff ON ff.id = f.first
		WHERE f.post_id IS NULL OR p.severity <> f.sev OR p.reports <> f.rep OR p.flagged_at <> ff.flagged_at OR p.source <> ff.source
		ORDER BY p.id`)
	if err != nil {
		return fmt.Errorf("check flags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, sev, reports, flagged, fSev, fReports, fFlagged int64
		var source, fSource string
		if err := rows.Scan(&id, &sev, &reports, &flagged, &source, &fSev, &fReports, &fFlagged, &fSource); err != nil {
			return err
		}
		if fReports == 0 {
			rep.add("post %d: has no flags (deleted behind the tool's back)", id)
			continue
		}
		rep.add("post %d: severity %d, %s, flagged at %d by %q, but its flags give %d, %d, %d and %q (changed behind the tool's back)",
			id, sev, model.Count(reports, "report", "reports"), flagged, source, fSev, fReports, fFlagged, fSource)
	}
	return rows.Err()
}
