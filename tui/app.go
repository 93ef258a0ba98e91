// Package tui is triage's console: a Bubble Tea program that runs locally and,
// one per connection, over SSH.
package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"triage/model"
	"triage/tui/sanitize"
)

type mode int

const (
	modeBrowse mode = iota
	modePicker
	modeNote
	modeHelp
	modePrompt  // search, filter or view name
	modeCluster // C was pressed: waiting for the decision key
	modeConfirm // a cluster decision waits for y
	modeStats   // the stats view
)

// claimLow is when a session asks for more posts: fewer than this many left.
const claimLow = 5

// claimBatch is how many posts a session holds at a time.
const claimBatch = 10

// App is the console's root model.
type App struct {
	c          *Context
	tabs       []model.Queue
	tab        model.Queue
	lists      map[model.Queue]*list
	detail     detail
	mode       mode
	picker     picker
	note       textinput.Model
	noteFor    noteTarget
	counts     model.Counts
	online     int
	session    int // decisions this session, net of undos
	status     string
	isErr      bool
	refresh    time.Duration
	sized      bool
	lastActive time.Time // the last key press: leases renew only while the reviewer works
	renewed    time.Time
	// Search, filters and views (find.go).
	input      textinput.Model
	prompt     promptKind
	promptErr  string
	searchFrom model.Queue // the tab to go back to when search results close
	// A cluster decision being put together (cluster.go).
	plan clusterPlan
	// The stats view (statsview.go).
	dash    *model.Dashboard
	dashErr error
}

// noteTarget is what the note prompt will write: a plain note, or the note
// of an escalation or a return whose reason is already chosen.
type noteTarget struct {
	item    model.Item
	action  model.Action
	reason  model.Reason
	cluster bool // the note of a cluster escalation
}

// New builds a console for one session.
func New(ctx context.Context, opt Options) *App {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Refresh <= 0 {
		opt.Refresh = 3 * time.Second
	}
	if opt.Lease <= 0 {
		opt.Lease = 10 * time.Minute
	}
	if opt.Policy == nil {
		opt.Policy = model.DefaultPolicy()
	}
	if opt.Role == "" {
		opt.Role = model.RoleReviewer
	}
	c := &Context{Ctx: ctx, Reviewer: opt.Reviewer, Role: opt.Role, Session: opt.Session, KeyFP: opt.KeyFP,
		Lease: opt.Lease, Policy: opt.Policy, Store: opt.Store, Keys: DefaultKeyMap(), Styles: NewStyles(true), Now: opt.Now}
	a := &App{c: c, tab: model.QueuePending, detail: newDetail(), refresh: opt.Refresh,
		counts: model.Counts{ByStatus: map[model.Status]int{}, PendingByCategory: map[string]int{}},
		lists:  map[model.Queue]*list{}}
	a.tabs = []model.Queue{model.QueuePending, model.QueueMine}
	if c.Role == model.RoleLead {
		a.tabs = append(a.tabs, model.QueueLeads)
	}
	for _, q := range a.tabs {
		l := newList(q)
		a.lists[q] = &l
	}
	a.note = textinput.New()
	a.note.CharLimit = 2000
	a.note.Prompt = ""
	a.input = textinput.New()
	a.input.CharLimit = 500
	a.input.Prompt = ""
	c.Filter, c.View = opt.View.Filter, opt.View.Name
	return a
}

// Init asks for the client's background colour, claims a first batch and
// starts the refresh timer; the list is read once the window size is known.
func (a *App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, loadCounts(a.c), tick(a.refresh))
}

func (a *App) current() *list { return a.lists[a.tab] }

func (a *App) pending() *list { return a.lists[model.QueuePending] }

func (a *App) setStatus(format string, args ...any) {
	a.status, a.isErr = fmt.Sprintf(format, args...), false
}

func (a *App) setError(format string, args ...any) {
	a.status, a.isErr = fmt.Sprintf(format, args...), true
}

