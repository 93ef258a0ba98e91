// Package tui is triage's console: a Bubble Tea program that runs locally and,
// one per connection, over SSH.
package tui

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/model"
	"triage/tui/sanitize"
)

// App is the console's root model. It routes messages to the component that
// has the focus — the open overlay, else the browsing keys of the binding
// table — and lays the components out. It holds no mode switch of its own.
type App struct {
	c      *Context
	binds  []binding
	tabs   []model.Queue
	tab    model.Queue
	lists  map[model.Queue]*list
	detail detail
	open   overlay // the focused overlay, nil while browsing
	help   help.Model
	seen   seenPosts
	frame  string                    // the last frame drawn
	still  bool                      // the message being handled changed nothing on screen
	dirty  bool                      // a message since the last frame changed the screen
	hint   struct{ id, line string } // the hint line last drawn, and the keys and width it shows
	// What the header says.
	counts    model.Counts
	matching  int  // pending posts passing the filter; -1 with no filter
	toConfirm int  // what waits in the Confirm queue: its tab says how many
	atLimit   bool // the last claim got nothing: the reviewer holds the policy's limit elsewhere
	// countsSeq numbers the counts reads started, countsShown is the
	// newest one shown (loadCounts).
	countsSeq, countsShown uint64
	online                 int
	// This session's work, for the header and the summary at quit.
	started time.Time
	tally   map[model.Action]int // decisions by action, net of undos
	// The status line.
	status string
	isErr  bool
	sized  bool
	// Leases renew at half the lease (and the heartbeat every tick).
	renewed time.Time
	// Keys typed while something they depend on is loading wait here, in
	// order, and are applied when it lands (typeahead).
	await  awaiting
	queued []tea.KeyPressMsg
	// searchFrom is the tab to go back to when search results close.
	claiming     bool // a claim is in flight: no second one, and decision keys wait for it
	searchFrom   model.Queue
	searchStatus string       // the status line a search set, cleared when its results land
	plan         clusterPlan  // a cluster decision being put together
	facets       model.Facets // platforms and languages present, for the filter bar
	// Changes made elsewhere, when the store can tell (changes.go).
	changes    <-chan struct{}
	lastChange time.Time
	care       care // exposure and breaks (care.go)
	// The language: --lang for this session (until the reviewer switches
	// in the console), else their setting, else the locale's.
	langFlag, locale string
}

// New builds a console for one session.
func New(ctx context.Context, opt Options) *App {
	s := opt.session(ctx)
	c := &Context{Session: s, Filter: opt.View.Filter, View: opt.View.Name, Revealed: map[int64]bool{}}
	a := &App{c: c, tab: model.QueuePending, detail: newDetail(), lists: map[model.Queue]*list{}, matching: -1,
		counts: model.Counts{ByStatus: map[model.Status]int{}, PendingByCategory: map[string]int{}},
		tally:  map[model.Action]int{}, help: help.New()}
	a.langFlag, a.locale = opt.Lang, opt.Locale
	c.Styles = NewTheme("", true)
	if err := a.applySettings(opt.Settings); err != nil {
		// Checked when saved; a binding that became invalid since (a
		// newer key map) must not lock the reviewer out.
		opt.Settings.Keys, opt.Settings.Bind = "", nil
		a.applySettings(opt.Settings)
		a.warn("settings.keys_refused", sanitize.Line(err.Error()))
	}
	if lost := a.c.Keys.unbound(); len(lost) > 0 && a.status == "" {
		a.warn("settings.keys_lost", strings.Join(lost, ", "))
	}
	a.tabs = []model.Queue{model.QueuePending, model.QueueMine, model.QueueConfirm}
	if s.Lead() {
		a.tabs = append(a.tabs, model.QueueLeads)
	}
	for _, q := range a.tabs {
		l := newList(q)
		a.lists[q] = &l
	}
	return a
}

// Init asks for the client's background colour, reads the counts and starts
// the refresh timer; the first batch is claimed once the window size is
// known (a console needs a size to show anything).
func (a *App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, a.start())
}

// start is Init but for the background-colour question, which an SSH
// session's line screen asks itself, the moment it takes the terminal.
func (a *App) start() tea.Cmd {
	a.started = a.c.Clock()
	a.care.since, a.care.toldAt = a.started, a.started
	a.changes = watchChanges(a.c.Session)
	return tea.Batch(a.loadCounts(a.c.Filter), tick(a.c.Refresh), waitChange(a.c.Session, a.changes))
}

func (a *App) current() *list { return a.lists[a.tab] }

func (a *App) pending() *list { return a.lists[model.QueuePending] }

// warnText puts words already in the reader's language (a refusal) on the
// status line as an error.
func (a *App) warnText(text string) { a.status, a.isErr = text, true }

