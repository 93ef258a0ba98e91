package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"

	"triage/model"
)

// KeyMap is every key the console answers to. It is data: the `?` help
// screen and the README's key table are both generated from it.
type KeyMap struct {
	Down, Up, Top, Bottom, PageDown, PageUp key.Binding
	ScrollDown, ScrollUp, History           key.Binding
	Approve, ApproveWith, Reject, Escalate  key.Binding
	Return                                  key.Binding // leads only
	Note, Undo, SwitchQueue, Help, Quit     key.Binding
	Cluster                                 key.Binding
	Search, Filter, Views, Stats            key.Binding
	// In pickers and prompts.
	Confirm, Cancel, Yes, SaveView key.Binding
}

// DefaultKeyMap is built fresh for every session, so a session may change its
// own bindings without touching another's.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return KeyMap{
		Down:        b([]string{"j", "down"}, "j/↓", "next post"),
		Up:          b([]string{"k", "up"}, "k/↑", "previous post"),
		Top:         b([]string{"g", "home"}, "g/home", "first post"),
		Bottom:      b([]string{"G", "end"}, "G/end", "last post"),
		PageDown:    b([]string{"pgdown"}, "pgdn", "page down the list"),
		PageUp:      b([]string{"pgup"}, "pgup", "page up the list"),
		ScrollDown:  b([]string{"space", "ctrl+d"}, "space/ctrl+d", "scroll the post down (first press reveals sensitive text)"),
		ScrollUp:    b([]string{"shift+space", "ctrl+u"}, "shift+space/ctrl+u", "scroll the post up"),
		History:     b([]string{"h"}, "h", "the post's full history: flags, claims, decisions, undos, notes (h again: the post)"),
		Approve:     b([]string{"a"}, "a", "approve with the default \"no violation\" reason"),
		ApproveWith: b([]string{"A"}, "A", "approve with a reason from a list"),
		Reject:      b([]string{"r"}, "r", "reject: pick a reason (digit selects, enter confirms)"),
		Escalate:    b([]string{"e"}, "e", "escalate: pick a reason, then add a note"),
		Return:      b([]string{"b"}, "b", "leads: send an escalated post back to the reviewers, with a note"),
		Note:        b([]string{"n"}, "n", "add a note to the post"),
		Undo:        b([]string{"u"}, "u", "undo my last decision"),
		Cluster:     b([]string{"C"}, "C", "then a, A, r or e: decide every pending post of the selected post's cluster at once (asks first)"),
		Search:      b([]string{"/"}, "/", "search text, author and URL (word prefixes, any case); esc leaves the results"),
		Filter:      b([]string{"f"}, "f", "filter: platform, category, lang, sev, age, breached (shown in the header)"),
		Views:       b([]string{"v"}, "v", "switch to a saved view, or to the SLA breaches, oldest first"),
		Stats:       b([]string{"S"}, "S", "stats: decisions per hour per reviewer, decision mix, queue depth, SLA breaches"),
		SwitchQueue: b([]string{"tab"}, "tab", "next tab: Pending, My decisions, Leads (leads only)"),
		Help:        b([]string{"?"}, "?", "show or hide this help"),
		Quit:        b([]string{"q", "ctrl+c"}, "q/ctrl+c", "quit"),
		Confirm:     b([]string{"enter"}, "enter", "confirm"),
		Cancel:      b([]string{"esc"}, "esc", "cancel; close search results, stats"),
		Yes:         b([]string{"y"}, "y", "yes, in a confirmation"),
		SaveView:    b([]string{"ctrl+s"}, "ctrl+s", "in the filter bar: apply and save as a named view"),
	}
}

// Groups is the help layout: titled groups of bindings. A reviewer's help
// leaves out what only leads can do.
func (k KeyMap) Groups(role model.Role) []KeyGroup {
	decide := []key.Binding{k.Approve, k.ApproveWith, k.Reject, k.Escalate, k.Note, k.Undo, k.Cluster}
	if role == model.RoleLead {
		decide = append(decide, k.Return)
	}
	return []KeyGroup{
		{"Move", []key.Binding{k.Down, k.Up, k.Top, k.Bottom, k.PageDown, k.PageUp, k.ScrollDown, k.ScrollUp, k.History}},
		{"Decide", decide},
		{"Find", []key.Binding{k.Search, k.Filter, k.Views, k.Stats}},
		{"Console", []key.Binding{k.SwitchQueue, k.Help, k.Quit}},
		{"In a picker or prompt", []key.Binding{k.Confirm, k.Cancel, k.Yes, k.SaveView}},
	}
}

// KeyGroup is one titled block of the help screen.
type KeyGroup struct {
	Title    string
	Bindings []key.Binding
}

// Hint is the one-line reminder at the bottom of the screen: a binding's
// keys with a one-word name. On a narrow screen the entries with the lowest
// Keep give way first: deciding, help and quit always stay.
func (k KeyMap) Hint() []Hint {
	return []Hint{
		{k.Approve, "approve", 9}, {k.ApproveWith, "approve…", 1}, {k.Reject, "reject", 9}, {k.Escalate, "escalate", 9},
		{k.Note, "note", 3}, {k.Undo, "undo", 6}, {k.Search, "search", 5}, {k.Filter, "filter", 4},
		{k.SwitchQueue, "queue", 2}, {k.Help, "help", 9}, {k.Quit, "quit", 9},
	}
}

// Hint is one entry of the bottom line.
type Hint struct {
	Binding key.Binding
	Name    string
	Keep    int
}

// MarkdownTable renders the key map as the README's key table.
func (k KeyMap) MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| key | action |\n|---|---|\n")
	for _, g := range k.Groups(model.RoleLead) {
		for _, kb := range g.Bindings {
			h := kb.Help()
			fmt.Fprintf(&b, "| `%s` | %s |\n", h.Key, h.Desc)
		}
	}
	return b.String()
}
