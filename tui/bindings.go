package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"triage/model"
	"triage/tui/i18n"
	"triage/tui/sanitize"
)

// binding is one browsing key as data, lazygit's way: its keys and help, the
// word the hint line shows, the help section, what it does, and why it is
// refused when it is. Dispatch, the hint line, the `?` help, every refusal
// and the README's key table all come from the table, so none of them can
// disagree with what a key does.
type binding struct {
	key   key.Binding
	name  string // one word for the hint line; "" keeps it off the line
	keep  int    // on a narrow screen, the lowest keep gives way first
	group string
	leads bool // only leads have it (reviewers are told so)
	run   func(a *App) tea.Cmd
	why   func(a *App) string // "" when the key can act now; else the refusal
	// waits marks keys that act on the detail pane: while the selected
	// post is still loading they wait for it, in order, instead of acting
	// on the post shown before.
	waits bool
}

// Help groups, in the order the help shows them.
const (
	groupMove    = "group.move"
	groupDecide  = "group.decide"
	groupFind    = "group.find"
	groupConsole = "group.console"
)

// bindings is the browsing key table of one console.
func (a *App) bindings() []binding {
	k := a.c.Keys
	always := func(*App) string { return "" }
	return []binding{
		{key: k.Down, group: groupMove, run: func(a *App) tea.Cmd { return a.current().move(a.c, 1) }, why: always},
		{key: k.Up, group: groupMove, run: func(a *App) tea.Cmd { return a.current().move(a.c, -1) }, why: always},
		{key: k.Top, group: groupMove, run: (*App).toTop, why: always},
		{key: k.Bottom, group: groupMove, run: (*App).toBottom, why: always},
		{key: k.PageDown, group: groupMove, run: func(a *App) tea.Cmd { l := a.current(); return l.move(a.c, l.height) }, why: always},
		{key: k.PageUp, group: groupMove, run: func(a *App) tea.Cmd { l := a.current(); return l.move(a.c, -l.height) }, why: always},
		{key: k.HalfDown, group: groupMove, run: func(a *App) tea.Cmd { l := a.current(); return l.move(a.c, max(1, l.height/2)) }, why: always},
		{key: k.HalfUp, group: groupMove, run: func(a *App) tea.Cmd { l := a.current(); return l.move(a.c, -max(1, l.height/2)) }, why: always},
		{key: k.PostDown, group: groupMove, waits: true, run: func(a *App) tea.Cmd { a.detail.scrollPage(a.c, 1); return nil }, why: needPost},
		{key: k.PostUp, group: groupMove, waits: true, run: func(a *App) tea.Cmd { a.detail.scrollPage(a.c, -1); return nil }, why: needPost},
		{key: k.History, group: groupMove, waits: true, run: func(a *App) tea.Cmd { a.detail.toggleHistory(a.c); return nil }, why: whyHistory},
		{key: k.Open, name: "read", keep: 4, group: groupMove, waits: true, run: (*App).openPost, why: needPost},
		{key: k.CopyURL, group: groupMove, waits: true, run: (*App).copyURL, why: needURL},

		{key: k.Approve, name: "approve", keep: 9, group: groupDecide, run: (*App).approve, why: whyJudge},
		{key: k.ApproveWith, name: "approve_with", keep: 1, group: groupDecide, run: (*App).approveWith, why: whyJudge},
		{key: k.Reject, name: "reject", keep: 9, group: groupDecide, run: (*App).reject, why: whyJudge},
		{key: k.Escalate, name: "escalate", keep: 9, group: groupDecide, run: (*App).escalate, why: whyEscalate},
		{key: k.Note, name: "note", keep: 3, group: groupDecide, run: (*App).note, why: whyNote},
		{key: k.Undo, name: "undo", keep: 6, group: groupDecide, run: (*App).undo, why: whyUndo},
		{key: k.FirstDecision, name: "first", keep: 3, group: groupDecide, run: (*App).showFirst, why: whyFirst},
		{key: k.Cluster, group: groupDecide, run: (*App).startCluster, why: whyCluster},
		{key: k.Return, group: groupDecide, leads: true, run: (*App).sendBack, why: whyReturn},
		{key: k.Retract, group: groupDecide, leads: true, run: (*App).retract, why: whyRetract},
		{key: k.Reopen, group: groupDecide, leads: true, run: (*App).reopen, why: whyReopen},

		{key: k.Search, name: "search", keep: 5, group: groupFind, run: (*App).openSearch, why: always},
		{key: k.Filter, name: "filter", keep: 4, group: groupFind, run: (*App).openFilter, why: always},
		{key: k.Views, group: groupFind, run: (*App).openViews, why: always},
		{key: k.Stats, group: groupFind, run: (*App).openStats, why: always},

		{key: k.SwitchQueue, name: "queue", keep: 2, group: groupConsole, run: (*App).nextTab, why: always},
		{key: k.Cancel, group: groupConsole, run: (*App).escape, why: whyEscape},
		{key: k.Reveal, group: groupConsole, run: (*App).toggleReveal, why: always},
		{key: k.Settings, name: "settings", keep: 1, group: groupConsole, run: (*App).openSettings, why: always},
		{key: k.Break, name: "break", keep: 2, group: groupConsole, run: (*App).takeBreak, why: always},
		{key: k.Help, name: "help", keep: 9, group: groupConsole, run: (*App).openHelp, why: always},
		{key: k.Quit, name: "quit", keep: 9, group: groupConsole, run: (*App).quit, why: always},
	}
}

