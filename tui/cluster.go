package tui

import (
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
	case key.Matches(msg, k.Approve, k.ApproveWith, k.Reject) && a.unreadSensitive(it) != "":
		a.warnText(a.unreadSensitive(it))
		return nil, true
	case key.Matches(msg, k.Approve):
		a.plan.action, a.plan.reason = model.ActionApprove, cat.DefaultApproval()
		return a.countCluster(), true
	case key.Matches(msg, k.ApproveWith):
		return a.clusterReasons(model.ActionApprove, "pick.cluster_approve", cat.Approvals()), true
	case key.Matches(msg, k.Reject):
		return a.clusterReasons(model.ActionReject, "pick.cluster_reject", cat.Violations()), true
	case key.Matches(msg, k.Escalate):
		return a.clusterReasons(model.ActionEscalate, "pick.cluster_escalate", a.c.Policy.Escalation), true
	}
	a.tell("status.cluster_cancelled")
	return nil, true
}

func (clusterKeys) update(*App, tea.Msg) tea.Cmd { return nil }
func (clusterKeys) place() place                 { return placeLine }

func (clusterKeys) view(a *App) []string {
	c := a.c
	it := a.plan.item
	return []string{
		c.Styles.OK.Render(c.fit(c.T.S("cluster.keys", it.PostID, it.ClusterSize, c.Keys.Approve.Help().Key, c.Keys.ApproveWith.Help().Key,
			c.Keys.Reject.Help().Key, c.Keys.Escalate.Help().Key), c.Width)),
		c.Styles.Dim.Render(c.fit(c.T.S("cluster.how"), c.Width)),
	}
}

func (clusterKeys) hints(c *Context) []key.Binding {
	k, t := c.Keys, c.T
	return []key.Binding{short(k.Approve, t.S("hint.approve")), short(k.ApproveWith, t.S("hint.approve_with")),
		short(k.Reject, t.S("hint.reject")), short(k.Escalate, t.S("hint.escalate"))}
}

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
	p := &picker{title: a.c.T.S(title, it.PostID), choices: reasons, choose: func(a *App, i int) tea.Cmd {
		a.plan.reason = reasons[i]
		if action != model.ActionEscalate {
			return a.countCluster()
		}
		n := newPrompt(a, a.c.T.S("prompt.cluster_note", it.PostID, reasons[i].Code, a.c.Keys.Confirm.Help().Key)+" ", "", 2000)
		n.hint = a.c.T.S("prompt.hint_continue", a.c.Keys.Confirm.Help().Key, a.c.Keys.Cancel.Help().Key)
		n.submit = func(a *App, text string) (tea.Cmd, string) {
			a.plan.note = text
			return a.countCluster(), ""
		}
		a.open = n
		return n.focus()
	}}
	if action == model.ActionReject {
		p.fourEyes = fourEyesOf(a.c.Policy, it.Category)
	}
	a.open = p
	return nil
}

// countCluster reads how many posts the decision would take and skip; keys
// typed meanwhile wait for the confirmation.
func (a *App) countCluster() tea.Cmd {
	s, id := a.c.Session, a.plan.item.Cluster
	a.tell("status.cluster_counting")
	a.expect(awaitCount, "", 0)
	return func() tea.Msg {
		p, h, err := s.Store.ClusterPending(s.Ctx, id, s.SessionID)
		return clusterCountMsg{pending: p, held: h, err: err}
	}
}

func (a *App) clusterCounted(m clusterCountMsg) {
	switch {
	case m.err != nil:
		a.warn("status.cluster_count_failed", a.c.errText(m.err))
		return
	case m.pending-m.held <= 0:
		a.warn("status.cluster_nothing", m.pending, m.held)
		return
	}
	a.plan.pending, a.plan.held = m.pending, m.held
	p := a.plan
	t := a.c.T
	lines := []string{t.S("confirm.reason", p.reason.Code, a.c.label(p.reason.Label))}
	if p.note != "" {
		lines = append(lines, t.S("confirm.note", sanitize.Line(p.note)))
	}
	if p.held > 0 {
		lines = append(lines, t.N("confirm.skipped", p.held))
	}
	lines = append(lines, t.S("confirm.audit", a.c.Keys.Undo.Help().Key))
	a.open = &confirm{
		title: t.N("confirm.cluster."+string(p.action), p.pending-p.held),
		lines: lines,
		yes:   (*App).decideCluster,
		no:    t.S("status.cluster_cancelled_nothing"),
	}
	a.status = ""
}

func (a *App) decideCluster() tea.Cmd {
	p, s := a.plan, a.c.Session
	d := model.Decision{Actor: s.Actor(), Action: p.action, ReasonCode: p.reason.Code, Note: p.note}
	a.status, a.isErr = a.c.T.N("status.deciding_n", p.pending-p.held), false
	a.expect(awaitCluster, "", 0)
	return func() tea.Msg {
		res, err := s.Store.DecideCluster(s.Ctx, p.item.Cluster, d)
		return clusterDoneMsg{plan: p, res: res, err: err}
	}
}

func (a *App) clusterDone(m clusterDoneMsg) tea.Cmd {
	if m.err != nil {
		a.warn("status.cluster_not_saved", a.c.errText(m.err))
		return nil
	}
	a.tally[m.plan.action] += m.res.Decided
	msg := a.c.T.N("done.cluster."+string(m.plan.action), m.res.Decided, m.res.Decided, m.plan.reason.Code, a.c.Keys.Undo.Help().Key)
	if m.plan.action == model.ActionReject && a.c.Policy.NeedsSecondReview(m.plan.item.Category, m.plan.reason.Code) {
		msg += " " + a.c.T.S("status.cluster_awaiting") // four eyes: none is a takedown yet
	}
	if m.res.Held > 0 {
		msg += " " + a.c.T.N("status.cluster_skipped", m.res.Held)
	}
	a.status, a.isErr = msg, false
	cmds := []tea.Cmd{a.loadCounts(a.c.Filter), a.syncDetail(true)}
	if a.tab != model.QueuePending {
		cmds = append(cmds, a.current().reload(a.c))
	}
	// Refill the batch for the posts the cluster took out of it; the
	// claim's answer re-reads the pending list.
	return tea.Batch(append(cmds, a.claimMore(a.batch()))...)
}
