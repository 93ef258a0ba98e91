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
)

// App is the console's root model.
type App struct {
	c       *Context
	tab     model.Queue
	pending *list
	mine    *list
	detail  detail
	mode    mode
	picker  picker
	note    textinput.Model
	noteFor noteTarget
	counts  model.Counts
	session int // decisions this session, net of undos
	status  string
	isErr   bool
	refresh time.Duration
	sized   bool
}

// noteTarget is what the note prompt will write: a plain note, or the note
// of an escalation whose reason is already chosen.
type noteTarget struct {
	item   model.Item
	action model.Action
	reason model.Reason
}

// New builds a console for one session.
func New(ctx context.Context, opt Options) *App {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Refresh <= 0 {
		opt.Refresh = 3 * time.Second
	}
	if opt.Policy == nil {
		opt.Policy = model.DefaultPolicy()
	}
	c := &Context{Ctx: ctx, Reviewer: opt.Reviewer, KeyFP: opt.KeyFP, Policy: opt.Policy, Store: opt.Store,
		Keys: DefaultKeyMap(), Styles: NewStyles(true), Now: opt.Now}
	pending, mine := newList(model.QueuePending), newList(model.QueueMine)
	note := textinput.New()
	note.CharLimit = 2000
	note.Prompt = ""
	return &App{c: c, tab: model.QueuePending, pending: &pending, mine: &mine, detail: newDetail(),
		note: note, refresh: opt.Refresh,
		counts: model.Counts{ByStatus: map[model.Status]int{}, PendingByCategory: map[string]int{}}}
}

// Init asks for the client's background colour and starts the refresh timer;
// the queue is read once the window size is known.
func (a *App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, loadCounts(a.c), tick(a.refresh))
}

func (a *App) current() *list {
	if a.tab == model.QueueMine {
		return a.mine
	}
	return a.pending
}

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
			cmds = append(cmds, a.pending.loadFirst(a.c))
		} else {
			cmds = append(cmds, a.current().refill(a.c))
		}
	case tea.BackgroundColorMsg:
		a.c.Styles = NewStyles(msg.IsDark())
		a.detail.render(a.c)
	case pageMsg:
		l := a.pending
		if msg.queue == model.QueueMine {
			l = a.mine
		}
		cmds = append(cmds, l.apply(a.c, msg))
	case detailMsg:
		a.detail.apply(a.c, msg)
	case countsMsg:
		if msg.err == nil {
			a.counts = msg.counts
		}
	case tickMsg:
		cmds = append(cmds, loadCounts(a.c), tick(a.refresh))
		if l := a.current(); !l.inflight && a.mode == modeBrowse && len(l.saving) == 0 {
			cmds = append(cmds, l.reload(a.c))
		}
	case decidedMsg:
		cmds = append(cmds, a.decided(msg))
	case undoneMsg:
		cmds = append(cmds, a.undone(msg))
	case tea.KeyPressMsg:
		cmds = append(cmds, a.key(msg))
	default:
		if a.mode == modeNote {
			var cmd tea.Cmd
			a.note, cmd = a.note.Update(msg)
			cmds = append(cmds, cmd)
		}
	}
	cmds = append(cmds, a.syncDetail(false))
	return a, tea.Batch(cmds...)
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
		if key.Matches(msg, k.Quit) && msg.String() == "ctrl+c" {
			return tea.Quit
		}
		a.mode = modeBrowse // any key closes help
		return nil
	case modePicker:
		return a.pickerKey(msg)
	case modeNote:
		return a.noteKey(msg)
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
	case key.Matches(msg, k.SwitchQueue):
		if a.tab == model.QueuePending {
			a.tab = model.QueueMine
			return a.mine.loadFirst(a.c)
		}
		a.tab = model.QueuePending
		return a.pending.reload(a.c)
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
	case key.Matches(msg, k.Approve, k.ApproveWith, k.Reject, k.Escalate):
		return a.decisionKey(msg)
	}
	return nil
}

// decideable returns the selected pending post, or explains why there is none.
func (a *App) decideable() (model.Item, model.Category, bool) {
	if a.tab != model.QueuePending {
		a.setError("Decisions are made in the Pending queue: press tab.")
		return model.Item{}, model.Category{}, false
	}
	it, ok := a.pending.selected()
	if !ok {
		a.setError("Nothing to decide: the queue is empty.")
		return it, model.Category{}, false
	}
	if a.pending.saving[it.PostID] {
		a.setError("Post #%d is still being saved.", it.PostID)
		return it, model.Category{}, false
	}
	cat, ok := a.c.Policy.Category(it.Category)
	if !ok {
		a.setError("Post #%d has category %q, which the policy does not know.", it.PostID, sanitize.Line(it.Category))
		return it, cat, false
	}
	return it, cat, true
}