// dispatch runs the binding msg matches, or says why it cannot run.
func (a *App) dispatch(msg tea.KeyPressMsg) tea.Cmd {
	for _, b := range a.binds {
		if !key.Matches(msg, b.key) {
			continue
		}
		if b.leads && !a.c.Lead() {
			a.warn("why.leads_only", b.key.Help().Key)
			return nil
		}
		if why := b.why(a); why != "" {
			a.warnText(why)
			return nil
		}
		return b.run(a)
	}
	return nil
}

// waitsForDetail reports whether msg is a key that acts on the detail pane.
func (a *App) waitsForDetail(msg tea.KeyPressMsg) bool {
	for _, b := range a.binds {
		if key.Matches(msg, b.key) {
			return b.waits
		}
	}
	return false
}

// visible is the table as this reviewer has it: leads' keys only for leads.
func (a *App) visible() []binding {
	var out []binding
	for _, b := range a.binds {
		if !b.leads || a.c.Lead() {
			out = append(out, b)
		}
	}
	return out
}

// ShortHelp is the hint line's bindings, most essential first.
func (a *App) ShortHelp() []key.Binding {
	var hs []binding
	for _, b := range a.visible() {
		if b.name != "" {
			hs = append(hs, b)
		}
	}
	out := make([]key.Binding, len(hs))
	for i, b := range hs {
		out[i] = short(b.key, a.c.T.S("hint."+b.name))
	}
	return out
}

// FullHelp is the browsing keys in their help groups.
func (a *App) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range []string{groupMove, groupDecide, groupFind, groupConsole} {
		var group []key.Binding
		for _, b := range a.visible() {
			if b.group == g {
				group = append(group, b.key)
			}
		}
		out = append(out, group)
	}
	return out
}

// The reasons keys are refused. Each is said once, here.

func needPost(a *App) string {
	if a.current().selectedPostID() == 0 {
		return a.c.T.S("why.no_post")
	}
	return ""
}

func needURL(a *App) string {
	if why := needPost(a); why != "" {
		return why
	}
	if a.detail.post == nil || a.detail.post.URL == "" {
		return a.c.T.S("why.no_url")
	}
	return ""
}

func whyDecide(a *App) string {
	l := a.current()
	it, ok := l.selected()
	switch {
	case a.tab == model.QueueMine:
		return a.c.T.S("why.decide_in_pending", a.c.Keys.Undo.Help().Key)
	case !ok && a.atLimit:
		return a.c.claimText(model.ClaimOverLimit)
	case !ok:
		return a.c.T.S("why.queue_empty")
	case l.saving[it.PostID]:
		return a.c.T.S("why.still_saving", it.PostID)
	case a.tab == model.QueueSearch && it.Status == "":
		return a.c.T.S("why.blind_decided", it.PostID)
	case a.tab == model.QueueSearch && it.Status != model.StatusPending && it.Status != model.StatusEscalated:
		return a.c.T.S("why.already_decided", it.PostID, a.c.statusWord(it.Status), a.c.Keys.Undo.Help().Key)
	case it.Status == model.StatusEscalated && !a.c.Lead():
		return a.c.T.S("why.with_leads", it.PostID)
	}
	if a.c.Settings.Excludes(it.Category) {
		return a.c.T.S("why.excluded", it.PostID, sanitize.Line(it.Category))
	}
	if _, ok := a.c.Policy.Category(it.Category); !ok {
		return a.c.T.S("why.unknown_category", it.PostID, sanitize.Line(it.Category))
	}
	return ""
}

// whyJudge is whyDecide, and approving or rejecting (confirming, checking)
// needs the text to have been shown: on a collapsed sensitive post it would
// record "no violation because…", or "violation: …" sent to a platform,
// about a text nobody saw. Escalating stays open: it asks a lead to read it.
func whyJudge(a *App) string {
	if why := whyDecide(a); why != "" {
		return why
	}
	it, _ := a.current().selected()
	return a.unreadSensitive(it)
}

