package tui

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"triage/model"
	"triage/tui/sanitize"
)

// A cluster decision: C, then a decision key (and its reason, and for an
// escalation its note), then a confirmation that states how many posts it
// will decide. One transaction decides them all; each gets its own audit
// event. The whole decision is one move: u undoes it whole.

// clusterPlan is the cluster decision being put together.
type clusterPlan struct {
	item          model.Item // the selected post, whose cluster it is
	action        model.Action
	reason        model.Reason
	note          string
	pending, held int
}

// clusterCountMsg brings the numbers the confirmation states.
type clusterCountMsg struct {
	pending, held int
	err           error
}

// clusterDoneMsg reports a committed (or refused) cluster decision.
type clusterDoneMsg struct {
	plan clusterPlan
	res  model.ClusterResult
	err  error
}

// clusterKeys is the overlay between C and the decision key.
type clusterKeys struct{}

func (clusterKeys) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.c.Keys
	it := a.plan.item
	cat, _ := a.c.Policy.Category(it.Category)
	switch {
	case key.Matches(msg, k.Approve):
		a.plan.action, a.plan.reason = model.ActionApprove, cat.DefaultApproval()
		return a.countCluster(), true
	case key.Matches(msg, k.ApproveWith):
		return a.clusterReasons(model.ActionApprove, "Approve the cluster of #%d — no violation because…", cat.Approvals()), true
	case key.Matches(msg, k.Reject):
		return a.clusterReasons(model.ActionReject, "Reject the cluster of #%d — violation:", cat.Violations()), true
	case key.Matches(msg, k.Escalate):
		return a.clusterReasons(model.ActionEscalate, "Escalate the cluster of #%d — why?", a.c.Policy.Escalation), true
	}
	a.setStatus("Cluster decision cancelled.")
	return nil, true
}

func (clusterKeys) update(*App, tea.Msg) tea.Cmd { return nil }
func (clusterKeys) place() place                 { return placeLine }

func (clusterKeys) view(a *App) []string {
	c := a.c
	it := a.plan.item
	return []string{
		c.Styles.OK.Render(c.fit(fmt.Sprintf("Cluster of #%d (×%d): a approve · A approve… · r reject · e escalate · any other key cancels", it.PostID, it.ClusterSize), c.Width)),
		c.Styles.Dim.Render(c.fit("every pending post of the cluster that no one else holds is decided at once, after a confirmation", c.Width)),
	}
}

func (clusterKeys) ShortHelp() []key.Binding {
	k := DefaultKeyMap()
	return []key.Binding{short(k.Approve, "approve"), short(k.ApproveWith, "approve…"), short(k.Reject, "reject"), short(k.Escalate, "escalate")}
}

func (c clusterKeys) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }

// startCluster begins a cluster decision on the selected post.
func (a *App) startCluster() tea.Cmd {
	it, _ := a.current().selected()
	a.plan = clusterPlan{item: it}
	a.open = clusterKeys{}
	return nil
}

func (a *App) clusterReasons(action model.Action, title string, reasons []model.Reason) tea.Cmd {
	a.plan.action = action
	it := a.plan.item
	p := &picker{title: fmt.Sprintf(title, it.PostID), choices: reasons, choose: func(a *App, i int) tea.Cmd {
		a.plan.reason = reasons[i]
		if action != model.ActionEscalate {
			return a.countCluster()
		}
		n := newPrompt(a, fmt.Sprintf("Escalate the cluster of #%d as %s — note (enter continues): ", it.PostID, reasons[i].Code), "", 2000)
		n.hint = "enter continues to the confirmation · esc cancels"
		n.submit = func(a *App, text string) (tea.Cmd, string) {
			a.plan.note = text
			return a.countCluster(), ""
		}
		a.open = n
		return n.focus()
	}}
	a.open = p
	return nil
}

// countCluster reads how many posts the decision would take and skip; keys
// typed meanwhile wait for the confirmation.
func (a *App) countCluster() tea.Cmd {
	s, id := a.c.Session, a.plan.item.Cluster
	a.setStatus("Counting the cluster's pending posts…")
	a.expect(awaitCount, "", 0)
	return func() tea.Msg {
		p, h, err := s.Store.ClusterPending(s.Ctx, id, s.SessionID)
		return clusterCountMsg{pending: p, held: h, err: err}
	}
}

func (a *App) clusterCounted(m clusterCountMsg) {
	switch {
	case m.err != nil:
		a.setError("Cannot count the cluster: %s", sanitize.Line(m.err.Error()))
		return
	case m.pending-m.held <= 0:
		a.setError("Nothing to decide: the cluster has %d pending post(s), %d held by other reviewers.", m.pending, m.held)
		return
	}
	a.plan.pending, a.plan.held = m.pending, m.held
	p := a.plan
	lines := []string{fmt.Sprintf("Reason: %s %s", p.reason.Code, p.reason.Label)}
	if p.note != "" {
		lines = append(lines, "Note: “"+sanitize.Line(p.note)+"”")
	}
	if p.held > 0 {
		lines = append(lines, fmt.Sprintf("%d more are open with other reviewers and will be skipped.", p.held))
	}
	lines = append(lines, "Each post gets its own audit event, signed by you. u undoes the whole decision.")
	a.open = &confirm{
		title: fmt.Sprintf("%s %d pending post(s) of this cluster?", verbNow[p.action], p.pending-p.held),
		lines: lines,
		yes:   (*App).decideCluster,
		no:    "Cluster decision cancelled: nothing was changed.",
	}
	a.status = ""
}

var verbNow = map[model.Action]string{model.ActionApprove: "Approve", model.ActionReject: "Reject", model.ActionEscalate: "Escalate"}

func (a *App) decideCluster() tea.Cmd {
	p, s := a.plan, a.c.Session
	d := model.Decision{Actor: s.Actor(), Action: p.action, ReasonCode: p.reason.Code, Note: p.note}
	a.setStatus("Deciding %d posts…", p.pending-p.held)
	a.expect(awaitCluster, "", 0)
	return func() tea.Msg {
		res, err := s.Store.DecideCluster(s.Ctx, p.item.Cluster, d)
		return clusterDoneMsg{plan: p, res: res, err: err}
	}
}

func (a *App) clusterDone(m clusterDoneMsg) tea.Cmd {
	if m.err != nil {
		a.setError("NOT SAVED: cluster decision — %s", sanitize.Line(m.err.Error()))
		return nil
	}
	a.tally[m.plan.action] += m.res.Decided
	msg := fmt.Sprintf("%s %d post(s) of the cluster — %s. u undoes all of them.", verbs[m.plan.action], m.res.Decided, m.plan.reason.Code)
	if m.res.Held > 0 {
		msg += fmt.Sprintf(" %d held by other reviewers were skipped.", m.res.Held)
	}
	a.setStatus("%s", msg)
	cmds := []tea.Cmd{loadCounts(a.c.Session, a.c.Filter), a.syncDetail(true)}
	if a.tab != model.QueuePending {
		cmds = append(cmds, a.current().reload(a.c))
	}
	// Refill the batch for the posts the cluster took out of it; the
	// claim's answer re-reads the pending list.
	return tea.Batch(append(cmds, a.claimMore(a.c.Batch))...)
}