// Update routes messages; store answers come back as messages, so nothing
// here waits on the database.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.Width, a.c.Height = msg.Width, msg.Height
		a.layout()
		if !a.sized {
			a.sized = true
			cmds = append(cmds, claim(a.c, claimBatch, false))
		} else {
			cmds = append(cmds, a.current().refill(a.c))
		}
	case tea.BackgroundColorMsg:
		a.c.Styles = NewStyles(msg.IsDark())
		a.detail.render(a.c)
	case pageMsg:
		if l := a.lists[msg.queue]; l != nil {
			cmds = append(cmds, l.apply(a.c, msg))
		}
	case detailMsg:
		a.detail.apply(a.c, msg)
	case countsMsg:
		if msg.err == nil {
			a.counts, a.online = msg.counts, msg.online
		}
	case claimedMsg:
		if msg.err != nil {
			a.setError("Cannot claim posts: %s", sanitize.Line(msg.err.Error()))
		}
		cmds = append(cmds, a.pending().reload(a.c))
	case tickMsg:
		cmds = append(cmds, a.tick()...)
	case decidedMsg:
		cmds = append(cmds, a.decided(msg))
	case undoneMsg:
		cmds = append(cmds, a.undone(msg))
	case refilteredMsg:
		if msg.err != nil {
			a.setError("Cannot apply the filter: %s", sanitize.Line(msg.err.Error()))
		}
		cmds = append(cmds, a.pending().reload(a.c))
	case viewsMsg:
		a.openViews(msg)
	case viewSavedMsg:
		if msg.err != nil {
			a.setError("View not saved: %s", sanitize.Line(msg.err.Error()))
		} else {
			a.c.View = msg.name
			a.setStatus("Saved view %s: %s. Open it with v, or triage review --view %s.", msg.name, describeFilter(a.c.Filter), msg.name)
		}
	case clusterCountMsg:
		a.clusterCounted(msg)
	case clusterDoneMsg:
		cmds = append(cmds, a.clusterDone(msg))
	case dashboardMsg:
		d := msg.d
		a.dash, a.dashErr = &d, msg.err
	case tea.KeyPressMsg:
		a.lastActive = a.c.Now()
		cmds = append(cmds, a.key(msg))
	default:
		var cmd tea.Cmd
		switch a.mode {
		case modeNote:
			a.note, cmd = a.note.Update(msg)
			cleanInput(&a.note)
		case modePrompt:
			a.input, cmd = a.input.Update(msg)
			cleanInput(&a.input)
		}
		cmds = append(cmds, cmd)
	}
	cmds = append(cmds, a.syncDetail(false))
	return a, tea.Batch(cmds...)
}

// tick is the periodic refresh: counts and reviewers online, leases renewed
// while the reviewer is active, more posts claimed when few are left, and
// the visible list re-read so a post decided elsewhere never stays on screen.
func (a *App) tick() []tea.Cmd {
	cmds := []tea.Cmd{loadCounts(a.c), tick(a.refresh)}
	if a.mode == modeStats {
		cmds = append(cmds, loadDashboard(a.c))
	}
	now := a.c.Now()
	renew := a.lastActive.After(a.renewed) && now.Sub(a.renewed) >= a.c.Lease/4
	p := a.pending()
	if renew || (len(p.rows) < claimLow && p.loaded && len(p.saving) == 0) {
		if renew {
			a.renewed = now
		}
		return append(cmds, claim(a.c, max(0, claimBatch-len(p.rows)), renew))
	}
	if l := a.current(); !l.inflight && a.mode == modeBrowse && len(l.saving) == 0 {
		cmds = append(cmds, l.reload(a.c))
	}
	return cmds
}