// tell puts message id on the status line, in the reader's language.
func (a *App) tell(id string, args ...any) { a.status, a.isErr = a.c.T.S(id, args...), false }

// warn puts message id on the status line as an error.
func (a *App) warn(id string, args ...any) { a.status, a.isErr = a.c.T.S(id, args...), true }

// Update routes messages; store answers come back as messages, so nothing
// here waits on the database.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	a.c.tickFrame()
	a.still = false // until an answer shows it changed nothing on screen
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.c.Width, a.c.Height = msg.Width, msg.Height
		a.layout()
		if !a.sized {
			a.sized = true
			a.renewed = a.c.Now()
			cmds = append(cmds, a.claimMore(a.batch()))
		} else {
			cmds = append(cmds, a.current().refill(a.c))
		}
	case tea.ModeReportMsg:
		if msg.Mode == ansi.ModeUnicodeCore && (msg.Value == ansi.ModeSet || msg.Value == ansi.ModeReset || msg.Value == ansi.ModePermanentlySet) {
			a.c.Graphemes = true // the renderer measures graphemes now; so does the layout
			a.layout()
		}
	case tea.BackgroundColorMsg:
		a.c.Styles = NewTheme(a.c.Settings.Theme, msg.IsDark())
		a.detail.render(a.c)
	case tea.KeyPressMsg:
		cmds = append(cmds, a.keyPress(msg))
	case tickMsg:
		cmds = append(cmds, a.tick()...)
	case changedMsg:
		cmds = append(cmds, a.changed()...)
	default:
		cmds = append(cmds, a.answer(msg)...)
	}
	cmds = append(cmds, a.syncDetail(false))
	a.noteExposure()
	a.dirty = a.dirty || !a.still
	return a, tea.Batch(cmds...)
}

// answer takes a store answer (or any other message) to its component, and
// lets waiting keys go once what they waited for has landed.
func (a *App) answer(msg tea.Msg) []tea.Cmd {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case settingsSavedMsg:
		if msg.err != nil {
			a.warn("settings.save_failed", a.c.errText(msg.err))
		} else {
			a.still = true
		}
	case exposureMsg:
		a.still = true // recorded, or lost with the store's own error: nothing to show
	case exclusionsMsg:
		a.still = msg.err != nil || slices.Equal(msg.exclude, a.c.Settings.Exclude)
		if !a.still {
			a.c.Settings.Exclude = msg.exclude
			a.detail.render(a.c)
		}
	case pageMsg:
		if l := a.lists[msg.queue]; l != nil {
			cmds = append(cmds, l.apply(a.c, msg))
		}
		if msg.queue == model.QueueSearch && msg.gen == a.lists[model.QueueSearch].gen && msg.err == nil && msg.mode == pageReplace {
			a.searchLanded()
		}
	case detailMsg:
		cmds = append(cmds, a.detailLanded(msg)...)
	case countsMsg:
		a.countsLanded(msg)
	case claimedMsg:
		more, waiting := a.claimed(msg)
		if waiting {
			return more // keys typed after a filter change wait for the new batch
		}
		cmds = append(cmds, more...)
	case renewedMsg:
		a.still = msg.err == nil
		if msg.err != nil {
			a.warn("status.renew_failed", a.c.errText(msg.err))
		}
	case decidedMsg:
		a.seen.forget()
		cmds = append(cmds, a.decided(msg))
	case undoPlannedMsg:
		cmds = append(cmds, a.undoPlanned(msg))
	case undoneMsg:
		a.seen.forget()
		cmds = append(cmds, a.undone(msg))
	case viewsMsg:
		cmds = append(cmds, a.viewsLoaded(msg))
	case viewSavedMsg:
		a.viewSaved(msg)
	case facetsMsg:
		if msg.err == nil {
			a.facets = msg.facets
		}
	case searchCountMsg:
		if l := a.lists[model.QueueSearch]; l != nil && l.search == msg.query && msg.err == nil {
			l.total = msg.n
		}

	case clusterCountMsg:
		a.clusterCounted(msg)
	case clusterDoneMsg:
		cmds = append(cmds, a.clusterDone(msg))
	default:
		if a.open != nil {
			cmds = append(cmds, a.open.update(a, msg))
		}
	}
	if a.await.landed(msg) && (a.await.what != awaitDetail || a.detail.loaded()) {
		a.still = false
		a.await = awaiting{}
		cmds = append(cmds, a.drain()...)
	}
	return cmds
}

