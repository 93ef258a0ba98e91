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
// event.

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

// startCluster begins a cluster decision on the selected post.
func (a *App) startCluster() tea.Cmd {
	if a.tab != model.QueuePending && a.tab != model.QueueSearch {
		a.setError("Cluster decisions are made from the Pending list or search results.")
		return nil
	}
	it, ok := a.current().selected()
	switch {
	case !ok:
		a.setError("No post selected.")
		return nil
	case it.ClusterSize < 2:
		a.setError("#%d has no near-duplicates: C decides a cluster of two or more.", it.PostID)
		return nil
	}
	if _, ok := a.c.Policy.Category(it.Category); !ok {
		a.setError("Post #%d has category %q, which the policy does not know.", it.PostID, sanitize.Line(it.Category))
		return nil
	}
	a.plan = clusterPlan{item: it}
	a.mode = modeCluster
	a.setStatus("Cluster of #%d (×%d): a approve · A approve… · r reject · e escalate · esc cancel", it.PostID, it.ClusterSize)
	return nil
}

// clusterKey takes the decision key after C.
func (a *App) clusterKey(msg tea.KeyPressMsg) tea.Cmd {
	k := a.c.Keys
	it := a.plan.item
	cat, _ := a.c.Policy.Category(it.Category)
	a.mode = modeBrowse
	switch {
	case key.Matches(msg, k.Approve):
		a.plan.action, a.plan.reason = model.ActionApprove, cat.DefaultApproval()
		return a.countCluster()
	case key.Matches(msg, k.ApproveWith):
		a.openClusterPicker(model.ActionApprove, "Approve the cluster of #%d — no violation because…", cat.Approvals())
	case key.Matches(msg, k.Reject):
		a.openClusterPicker(model.ActionReject, "Reject the cluster of #%d — violation:", cat.Violations())
	case key.Matches(msg, k.Escalate):
		a.openClusterPicker(model.ActionEscalate, "Escalate the cluster of #%d — why?", a.c.Policy.Escalation)
	default:
		a.setStatus("Cluster decision cancelled.")
	}
	return nil
}

func (a *App) openClusterPicker(action model.Action, title string, reasons []model.Reason) {
	a.plan.action = action
	a.picker = picker{title: fmt.Sprintf(title, a.plan.item.PostID), purpose: pickClusterReason, action: action,
		item: a.plan.item, reasons: reasons}
	a.mode = modePicker
}

// clusterReasonChosen continues after the reason: an escalation asks for
// its note, everything else for the confirmation.
func (a *App) clusterReasonChosen(r model.Reason) tea.Cmd {
	a.plan.reason = r
	if a.plan.action == model.ActionEscalate {
		return a.openNote(noteTarget{item: a.plan.item, action: model.ActionEscalate, reason: r, cluster: true})
	}
	return a.countCluster()
}

// countCluster reads how many posts the decision would take and skip.
func (a *App) countCluster() tea.Cmd {
	c, id := a.c, a.plan.item.Cluster
	a.setStatus("Counting the cluster's pending posts…")
	return func() tea.Msg {
		p, h, err := c.Store.ClusterPending(c.Ctx, id, c.Session)
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
	a.mode = modeConfirm
	a.status = ""
}

// confirmLines is the confirmation box's text.
func (a *App) confirmLines() (title string, lines []string) {
	p := a.plan
	n := p.pending - p.held
	title = fmt.Sprintf("%s %d pending post(s) of this cluster?", verbNow[p.action], n)
	lines = append(lines, fmt.Sprintf("Reason: %s %s", p.reason.Code, p.reason.Label))
	if p.note != "" {
		lines = append(lines, "Note: “"+sanitize.Line(p.note)+"”")
	}
	if p.held > 0 {
		lines = append(lines, fmt.Sprintf("%d more are open with other reviewers and will be skipped.", p.held))
	}
	lines = append(lines, "Each post gets its own audit event, signed by you.")
	return title, lines
}

var verbNow = map[model.Action]string{model.ActionApprove: "Approve", model.ActionReject: "Reject", model.ActionEscalate: "Escalate"}

func (a *App) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	k := a.c.Keys
	a.mode = modeBrowse
	if !key.Matches(msg, k.Yes, k.Confirm) {
		a.setStatus("Cluster decision cancelled: nothing was changed.")
		return nil
	}
	p, c := a.plan, a.c
	d := model.Decision{Actor: c.Actor(), Action: p.action, ReasonCode: p.reason.Code, Note: p.note}
	a.setStatus("Deciding %d posts…", p.pending-p.held)
	return func() tea.Msg {
		res, err := c.Store.DecideCluster(c.Ctx, p.item.Cluster, d)
		return clusterDoneMsg{plan: p, res: res, err: err}
	}
}

func (a *App) clusterDone(m clusterDoneMsg) tea.Cmd {
	if m.err != nil {
		a.setError("NOT SAVED: cluster decision — %s", sanitize.Line(m.err.Error()))
		return nil
	}
	a.session += m.res.Decided
	msg := fmt.Sprintf("%s %d post(s) of the cluster — %s.", verbs[m.plan.action], m.res.Decided, m.plan.reason.Code)
	if m.res.Held > 0 {
		msg += fmt.Sprintf(" %d held by other reviewers were skipped.", m.res.Held)
	}
	a.setStatus("%s", msg)
	cmds := []tea.Cmd{loadCounts(a.c), a.syncDetail(true)}
	if a.tab != model.QueuePending {
		cmds = append(cmds, a.current().reload(a.c))
	}
	// Refill the batch for the posts the cluster took out of it; the
	// claim's answer re-reads the pending list.
	left := 0
	for _, it := range a.pending().rows {
		if it.Cluster != m.plan.item.Cluster {
			left++
		}
	}
	return tea.Batch(append(cmds, claim(a.c, max(0, claimBatch-left), false))...)
}