func (a *App) decisionKey(msg tea.KeyPressMsg) tea.Cmd {
	k := a.c.Keys
	it, cat, ok := a.decideable()
	if !ok {
		return nil
	}
	switch {
	case key.Matches(msg, k.Approve):
		return a.commit(it, model.ActionApprove, cat.DefaultApproval(), "")
	case key.Matches(msg, k.ApproveWith):
		a.openPicker(it, model.ActionApprove, "Approve #%d — no violation because…", cat.Approvals())
	case key.Matches(msg, k.Reject):
		a.openPicker(it, model.ActionReject, "Reject #%d — violation:", cat.Violations())
	case key.Matches(msg, k.Escalate):
		a.openPicker(it, model.ActionEscalate, "Escalate #%d to a lead — why?", a.c.Policy.Escalation)
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
		if p.action == model.ActionEscalate {
			return a.openNote(noteTarget{item: p.item, action: p.action, reason: p.chosen()})
		}
		return a.commit(p.item, p.action, p.chosen(), "")
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
		a.mode = modeBrowse
		a.note.Blur()
		t, text := a.noteFor, a.note.Value()
		if t.action == model.ActionNote {
			if text == "" {
				a.setStatus("Empty note not saved.")
				return nil
			}
			return decide(a.c, model.Decision{PostID: t.item.PostID, Reviewer: a.c.Reviewer, KeyFP: a.c.KeyFP, Action: model.ActionNote, Note: text})
		}
		if a.pending.saving[t.item.PostID] {
			return nil
		}
		return a.commit(t.item, t.action, t.reason, text)
	}
	var cmd tea.Cmd
	a.note, cmd = a.note.Update(msg)
	return cmd
}

// commit starts a decision: the row is marked as saving and the selection
// moves on at once; the row leaves the queue only when the commit is back.
func (a *App) commit(it model.Item, action model.Action, reason model.Reason, note string) tea.Cmd {
	a.pending.saving[it.PostID] = true
	if sel, ok := a.pending.selected(); ok && sel.PostID == it.PostID && a.pending.sel < len(a.pending.rows)-1 {
		a.pending.move(a.c, 1)
	}
	a.setStatus("Saving #%d…", it.PostID)
	return decide(a.c, model.Decision{PostID: it.PostID, Reviewer: a.c.Reviewer, KeyFP: a.c.KeyFP,
		Action: action, ReasonCode: reason.Code, Note: note})
}

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
	delete(a.pending.saving, id)
	a.pending.gen++ // an answer read before this commit must not bring the row back
	a.pending.inflight = false
	if m.err != nil {
		a.setError("NOT SAVED: #%d stays in the queue — %s", id, sanitize.Line(m.err.Error()))
		for i, it := range a.pending.rows {
			if it.PostID == id {
				a.pending.sel = i
				a.pending.scrollIntoView()
			}
		}
		return tea.Batch(a.pending.reload(a.c), loadCounts(a.c))
	}
	a.pending.remove(id)
	a.session++
	r, _ := a.c.Policy.Reason(m.d.ReasonCode)
	verb := map[model.Action]string{model.ActionApprove: "Approved", model.ActionReject: "Rejected", model.ActionEscalate: "Escalated"}[m.d.Action]
	a.setStatus("%s #%d — %s %s.", verb, id, r.Code, r.Label)
	a.counts.ByStatus[model.StatusPending]-- // the counters are re-read on the next tick
	return a.pending.refill(a.c)
}

func (a *App) undone(m undoneMsg) tea.Cmd {
	if m.err != nil {
		a.setError("Undo: %s", sanitize.Line(m.err.Error()))
		return nil
	}
	a.session = max(0, a.session-1)
	a.setStatus("Undone: #%d is back in the queue.", m.post.ID)
	a.tab = model.QueuePending
	return tea.Batch(a.pending.loadAround(a.c, model.Key{A: m.post.Priority, B: m.post.ID}, true), loadCounts(a.c), a.syncDetail(true))
}