// syncDetail loads the selected post into the detail pane when the selection
// has moved to another post (or when forced, after a change to it).
func (a *App) syncDetail(force bool) tea.Cmd {
	id := a.current().selectedPostID()
	if id == a.detail.want && !force {
		return nil
	}
	a.detail.want = id
	if id == 0 {
		a.detail.post, a.detail.err = nil, nil
		a.detail.render(a.c)
		return nil
	}
	return loadDetail(a.c, id)
}

func (a *App) key(msg tea.KeyPressMsg) tea.Cmd {
	k := a.c.Keys
	switch a.mode {
	case modeHelp:
		if msg.String() == "ctrl+c" {
			return tea.Quit
		}
		a.mode = modeBrowse // any other key closes help
		return nil
	case modePicker:
		return a.pickerKey(msg)
	case modeNote:
		return a.noteKey(msg)
	case modePrompt:
		return a.promptKey(msg)
	case modeCluster:
		return a.clusterKey(msg)
	case modeConfirm:
		return a.confirmKey(msg)
	case modeStats:
		switch {
		case key.Matches(msg, k.Quit):
			return tea.Quit
		case key.Matches(msg, k.Stats, k.Cancel):
			a.mode = modeBrowse
		}
		return nil
	}
	l := a.current()
	a.status = ""
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		a.mode = modeHelp
	case key.Matches(msg, k.Down):
		return l.move(a.c, 1)
	case key.Matches(msg, k.Up):
		return l.move(a.c, -1)
	case key.Matches(msg, k.PageDown):
		return l.move(a.c, l.height)
	case key.Matches(msg, k.PageUp):
		return l.move(a.c, -l.height)
	case key.Matches(msg, k.Top):
		if l.atStart {
			return l.move(a.c, -len(l.rows))
		}
		return l.loadFirst(a.c)
	case key.Matches(msg, k.Bottom):
		if l.atEnd {
			return l.move(a.c, len(l.rows))
		}
		return l.loadLast(a.c)
	case key.Matches(msg, k.ScrollDown):
		a.detail.scroll(a.c, max(1, a.detail.height/2))
	case key.Matches(msg, k.ScrollUp):
		a.detail.scroll(a.c, -max(1, a.detail.height/2))
	case key.Matches(msg, k.History):
		a.detail.history = !a.detail.history
		a.detail.offset = 0
		a.detail.render(a.c)
	case key.Matches(msg, k.SwitchQueue):
		return a.nextTab()
	case key.Matches(msg, k.Cancel) && a.tab == model.QueueSearch:
		return a.leaveSearch()
	case key.Matches(msg, k.Search):
		q := ""
		if a.tab == model.QueueSearch {
			q = l.search
		}
		return a.openPrompt(promptSearch, q)
	case key.Matches(msg, k.Filter):
		return a.openPrompt(promptFilter, a.c.Filter.String())
	case key.Matches(msg, k.Views):
		return loadViews(a.c)
	case key.Matches(msg, k.Stats):
		a.mode, a.dash, a.dashErr = modeStats, nil, nil
		return loadDashboard(a.c)
	case key.Matches(msg, k.Cluster):
		return a.startCluster()
	case key.Matches(msg, k.Undo):
		a.setStatus("Undoing your last decision…")
		return undoLast(a.c)
	case key.Matches(msg, k.Note):
		it, ok := l.selected()
		if !ok {
			a.setError("No post selected.")
			return nil
		}
		return a.openNote(noteTarget{item: it, action: model.ActionNote})
	case key.Matches(msg, k.Approve, k.ApproveWith, k.Reject, k.Escalate, k.Return):
		return a.decisionKey(msg)
	}
	return nil
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
	if a.tab == model.QueuePending {
		return a.current().reload(a.c)
	}
	return a.current().loadFirst(a.c)
}

