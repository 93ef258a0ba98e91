package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"triage/model"
	"triage/tui/sanitize"
)

// Search, filters and saved views: the ways a reviewer narrows what the
// console shows.

// promptKind is what the one-line prompt is asking for.
type promptKind int

const (
	promptSearch promptKind = iota + 1
	promptFilter
	promptViewName
)

var promptLabels = map[promptKind]string{
	promptSearch:   "Search: ",
	promptFilter:   "Filter: ",
	promptViewName: "Save view as: ",
}

// viewsMsg brings the saved views for the view picker.
type viewsMsg struct {
	views []model.View
	err   error
}

// viewSavedMsg reports a saved view.
type viewSavedMsg struct {
	name string
	err  error
}

// refilteredMsg reports that the session let go of its posts and claimed a
// batch that passes the new filter.
type refilteredMsg struct {
	n   int
	err error
}

func (a *App) openPrompt(kind promptKind, value string) tea.Cmd {
	a.prompt, a.promptErr, a.mode = kind, "", modePrompt
	a.input.Reset()
	a.input.SetValue(value)
	cleanInput(&a.input)
	a.input.CursorEnd()
	a.input.SetWidth(max(10, a.c.Width-lipgloss.Width(promptLabels[kind])-1))
	return a.input.Focus()
}

func (a *App) closePrompt() {
	a.mode = modeBrowse
	a.input.Blur()
}

func (a *App) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	k := a.c.Keys
	text := a.input.Value()
	switch {
	case key.Matches(msg, k.Cancel):
		a.closePrompt()
		a.setStatus("Cancelled.")
		return nil
	case key.Matches(msg, k.SaveView) && a.prompt == promptFilter:
		f, err := model.ParseFilter(text)
		if err != nil {
			a.promptErr = err.Error()
			return nil
		}
		if len(a.pending().saving) > 0 {
			a.promptErr = "A decision is still being saved: press ctrl+s again in a moment."
			return nil
		}
		return tea.Batch(a.applyFilter(f, ""), a.openPrompt(promptViewName, ""))
	case key.Matches(msg, k.Confirm):
		switch a.prompt {
		case promptSearch:
			a.closePrompt()
			if strings.TrimSpace(text) == "" {
				return nil
			}
			return a.startSearch(text)
		case promptFilter:
			f, err := model.ParseFilter(text)
			if err != nil {
				a.promptErr = err.Error()
				return nil
			}
			a.closePrompt()
			return a.applyFilter(f, "")
		case promptViewName:
			if err := model.ValidViewName(text); err != nil {
				a.promptErr = err.Error()
				return nil
			}
			a.closePrompt()
			return saveView(a.c, text, a.c.Filter)
		}
	}
	var cmd tea.Cmd
	a.input, cmd = a.input.Update(msg)
	cleanInput(&a.input)
	a.promptErr = ""
	return cmd
}

// startSearch replaces the list with the results of a full-text search,
// until esc.
func (a *App) startSearch(query string) tea.Cmd {
	if a.tab != model.QueueSearch {
		a.searchFrom = a.tab
	}
	l := newList(model.QueueSearch)
	l.search = query
	l.setHeight(a.current().height)
	a.lists[model.QueueSearch] = &l
	a.tab = model.QueueSearch
	a.setStatus("Searching for %s…", sanitize.Line(query))
	return l.loadFirst(a.c)
}

func (a *App) leaveSearch() tea.Cmd {
	delete(a.lists, model.QueueSearch)
	a.tab = a.searchFrom
	a.setStatus("Search closed.")
	return a.current().reload(a.c)
}

// applyFilter narrows the console to f. The session gives back the posts it
// holds and claims a fresh batch that passes f, so the pending list never
// shows a post the filter excludes, and no post is held out of others'
// reach by a reviewer who filtered it away.
func (a *App) applyFilter(f model.Filter, view string) tea.Cmd {
	p := a.pending()
	if len(p.saving) > 0 {
		a.setError("A decision is still being saved: apply the filter again in a moment.")
		return nil
	}
	a.c.Filter, a.c.View = f, view
	p.rows, p.loaded, p.sel, p.top = nil, false, 0, 0
	p.gen++
	switch {
	case view != "":
		a.setStatus("View %s: %s", view, describeFilter(f))
	case f.IsZero():
		a.setStatus("Filter cleared: every post, by priority.")
	default:
		a.setStatus("Filter: %s", describeFilter(f))
	}
	cmds := []tea.Cmd{refilter(a.c, claimBatch)}
	if a.tab != model.QueuePending {
		cmds = append(cmds, a.current().loadFirst(a.c))
	}
	return tea.Batch(cmds...)
}

func describeFilter(f model.Filter) string {
	if f.IsZero() {
		return "every post"
	}
	s := sanitize.Line(f.String())
	if f.Breached {
		s += " (oldest first)"
	}
	return s
}

func refilter(c *Context, n int) tea.Cmd {
	f := c.Filter
	return func() tea.Msg {
		if err := c.Store.Release(c.Ctx, c.Session); err != nil {
			return refilteredMsg{err: err}
		}
		got, err := c.Store.ClaimMatching(c.Ctx, c.Session, n, c.Lease, f)
		return refilteredMsg{n: got, err: err}
	}
}

func loadViews(c *Context) tea.Cmd {
	return func() tea.Msg {
		v, err := c.Store.Views(c.Ctx)
		return viewsMsg{views: v, err: err}
	}
}

func saveView(c *Context, name string, f model.Filter) tea.Cmd {
	by := c.Reviewer
	return func() tea.Msg {
		return viewSavedMsg{name: name, err: c.Store.SaveView(c.Ctx, name, f, by)}
	}
}

// openViews shows the view picker: no filter first, then every view.
func (a *App) openViews(m viewsMsg) {
	if m.err != nil {
		a.setError("Cannot read the saved views: %s", sanitize.Line(m.err.Error()))
		return
	}
	choices := []model.Reason{{Code: "all", Label: "no filter: every post, by priority"}}
	sel := 0
	for i, v := range m.views {
		label := describeFilter(v.Filter)
		if v.By != "" {
			label += "  — " + sanitize.Line(v.By)
		}
		choices = append(choices, model.Reason{Code: sanitize.Line(v.Name), Label: label})
		if v.Name == a.c.View {
			sel = i + 1
		}
	}
	a.picker = picker{title: "Switch to a view", purpose: pickView, reasons: choices, views: m.views, sel: sel}
	a.mode = modePicker
}

func (a *App) viewChosen(i int) tea.Cmd {
	if i == 0 {
		return a.applyFilter(model.Filter{}, "")
	}
	v := a.picker.views[i-1]
	return a.applyFilter(v.Filter, v.Name)
}

// filterLabel is the header's reminder of what narrows the list.
func (a *App) filterLabel() string {
	switch {
	case a.c.View != "":
		return fmt.Sprintf("view %s: %s", sanitize.Line(a.c.View), describeFilter(a.c.Filter))
	case !a.c.Filter.IsZero():
		return "filter: " + describeFilter(a.c.Filter)
	}
	return ""
}
