package tui

import (
	tea "charm.land/bubbletea/v2"

	"triage/model"
	"triage/tui/sanitize"
)

// What the browsing keys do. Each is a binding's handler (bindings.go); the
// binding has already checked that the key may act.

func (a *App) toTop() tea.Cmd {
	l := a.current()
	if l.atStart {
		return l.move(a.c, -len(l.rows))
	}
	cmd := l.loadFirst(a.c)
	a.expect(awaitPage, l.queue, l.gen)
	return cmd
}

func (a *App) toBottom() tea.Cmd {
	l := a.current()
	if l.atEnd {
		return l.move(a.c, len(l.rows))
	}
	cmd := l.loadLast(a.c)
	a.expect(awaitPage, l.queue, l.gen)
	return cmd
}

func (a *App) nextTab() tea.Cmd {
	if a.tab == model.QueueSearch {
		delete(a.lists, model.QueueSearch)
		a.tab = a.searchFrom
	}
	for i, q := range a.tabs {
		if q == a.tab {
			a.tab = a.tabs[(i+1)%len(a.tabs)]
			break
		}
	}
	l := a.current()
	var cmd tea.Cmd
	if a.tab == model.QueuePending {
		cmd = l.reload(a.c)
	} else {
		cmd = l.loadFirst(a.c)
	}
	a.expect(awaitPage, l.queue, l.gen)
	return cmd
}

// escape closes the full-screen post, else the search results.
func (a *App) escape() tea.Cmd {
	if a.detail.full {
		a.detail.full = false
		a.layout()
		return nil
	}
	return a.leaveSearch()
}

func (a *App) openPost() tea.Cmd {
	a.detail.full = !a.detail.full
	a.layout()
	return nil
}

// copyURL puts the post's URL on the reviewer's own clipboard with OSC 52:
// the console's own escape, sent to this client's terminal (over SSH too),
// carrying the URL the import validated — never bytes from the post's text.
func (a *App) copyURL() tea.Cmd {
	u := a.detail.post.URL
	if sanitize.Line(u) != u {
		a.warn("status.url_not_copied")
		return nil
	}
	if len(u) > maxSequenceURL {
		a.warn("status.url_too_long", len(u))
		return nil
	}
	a.tell("status.url_copied", a.detail.post.ID)
	return tea.SetClipboard(u)
}

func (a *App) toggleReveal() tea.Cmd {
	a.c.RevealSensitive = !a.c.RevealSensitive
	if a.c.RevealSensitive {
		a.tell("status.sensitive_shown", a.c.Keys.Reveal.Help().Key)
	} else {
		a.tell("status.sensitive_hidden")
	}
	a.detail.render(a.c)
	return nil
}

func (a *App) openHelp() tea.Cmd {
	a.open = newHelpScreen(a, a.c.T.S("help.title"), a, browseHelpTitles)
	return nil
}

func (a *App) openStats() tea.Cmd {
	a.open = &stats{}
	return loadDashboard(a.c.Session)
}

// selectedCategory is the selected post and its category (the binding's
// why has checked both exist).
func (a *App) selectedCategory() (model.Item, model.Category) {
	it, _ := a.current().selected()
	cat, _ := a.c.Policy.Category(it.Category)
	return it, cat
}

func (a *App) approve() tea.Cmd {
	it, cat := a.selectedCategory()
	return a.decideWith(it, model.ActionApprove, cat.DefaultApproval())
}

func (a *App) approveWith() tea.Cmd {
	it, cat := a.selectedCategory()
	return a.pickReason(it, model.ActionApprove, a.c.T.S("pick.approve", it.PostID), cat.Approvals())
}

func (a *App) reject() tea.Cmd {
	it, cat := a.selectedCategory()
	return a.pickReason(it, model.ActionReject, a.c.T.S("pick.reject", it.PostID), cat.Violations())
}

func (a *App) escalate() tea.Cmd {
	it, _ := a.selectedCategory()
	return a.pickReason(it, model.ActionEscalate, a.c.T.S("pick.escalate", it.PostID), a.c.Policy.Escalation)
}

// pickReason opens the reason picker; an escalation then asks for its note.
// On a four-eyes rejection whose first decision is shown, the first reason
// is selected: enter confirms it.
func (a *App) pickReason(it model.Item, action model.Action, title string, reasons []model.Reason) tea.Cmd {
	p := &picker{title: title, choices: reasons, choose: func(a *App, i int) tea.Cmd {
		return a.decideWith(it, action, reasons[i])
	}}
	if action == model.ActionReject && it.Look == nil {
		// In the Confirm tab the reason says confirm or disagree instead.
		p.fourEyes = fourEyesOf(a.c.Policy, it.Category)
	}
	if lk := it.Look; lk != nil && a.detail.look != nil && *a.detail.look == *lk && !a.detail.blind() {
		for i, r := range reasons {
			if r.Code == lk.FirstCode {
				p.sel = i
			}
		}
	}
	a.open = p
	return nil
}