// decideable returns the selected post of a queue decisions are made in, or
// explains why there is none.
func (a *App) decideable() (*list, model.Item, model.Category, bool) {
	l := a.current()
	if a.tab == model.QueueMine {
		a.setError("Decisions are made in the Pending queue: press tab.")
		return l, model.Item{}, model.Category{}, false
	}
	it, ok := l.selected()
	if !ok {
		a.setError("Nothing to decide here: the queue is empty.")
		return l, it, model.Category{}, false
	}
	if l.saving[it.PostID] {
		a.setError("Post #%d is still being saved.", it.PostID)
		return l, it, model.Category{}, false
	}
	if a.tab == model.QueueSearch && it.Status != model.StatusPending && it.Status != model.StatusEscalated {
		a.setError("#%d is already %s; u undoes your own last decision.", it.PostID, it.Status)
		return l, it, model.Category{}, false
	}
	cat, ok := a.c.Policy.Category(it.Category)
	if !ok {
		a.setError("Post #%d has category %q, which the policy does not know.", it.PostID, sanitize.Line(it.Category))
		return l, it, cat, false
	}
	return l, it, cat, true
}

func (a *App) decisionKey(msg tea.KeyPressMsg) tea.Cmd {
	k := a.c.Keys
	l, it, cat, ok := a.decideable()
	if !ok {
		return nil
	}
	leads := a.tab == model.QueueLeads || it.Status == model.StatusEscalated
	switch {
	case key.Matches(msg, k.Approve):
		return a.commit(l, it, model.ActionApprove, cat.DefaultApproval(), "")
	case key.Matches(msg, k.ApproveWith):
		a.openPicker(it, model.ActionApprove, "Approve #%d — no violation because…", cat.Approvals())
	case key.Matches(msg, k.Reject):
		a.openPicker(it, model.ActionReject, "Reject #%d — violation:", cat.Violations())
	case key.Matches(msg, k.Escalate) && leads:
		a.setError("#%d is already with the leads: approve, reject, or b to send it back.", it.PostID)
	case key.Matches(msg, k.Escalate):
		a.openPicker(it, model.ActionEscalate, "Escalate #%d to a lead — why?", a.c.Policy.Escalation)
	case key.Matches(msg, k.Return) && leads:
		return a.openNote(noteTarget{item: it, action: model.ActionReturn})
	case key.Matches(msg, k.Return):
		a.setError("b sends an escalated post back to the reviewers; it works in the Leads tab.")
	}
	return nil
}

func (a *App) openPicker(it model.Item, action model.Action, title string, reasons []model.Reason) {
	a.picker = picker{title: fmt.Sprintf(title, it.PostID), action: action, item: it, reasons: reasons}
	a.mode = modePicker
}

func (a *App) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	switch a.picker.update(a.c, msg) {
	case pickerCancelled:
		a.mode = modeBrowse
		a.setStatus("Cancelled.")
	case pickerChosen:
		a.mode = modeBrowse
		p := a.picker
		switch p.purpose {
		case pickView:
			return a.viewChosen(p.sel)
		case pickClusterReason:
			return a.clusterReasonChosen(p.chosen())
		}
		if p.action == model.ActionEscalate {
			return a.openNote(noteTarget{item: p.item, action: p.action, reason: p.chosen()})
		}
		return a.commit(a.current(), p.item, p.action, p.chosen(), "")
	}
	return nil
}

func (a *App) openNote(t noteTarget) tea.Cmd {
	a.noteFor = t
	a.mode = modeNote
	a.note.Reset()
	a.note.SetWidth(max(10, a.c.Width-lipgloss.Width(a.noteLabel())-1))
	return a.note.Focus()
}