// unreadSensitive is the refusal to judge it while its text is collapsed,
// or "".
func (a *App) unreadSensitive(it model.Item) string {
	cat, _ := a.c.Policy.Category(it.Category)
	if !cat.Sensitive || a.c.RevealSensitive || a.c.Revealed[it.PostID] {
		return ""
	}
	return a.c.T.S("why.judge_unread", it.PostID, a.c.Keys.PostDown.Keys()[0], a.c.Keys.Escalate.Help().Key)
}

// whyHistory keeps a second look blind: a QA check never shows the
// trail (it holds the first decision), a confirmation only once the
// reviewer has asked for the first decision.
func whyHistory(a *App) string {
	if why := needPost(a); why != "" {
		return why
	}
	if a.detail.blind() {
		return a.c.T.S("why.blind_history", a.c.Keys.FirstDecision.Help().Key)
	}
	return ""
}

func whyFirst(a *App) string {
	it, ok := a.current().selected()
	if a.tab == model.QueueConfirm && ok && it.Look != nil && it.Look.Kind == model.LookQA {
		return a.c.T.S("why.first_blind")
	}
	if a.tab != model.QueueConfirm || !ok || it.Look == nil || it.Look.Kind != model.LookConfirm {
		return a.c.T.S("why.first_where", a.c.Keys.FirstDecision.Help().Key)
	}
	return ""
}

func whyEscalate(a *App) string {
	if why := whyDecide(a); why != "" {
		return why
	}
	if it, _ := a.current().selected(); it.Status == model.StatusEscalated {
		return a.c.T.S("why.already_escalated", it.PostID, a.c.Keys.Return.Help().Key)
	}
	return ""
}

func whyNote(a *App) string {
	if _, ok := a.current().selected(); !ok {
		return a.c.T.S("why.no_post")
	}
	return ""
}

func whyUndo(a *App) string {
	if a.tab == model.QueueConfirm {
		return a.c.T.S("why.undo_second_look", a.c.Keys.Reopen.Help().Key)
	}
	if a.tab == model.QueueMine {
		it, ok := a.current().selected()
		switch {
		case !ok:
			return a.c.T.S("why.no_decision")
		case it.Event == nil || !it.Event.Action.IsDecision():
			return a.c.T.S("why.only_decisions_undo")
		case it.Later != nil:
			return a.c.T.S("why.not_in_force", it.PostID, a.c.laterWord(it))
		}
	}
	return ""
}

func whyCluster(a *App) string {
	if a.tab != model.QueuePending && a.tab != model.QueueSearch {
		return a.c.T.S("why.cluster_where")
	}
	it, ok := a.current().selected()
	switch {
	case !ok:
		return a.c.T.S("why.no_post")
	case it.ClusterSize < 2:
		return a.c.T.S("why.no_cluster", it.PostID, a.c.Keys.Cluster.Help().Key)
	}
	return whyDecide(a)
}

func whyReturn(a *App) string {
	it, ok := a.current().selected()
	if !ok || it.Status != model.StatusEscalated {
		return a.c.T.S("why.send_back_where", a.c.Keys.Return.Help().Key)
	}
	return ""
}

func whyRetract(a *App) string {
	it, ok := a.current().selected()
	if !ok || it.Status != model.StatusRejected {
		return a.c.T.S("why.retract_where", a.c.Keys.Retract.Help().Key)
	}
	return ""
}

func whyReopen(a *App) string {
	it, ok := a.current().selected()
	if !ok || it.Status == model.StatusPending || a.tab == model.QueuePending {
		return a.c.T.S("why.reopen_where", a.c.Keys.Reopen.Help().Key)
	}
	return ""
}

func whyEscape(a *App) string {
	if a.tab != model.QueueSearch && !a.detail.full {
		return a.c.T.S("why.nothing_open", a.c.Keys.Cancel.Help().Key)
	}
	return ""
}

// MarkdownTable renders the key table as the README shows it: every
// browsing key (leads' included) and then the keys of pickers and prompts.
func MarkdownTable() string {
	a := &App{c: &Context{Session: &Session{Role: model.RoleLead}, Keys: DefaultKeyMap(), T: i18n.For("en")}}
	a.binds = a.bindings()
	var b strings.Builder
	b.WriteString("| key | action |\n|---|---|\n")
	row := func(kb key.Binding) { fmt.Fprintf(&b, "| `%s` | %s |\n", kb.Help().Key, kb.Help().Desc) }
	for _, g := range a.FullHelp() {
		for _, kb := range g {
			row(kb)
		}
	}
	k := a.c.Keys
	for _, kb := range []key.Binding{k.Confirm, k.Yes, k.SaveView, k.Complete} {
		row(kb)
	}
	return b.String()
}