func (a *App) note() tea.Cmd {
	it, _ := a.current().selected()
	return a.askNote(it, model.ActionNote, model.Reason{}, a.c.T.S("prompt.note", it.PostID, a.c.Keys.Confirm.Help().Key, a.c.Keys.Cancel.Help().Key)+" ", a.c.T.S("prompt.note_empty"))
}

func (a *App) sendBack() tea.Cmd {
	it, _ := a.current().selected()
	return a.askNote(it, model.ActionReturn, model.Reason{}, a.c.T.S("prompt.send_back", it.PostID)+" ",
		a.c.T.S("prompt.send_back_empty"))
}

func (a *App) reopen() tea.Cmd {
	it, _ := a.current().selected()
	return a.askNote(it, model.ActionReopen, model.Reason{}, a.c.T.S("prompt.reopen", it.PostID)+" ", a.c.T.S("prompt.reopen_empty"))
}

func (a *App) retract() tea.Cmd {
	it, _ := a.current().selected()
	return a.askNote(it, model.ActionRetract, model.Reason{}, a.c.T.S("prompt.retract", it.PostID)+" ",
		a.c.T.S("prompt.retract_empty"))
}

// askNote opens the note prompt for an action; required is the refusal of
// an empty note ("" when a note may be empty).
func (a *App) askNote(it model.Item, action model.Action, r model.Reason, label, required string) tea.Cmd {
	p := newPrompt(a, label, "", 2000)
	p.hint = a.c.T.S("prompt.hint_save", a.c.Keys.Confirm.Help().Key, a.c.Keys.Cancel.Help().Key)
	p.required = required
	p.submit = func(a *App, text string) (tea.Cmd, string) {
		switch action {
		case model.ActionNote, model.ActionRetract, model.ActionReopen, model.ActionReturn:
			if action != model.ActionNote {
				a.tell("status.saving", it.PostID)
			}
			d := model.Decision{PostID: it.PostID, Actor: a.c.Actor(), Action: action, Note: text}
			if action == model.ActionReturn {
				return a.commit(a.current(), it, action, r, text), ""
			}
			return decide(a.c.Session, d), ""
		}
		if a.current().saving[it.PostID] {
			return nil, a.c.T.S("why.still_saving", it.PostID)
		}
		return a.commit(a.current(), it, action, r, text), ""
	}
	a.open = p
	return p.focus()
}

// commit starts a decision: the row is marked as saving and the selection
// moves on at once; the row leaves the list only when the commit is back.
func (a *App) commit(l *list, it model.Item, action model.Action, reason model.Reason, note string) tea.Cmd {
	l.saving[it.PostID] = true
	if sel, ok := l.selected(); ok && sel.PostID == it.PostID && l.sel < len(l.rows)-1 {
		l.move(a.c, 1)
	}
	a.tell("status.saving", it.PostID)
	d := model.Decision{PostID: it.PostID, Actor: a.c.Actor(), Action: action, ReasonCode: reason.Code, Note: note}
	if l.queue == model.QueueSearch && it.Status == model.StatusPending {
		return claimAndDecide(a.c.Session, d)
	}
	if l.queue == model.QueuePending && len(l.rows)-len(l.saving) < model.ClaimLow && !a.claiming {
		// This decision leaves the batch short: its transaction refills
		// it, rather than a claim of its own after it.
		a.claiming = true
		d.TopUp = &model.TopUp{Batch: a.batch(), Lease: a.c.Session.Lease, Filter: a.c.Filter}
	}
	return decide(a.c.Session, d)
}

// tellDecided is the one message a decision gets, wherever it was made:
// what was done, to which post, and why.
func (a *App) tellDecided(m decidedMsg) {
	r, _ := a.c.Policy.Reason(m.d.ReasonCode)
	why := joinNonEmpty(r.Code, a.c.label(r.Label))
	if m.d.Action == model.ActionReturn {
		why = "“" + sanitize.Line(m.d.Note) + "”"
	}
	done := "done." + string(m.d.Action)
	if m.ev.To == model.StatusAwaiting {
		done = "done.reject_awaiting" // four eyes: not a takedown yet
	}
	a.tell(done, m.d.PostID, " — "+why)
}