func (a *App) noteKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, a.c.Keys.Cancel):
		a.mode = modeBrowse
		a.note.Blur()
		a.setStatus("Cancelled.")
		return nil
	case key.Matches(msg, a.c.Keys.Confirm):
		t, text := a.noteFor, a.note.Value()
		switch {
		case t.action == model.ActionNote && text == "":
			a.mode = modeBrowse
			a.setStatus("Empty note not saved.")
			return nil
		case t.action == model.ActionNote:
			a.mode = modeBrowse
			return decide(a.c, model.Decision{PostID: t.item.PostID, Actor: a.c.Actor(), Action: model.ActionNote, Note: text})
		case t.action == model.ActionReturn && text == "":
			return nil // a return needs a note for the reviewers: keep the prompt open
		}
		a.mode = modeBrowse
		a.note.Blur()
		if t.cluster {
			a.plan.note = text
			return a.countCluster()
		}
		l := a.current()
		if l.saving[t.item.PostID] {
			return nil
		}
		return a.commit(l, t.item, t.action, t.reason, text)
	}
	var cmd tea.Cmd
	a.note, cmd = a.note.Update(msg)
	cleanInput(&a.note)
	return cmd
}

// commit starts a decision: the row is marked as saving and the selection
// moves on at once; the row leaves the list only when the commit is back.
func (a *App) commit(l *list, it model.Item, action model.Action, reason model.Reason, note string) tea.Cmd {
	l.saving[it.PostID] = true
	if sel, ok := l.selected(); ok && sel.PostID == it.PostID && l.sel < len(l.rows)-1 {
		l.move(a.c, 1)
	}
	a.setStatus("Saving #%d…", it.PostID)
	d := model.Decision{PostID: it.PostID, Actor: a.c.Actor(), Action: action, ReasonCode: reason.Code, Note: note}
	if l.queue == model.QueueSearch && it.Status == model.StatusPending {
		return claimAndDecide(a.c, d)
	}
	return decide(a.c, d)
}

var verbs = map[model.Action]string{model.ActionApprove: "Approved", model.ActionReject: "Rejected",
	model.ActionEscalate: "Escalated", model.ActionReturn: "Sent back to the reviewers:"}

func (a *App) decided(m decidedMsg) tea.Cmd {
	id := m.d.PostID
	if m.d.Action == model.ActionNote {
		if m.err != nil {
			a.setError("Note not saved on #%d: %s", id, sanitize.Line(m.err.Error()))
			return nil
		}
		a.setStatus("Note added to #%d.", id)
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
	if m.err != nil {
		a.setError("NOT SAVED: #%d — %s", id, sanitize.Line(m.err.Error()))
		for i, it := range l.rows {
			if it.PostID == id {
				l.sel = i
				l.scrollIntoView()
			}
		}
		return tea.Batch(l.reload(a.c), loadCounts(a.c))
	}
	if l.queue == model.QueueSearch {
		// A search result stays in the results, with its new status.
		a.session++
		a.setStatus("%s #%d.", verbs[m.d.Action], id)
		return tea.Batch(l.reload(a.c), loadCounts(a.c))
	}
	l.remove(id)
	a.session++
	r, _ := a.c.Policy.Reason(m.d.ReasonCode)
	if m.d.Action == model.ActionReturn {
		r = model.Reason{Label: "“" + sanitize.Line(m.d.Note) + "”"}
	}
	a.setStatus("%s #%d — %s %s.", verbs[m.d.Action], id, r.Code, r.Label)
	if l.queue == model.QueuePending {
		a.counts.ByStatus[model.StatusPending]-- // the counters are re-read on the next tick
		if len(l.rows) < claimLow {
			return claim(a.c, claimBatch-len(l.rows), false)
		}
	}
	return l.refill(a.c)
}

func (a *App) undone(m undoneMsg) tea.Cmd {
	if m.err != nil {
		a.setError("Undo: %s", sanitize.Line(m.err.Error()))
		return nil
	}
	a.session = max(0, a.session-1)
	q := model.QueuePending
	if m.post.Status == model.StatusEscalated && a.lists[model.QueueLeads] != nil {
		q = model.QueueLeads
	}
	a.setStatus("Undone: #%d is %s again.", m.post.ID, m.post.Status)
	a.tab = q
	return tea.Batch(a.lists[q].loadAround(a.c, model.Key{A: m.post.Priority, B: m.post.ID}, true), loadCounts(a.c), a.syncDetail(true))
}