// countsLanded shows a counts read, unless a newer one is shown already
// (loadCounts).
func (a *App) countsLanded(msg countsMsg) {
	if msg.seq < a.countsShown {
		a.still = true
		return
	}
	a.still = msg.err != nil || reflect.DeepEqual(msg.counts, a.counts) && msg.online == a.online && msg.matching == a.matching &&
		msg.confirm == a.toConfirm
	if msg.err == nil {
		a.countsShown = msg.seq
		a.counts, a.online, a.matching, a.toConfirm = msg.counts, msg.online, msg.matching, msg.confirm
	}
}

// detailLanded keeps a post read for the detail pane, and shows it if it is
// still the one wanted, then reads the next one ahead.
func (a *App) detailLanded(msg detailMsg) []tea.Cmd {
	if msg.err == nil && msg.post.ID == msg.id {
		a.seen.put(msg.post)
	} else {
		a.seen.drop(msg.id) // what was kept can no longer be read: never show it again
	}
	if a.still = msg.id != a.detail.want; a.still {
		return nil
	}
	a.still = !a.detail.apply(a.c, msg)
	return []tea.Cmd{a.readAhead()}
}

// claimed takes a claim's answer: the batch is read again; waiting is true
// when keys wait for it.
func (a *App) claimed(msg claimedMsg) (cmds []tea.Cmd, waiting bool) {
	a.claiming = false
	a.atLimit = errors.Is(msg.err, model.ErrHoldingLimit)
	if msg.err != nil && (!a.atLimit || a.await.what == awaitClaim) {
		a.warn("status.claim_failed", a.c.errText(msg.err)) // at the limit: said once a key waited for it
	}
	cmds = []tea.Cmd{a.pending().reload(a.c), a.loadCounts(a.c.Filter)}
	if a.await.what == awaitClaim {
		a.expect(awaitPage, model.QueuePending, a.pending().gen)
		return cmds, true
	}
	return cmds, false
}

// tick is the periodic refresh: counts and reviewers online; the session's
// heartbeat and lease renewal; more posts claimed when few are left; the
// visible list re-read so a post decided elsewhere never stays on screen.
func (a *App) tick() []tea.Cmd {
	s := a.c.Session
	if a.onBreak() {
		// Nothing is read, renewed or claimed on a break: the leases were
		// stretched over it when it began (care.go).
		return []tea.Cmd{tick(s.Refresh)}
	}
	cmds := []tea.Cmd{a.loadCounts(a.c.Filter), tick(s.Refresh), a.exposure(), loadExclusions(s)}
	a.detail.render(a.c) // ages move on: the detail agrees with the list
	if id := a.detail.want; id != 0 && a.detail.loaded() {
		// The shown post may have changed elsewhere (decided, escalated,
		// re-flagged): read it again; the pane redraws only if it did.
		cmds = append(cmds, loadDetail(s, id))
	}
	if _, ok := a.open.(*stats); ok {
		cmds = append(cmds, loadDashboard(s))
	}
	now := a.c.Now()
	if a.await.what != awaitNothing && now.Sub(a.await.since) > awaitGiveUp {
		// An answer that never came must not hold the keyboard forever.
		a.await = awaiting{}
		cmds = append(cmds, a.drain()...)
	}
	if now.Sub(a.renewed) >= min(model.RenewEvery(s.Lease), model.OnlineWindow/3) {
		a.renewed = now
		cmds = append(cmds, renew(s))
	}
	p := a.pending()
	if len(p.rows) < model.ClaimLow && p.loaded && len(p.saving) == 0 && !a.claiming {
		return append(cmds, a.claimMore(a.batch()))
	}
	if l := a.current(); !l.inflight && a.open == nil && len(l.saving) == 0 {
		cmds = append(cmds, l.reload(a.c))
	}
	return cmds
}

// syncDetail loads the selected post into the detail pane when the selection
// has moved to another post (or when forced, after a change to it).
func (a *App) syncDetail(force bool) tea.Cmd {
	id := a.current().selectedPostID()
	if id == a.detail.want && !force {
		a.detail.setLook(a.c, a.selectedLook())
		return nil
	}
	a.detail.want = id
	a.still = false
	a.detail.setLook(a.c, a.selectedLook())
	if id == 0 {
		a.detail.clear(a.c)
		return nil
	}
	if p, ok := a.seen.get(id); ok && !force {
		a.detail.apply(a.c, detailMsg{id: id, post: p})
	}
	return loadDetail(a.c.Session, id)
}

// keyPress handles a key, or queues it behind what it must wait for.
func (a *App) keyPress(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return a.quit() // never queued: the way out always works
	}
	if a.await.what != awaitNothing || len(a.queued) > 0 {
		a.queued = append(a.queued, msg)
		return nil
	}
	return a.handleKey(msg)
}