func (a *App) decided(m decidedMsg) tea.Cmd {
	id := m.d.PostID
	switch m.d.Action {
	case model.ActionNote, model.ActionRetract, model.ActionReopen:
		if m.err != nil {
			a.warn("status.not_saved_"+string(m.d.Action), id, a.c.errText(m.err))
			return nil
		}
		if m.d.Action != model.ActionNote {
			a.tell("status."+map[model.Action]string{model.ActionRetract: "retracted", model.ActionReopen: "reopened"}[m.d.Action], id)
			return tea.Batch(a.current().reload(a.c), a.syncDetail(true), a.loadCounts(a.c.Filter))
		}
		a.tell("status.note_added", id)
		if a.detail.want == id {
			return a.syncDetail(true)
		}
		return nil
	}
	var l *list
	for _, cand := range a.lists {
		if cand.saving[id] {
			l = cand
		}
	}
	if l == nil {
		l = a.current()
	}
	delete(l.saving, id)
	l.gen++ // an answer read before this commit must not bring the row back
	l.inflight = false
	if m.d.TopUp != nil {
		a.claiming = false // the claim landed with the decision, or was given up with it
	}
	if m.err != nil {
		a.warn("status.not_saved", id, a.c.errText(m.err))
		for i, it := range l.rows {
			if it.PostID == id {
				l.sel = i
				l.scrollIntoView()
			}
		}
		return tea.Batch(l.reload(a.c), a.loadCounts(a.c.Filter))
	}
	a.tally[m.d.Action]++
	a.tellDecided(m)
	if l.queue == model.QueueSearch {
		// A search result stays in the results, with its new status, and
		// the pane shows it decided (the selection may still be on it).
		return tea.Batch(l.reload(a.c), a.loadCounts(a.c.Filter), a.syncDetail(true))
	}
	l.remove(id)
	if l.queue == model.QueuePending {
		// Shown at once, then read again: a read already on its way may
		// hold this decision too (loadCounts).
		a.counts.ByStatus[model.StatusPending]--
		counts := a.loadCounts(a.c.Filter)
		if m.d.TopUp != nil {
			return tea.Batch(l.reload(a.c), counts)
		}
		if len(l.rows) < model.ClaimLow {
			return tea.Batch(a.claimMore(a.batch()), l.refill(a.c), counts)
		}
		return tea.Batch(l.refill(a.c), counts)
	}
	return l.refill(a.c)
}

// undo asks what to undo: my latest decision, or in My decisions the
// selected one. A cluster decision is one move and is undone whole, after
// a confirmation saying how many posts.
func (a *App) undo() tea.Cmd {
	var post int64
	if a.tab == model.QueueMine {
		post = a.current().selectedPostID()
	}
	a.tell("status.undoing")
	a.expect(awaitUndo, "", 0)
	return planUndo(a.c.Session, post)
}

func (a *App) undoPlanned(m undoPlannedMsg) tea.Cmd {
	switch {
	case m.err != nil:
		a.warn("status.undo_failed", a.c.errText(m.err))
		return nil
	case len(m.plan.Posts) == 0 && a.tab == model.QueueMine:
		a.warn("status.undo_gone")
		return nil
	case len(m.plan.Posts) == 0:
		a.warn("status.undo_none")
		return nil
	case len(m.plan.Posts) == 1:
		return undoPosts(a.c.Session, m.plan)
	}
	plan := m.plan
	a.open = &confirm{
		title: a.c.T.N("confirm.undo_cluster", len(plan.Posts)),
		lines: []string{a.c.T.S("confirm.undo_cluster_how." + string(plan.Action))},
		yes: func(a *App) tea.Cmd {
			a.status, a.isErr = a.c.T.N("status.undoing_n", len(plan.Posts)), false
			return undoPosts(a.c.Session, plan)
		},
		no: a.c.T.S("status.undo_cancelled"),
	}
	a.status = ""
	return nil
}

func (a *App) undone(m undoneMsg) tea.Cmd {
	if m.err != nil {
		a.warn("status.undo_failed", a.c.errText(m.err))
		return a.current().reload(a.c)
	}
	a.tally[m.plan.Action] = max(0, a.tally[m.plan.Action]-m.n)
	if m.n > 1 {
		a.tell("status.undone_n", m.n)
	} else {
		a.tell("status.undone", m.post.ID, a.c.statusWord(m.post.Status))
	}
	if a.tab == model.QueueMine {
		return tea.Batch(a.current().reload(a.c), a.loadCounts(a.c.Filter), a.syncDetail(true))
	}
	q := model.QueuePending
	if m.post.Status == model.StatusEscalated && a.lists[model.QueueLeads] != nil {
		q = model.QueueLeads
	}
	a.tab = q
	return tea.Batch(a.lists[q].loadAround(a.c, model.Key{Order: m.post.Priority, Tie: m.post.ID}, true),
		a.loadCounts(a.c.Filter), a.syncDetail(true))
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}
