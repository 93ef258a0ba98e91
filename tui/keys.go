package tui

import (
	"charm.land/bubbles/v2/key"
)

// KeyMap is every key the console answers to, with its help text. It is data:
// the binding table (bindings.go) gives each browsing key its handler and
// the reason it may be refused, and the `?` help, the hint line and the
// README's key table are all generated from the two. No binding relies on a
// key some terminals cannot send (shift+space arrives as a plain space in
// most), so every one works in xterm, tmux and over OpenSSH.
type KeyMap struct {
	Down, Up, Top, Bottom, PageDown, PageUp, HalfDown, HalfUp key.Binding
	PostDown, PostUp, History, Open, CopyURL                  key.Binding
	Approve, ApproveWith, Reject, Escalate, Note, Undo        key.Binding
	Cluster, Return, Retract                                  key.Binding
	Search, Filter, Views, Stats                              key.Binding
	SwitchQueue, Reveal, Help, Quit                           key.Binding
	// In pickers, prompts and confirmations.
	Confirm, Cancel, Yes, SaveView, Complete key.Binding
}

// DefaultKeyMap is built fresh for every session.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return KeyMap{
		Down:        b([]string{"j", "down"}, "j/↓", "next post"),
		Up:          b([]string{"k", "up"}, "k/↑", "previous post"),
		Top:         b([]string{"g", "home"}, "g/home", "first post"),
		Bottom:      b([]string{"G", "end"}, "G/end", "last post"),
		PageDown:    b([]string{"pgdown"}, "pgdn", "a page down the list"),
		PageUp:      b([]string{"pgup"}, "pgup", "a page up the list"),
		HalfDown:    b([]string{"ctrl+d"}, "ctrl+d", "half a page down the list"),
		HalfUp:      b([]string{"ctrl+u"}, "ctrl+u", "half a page up the list"),
		PostDown:    b([]string{"space", "J"}, "space/J", "scroll the post down (the first press shows a sensitive post's text)"),
		PostUp:      b([]string{"K"}, "K", "scroll the post up"),
		History:     b([]string{"h"}, "h", "the post's full history: flags, claims, decisions, undos, notes (h again: the post)"),
		Open:        b([]string{"enter"}, "enter", "read the post full screen (esc: back)"),
		CopyURL:     b([]string{"y"}, "y", "copy the post's URL to your clipboard (OSC 52, works over SSH)"),
		Approve:     b([]string{"a"}, "a", "approve with the default \"no violation\" reason"),
		ApproveWith: b([]string{"A"}, "A", "approve with a reason from a list"),
		Reject:      b([]string{"r"}, "r", "reject: pick a reason (digit selects, enter confirms)"),
		Escalate:    b([]string{"e"}, "e", "escalate: pick a reason, then add a note"),
		Note:        b([]string{"n"}, "n", "add a note to the post"),
		Undo:        b([]string{"u"}, "u", "undo: my last decision (in My decisions: the selected one); a cluster decision is undone whole"),
		Cluster:     b([]string{"C"}, "C", "then a, A, r or e: decide every pending post of the selected post's cluster at once (asks first)"),
		Return:      b([]string{"b"}, "b", "leads: send an escalated post back to the reviewers, with a note"),
		Retract:     b([]string{"R"}, "R", "leads: retract a rejection already sent to its platform, with a reason"),
		Search:      b([]string{"/"}, "/", "search text, author, author id and URL (word prefixes, any case); esc leaves the results"),
		Filter:      b([]string{"f"}, "f", "filter: platform, category, lang, sev, age, breached (tab completes; shown in the header)"),
		Views:       b([]string{"v"}, "v", "switch to a saved view, or to the SLA breaches, oldest first"),
		Stats:       b([]string{"S"}, "S", "stats: decisions per hour per reviewer, decision mix, queue depth, SLA breaches, platform outcomes"),
		SwitchQueue: b([]string{"tab"}, "tab", "next tab: Pending, My decisions, Leads (leads only)"),
		Reveal:      b([]string{"X"}, "X", "show sensitive posts' text for the rest of this session (X again: hide)"),
		Help:        b([]string{"?"}, "?", "help for what has the focus (scrolls with j/k)"),
		Quit:        b([]string{"q", "ctrl+c"}, "q/ctrl+c", "quit (prints a one-line summary of the session)"),
		Confirm:     b([]string{"enter"}, "enter", "confirm"),
		Cancel:      b([]string{"esc"}, "esc", "cancel; close search results, stats, the full-screen post"),
		Yes:         b([]string{"y"}, "y", "yes, in a confirmation"),
		SaveView:    b([]string{"ctrl+s"}, "ctrl+s", "in the filter bar: apply and save as a named view"),
		Complete:    b([]string{"tab"}, "tab", "in the filter bar: complete a term's value"),
	}
}