// handleKey gives one key to the focused component.
func (a *App) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if _, typing := a.open.(*prompt); a.open != nil && !typing && !a.onBreak() && key.Matches(msg, a.c.Keys.Break) {
		// A break hides everything at once, whatever is open (a prompt
		// keeps ctrl+b: it moves the cursor there).
		a.open = nil
		return a.takeBreak()
	}
	if a.open != nil {
		o := a.open
		cmd, done := o.key(a, msg)
		if done && a.open == o {
			a.open = nil
		}
		return cmd
	}
	if key.Matches(msg, a.c.Keys.Undo) && a.savingAny() {
		// Undo takes back my latest decision; one still saving is that
		// decision, so the undo waits for its commit. Asked at once, the
		// store named an older decision, and that one was undone.
		a.queued = append(a.queued, msg)
		a.expect(awaitDecided, "", 0)
		return nil
	}
	if a.waitsForDetail(msg) && !a.detail.loaded() {
		a.queued = append(a.queued, msg)
		a.expect(awaitDetail, "", 0)
		return a.syncDetail(false)
	}
	if a.isDecisionKey(msg) && a.tab == model.QueuePending {
		// Deciding faster than the batch commits and refills: a decision
		// key on a row still saving waits for its commit, and one on an
		// empty batch waits for the claim that refills it.
		l := a.pending()
		it, ok := l.selected()
		switch {
		case ok && l.saving[it.PostID]:
			a.queued = append(a.queued, msg)
			a.expect(awaitDecided, "", 0)
			return nil
		case !ok && a.claiming:
			a.queued = append(a.queued, msg)
			a.expect(awaitClaim, "", 0)
			return nil
		case !ok && !l.loaded:
			// The claim is in, the batch not read yet: refusing here said
			// "the queue is empty" over a batch about to be drawn.
			a.queued = append(a.queued, msg)
			a.expect(awaitPage, model.QueuePending, l.gen)
			return nil
		case !ok && l.loaded && a.counts.ByStatus[model.StatusPending] > a.counts.Held && !a.atLimit:
			// Posts are free to take: claim them now and decide then. Not
			// at the limit: a key must never wait for posts that may come
			// much later and then act on one the reviewer never saw.
			a.queued = append(a.queued, msg)
			a.expect(awaitClaim, "", 0)
			return a.claimMore(a.batch())
		}
	}
	a.status = ""
	cmd := a.dispatch(msg)
	return tea.Batch(cmd, a.syncDetail(false))
}

// savingAny reports whether a decision of this console is still being
// committed.
func (a *App) savingAny() bool {
	for _, l := range a.lists {
		if len(l.saving) > 0 {
			return true
		}
	}
	return false
}

// drain applies the queued keys in order until one has to wait again.
func (a *App) drain() []tea.Cmd {
	var cmds []tea.Cmd
	for len(a.queued) > 0 && a.await.what == awaitNothing {
		k := a.queued[0]
		a.queued = a.queued[1:]
		cmds = append(cmds, a.handleKey(k))
	}
	return cmds
}

// quit ends the console; the caller prints Summary.
func (a *App) quit() tea.Cmd { return tea.Quit }

// Summary is the one line printed when the console closes: the session's
// decisions by action, how long it ran, and the rate.
func (a *App) Summary() string {
	total := 0
	for _, n := range a.tally {
		total += n
	}
	d := a.c.Clock().Sub(a.started).Round(time.Second)
	rate := 0.0
	if d > 0 {
		rate = float64(total) / d.Hours()
	}
	return a.c.T.N("summary", total, sanitize.Line(a.c.Reviewer), total, fmtHours(d), a.tally[model.ActionApprove], a.tally[model.ActionReject],
		a.tally[model.ActionEscalate], a.tally[model.ActionReturn],
		a.tally[model.ActionConfirm]+a.tally[model.ActionDisagree]+a.tally[model.ActionQA], rate)
}

// claimMore tops the session up to n held posts, unless a claim is already
// on its way.
// batch is how many posts this console holds at a time: the session's
// batch, or as many as the list has rows on a tall screen, up to
// model.MaxClaimBatch, so a tall list is not a batch and forty empty rows.
func (a *App) batch() int {
	return clamp(a.pending().height, a.c.Batch, max(a.c.Batch, model.MaxClaimBatch))
}

func (a *App) claimMore(n int) tea.Cmd {
	if a.claiming || n <= 0 {
		return nil
	}
	a.claiming = true
	return claim(a.c.Session, a.c.Filter, n)
}

// isDecisionKey reports whether msg decides the selected post.
func (a *App) isDecisionKey(msg tea.KeyPressMsg) bool {
	k := a.c.Keys
	return key.Matches(msg, k.Approve, k.ApproveWith, k.Reject, k.Escalate, k.Cluster)
}
