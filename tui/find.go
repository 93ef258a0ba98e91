package tui

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"triage/model"
	"triage/tui/sanitize"
)

// Search, filters and saved views.

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

// facetsMsg brings the platforms and languages present, which the filter
// bar checks values against and completes from.
type facetsMsg struct {
	facets model.Facets
	err    error
}

func (a *App) openSearch() tea.Cmd {
	p := newPrompt(a, a.c.T.S("prompt.search")+" ", "", 500)
	p.hint = a.c.T.S("prompt.search_hint", a.c.Keys.Confirm.Help().Key, a.c.Keys.Cancel.Help().Key)
	p.submit = func(a *App, text string) (tea.Cmd, string) {
		if strings.TrimSpace(text) == "" {
			return nil, ""
		}
		return a.startSearch(text), ""
	}
	a.open = p
	return p.focus()
}

// openFilter opens the filter bar, prefilled with the filter in force and a
// space, so typing adds a term. The values are checked against the policy and
// the platforms and languages present, which are read first.
func (a *App) openFilter() tea.Cmd {
	value := a.c.Filter.String()
	if value != "" {
		value += " "
	}
	p := newPrompt(a, a.c.T.S("prompt.filter")+" ", value, 500)
	p.hint = model.FilterSyntax + " · " + a.c.T.S("prompt.filter_hint", a.c.Keys.Complete.Help().Key, a.c.Keys.SaveView.Help().Key)
	p.submit = func(a *App, text string) (tea.Cmd, string) {
		f, err := a.checkFilter(text)
		if err != nil {
			return nil, err.Error()
		}
		return a.applyFilter(f, ""), ""
	}
	p.complete = func(a *App, text string) (string, string) { return model.CompleteFilter(text, a.c.Policy, a.facets) }
	p.save = func(a *App, text string) (tea.Cmd, string) {
		f, err := a.checkFilter(text)
		if err != nil {
			return nil, err.Error()
		}
		if len(a.pending().saving) > 0 {
			return nil, a.c.T.S("prompt.save_wait", a.c.Keys.SaveView.Help().Key)
		}
		cmd := a.applyFilter(f, "")
		return tea.Batch(cmd, a.askViewName()), ""
	}
	a.open = p
	if a.facets.Platforms == nil {
		a.expect(awaitFacets, "", 0)
		return tea.Batch(p.focus(), loadFacets(a.c.Session))
	}
	return p.focus()
}

// checkFilter parses a filter and checks its values exist.
func (a *App) checkFilter(text string) (model.Filter, error) {
	f, err := model.ParseFilter(text)
	if err != nil {
		return f, err
	}
	return f, model.CheckFilter(f, a.c.Policy, a.facets)
}

func (a *App) askViewName() tea.Cmd {
	p := newPrompt(a, a.c.T.S("prompt.view_name")+" ", "", model.MaxNameBytes)
	p.hint = a.c.T.S("prompt.view_name_hint", a.c.Keys.Confirm.Help().Key, a.c.Keys.Cancel.Help().Key)
	p.submit = func(a *App, text string) (tea.Cmd, string) {
		if err := model.ValidViewName(text); err != nil {
			return nil, err.Error()
		}
		return saveView(a.c.Session, text, a.c.Filter), ""
	}
	// The view prompt replaces the filter bar: an overlay that sets the
	// next one keeps the focus moving without a gap a key could fall into.
	a.open = p
	return p.focus()
}

// startSearch replaces the list with the results of a full-text search,
// until esc.
func (a *App) startSearch(query string) tea.Cmd {
	// The store searches words only (letters and digits); a query of
	// punctuation alone would open an empty search that never lands.
	if strings.IndexFunc(query, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		a.warn("status.search_word")
		return nil
	}
	if a.tab != model.QueueSearch {
		a.searchFrom = a.tab
	}
	l := newList(model.QueueSearch)
	l.search = query
	l.setHeight(a.current().height)
	a.lists[model.QueueSearch] = &l
	a.tab = model.QueueSearch
	a.tell("status.searching", sanitize.Line(query))
	a.searchStatus = a.status
	cmd := l.loadFirst(a.c)
	a.expect(awaitPage, model.QueueSearch, l.gen)
	return tea.Batch(cmd, countSearch(a.c.Session, model.PageQuery{Queue: model.QueueSearch, Actor: a.c.Actor(), Filter: a.c.Filter, Search: query}))
}

// searchCountMsg brings how many posts a search matches.
type searchCountMsg struct {
	query string
	n     int
	err   error
}

func countSearch(s *Session, q model.PageQuery) tea.Cmd {
	return func() tea.Msg {
		n, err := s.Store.SearchCount(s.Ctx, q, matchLimit+1)
		return searchCountMsg{query: q.Search, n: n, err: err}
	}
}

// searchLanded clears "Searching…" once the first results are drawn.
func (a *App) searchLanded() {
	if a.status == a.searchStatus {
		a.status = ""
	}
}

func (a *App) leaveSearch() tea.Cmd {
	delete(a.lists, model.QueueSearch)
	a.tab = a.searchFrom
	a.tell("status.search_closed")
	return a.current().reload(a.c)
}

// applyFilter narrows the console to f. The session gives back the posts it
// holds and claims a fresh batch that passes f, so the pending list never
// shows a post the filter excludes, and no post is held out of others'
// reach by a reviewer who filtered it away.
func (a *App) applyFilter(f model.Filter, view string) tea.Cmd {
	p := a.pending()
	if len(p.saving) > 0 {
		a.warn("status.filter_wait")
		return nil
	}
	a.c.Filter, a.c.View = f, view
	p.rows, p.loaded, p.sel, p.top = nil, false, 0, 0
	p.gen++            // answers read under the old filter are dropped…
	p.inflight = false // …so none is in flight for this list any more
	switch {
	case view != "":
		a.tell("status.view", sanitize.Line(view), a.c.describeFilter(f))
	case f.IsZero():
		a.tell("status.filter_cleared")
	default:
		a.tell("status.filter", a.c.describeFilter(f))
	}
	a.matching = -1
	a.expect(awaitClaim, "", 0)
	a.claiming = true
	cmds := []tea.Cmd{refilter(a.c.Session, f, a.batch()), a.loadCounts(f)}
	if a.tab != model.QueuePending {
		cmds = append(cmds, a.current().loadFirst(a.c))
	}
	return tea.Batch(cmds...)
}

func (c *Context) describeFilter(f model.Filter) string {
	if f.IsZero() {
		return c.T.S("filter.every_post")
	}
	s := sanitize.Line(f.String())
	if f.Breached {
		s += " " + c.T.S("filter.oldest_first")
	}
	return s
}

func refilter(s *Session, f model.Filter, batch int) tea.Cmd {
	return func() tea.Msg {
		if err := s.Store.Release(s.Ctx, s.SessionID); err != nil {
			return claimedMsg{err: err}
		}
		got, err := s.Store.ClaimMatching(s.Ctx, s.SessionID, batch, s.Lease, f)
		return claimedMsg{n: got, err: err}
	}
}

func loadFacets(s *Session) tea.Cmd {
	return func() tea.Msg {
		f, err := s.Store.Facets(s.Ctx)
		return facetsMsg{facets: f, err: err}
	}
}

func (a *App) openViews() tea.Cmd {
	a.expect(awaitViews, "", 0)
	s := a.c.Session
	return func() tea.Msg {
		v, err := s.Store.Views(s.Ctx)
		return viewsMsg{views: v, err: err}
	}
}

func saveView(s *Session, name string, f model.Filter) tea.Cmd {
	return func() tea.Msg {
		return viewSavedMsg{name: name, err: s.Store.SaveView(s.Ctx, name, f, s.Reviewer)}
	}
}

func (a *App) viewSaved(m viewSavedMsg) {
	if m.err != nil {
		a.warn("status.view_not_saved", a.c.errText(m.err))
		return
	}
	a.c.View = m.name
	a.tell("status.view_saved", sanitize.Line(m.name), a.c.describeFilter(a.c.Filter), a.c.Keys.Views.Help().Key, sanitize.Line(m.name))
}

// viewsLoaded shows the view picker: no filter first, then every view.
func (a *App) viewsLoaded(m viewsMsg) tea.Cmd {
	if m.err != nil {
		a.warn("status.views_failed", a.c.errText(m.err))
		return nil
	}
	choices := []model.Reason{{Code: "all", Label: model.T(a.c.T.S("views.all"))}}
	sel := 0
	for i, v := range m.views {
		label := a.c.describeFilter(v.Filter)
		if v.By != "" {
			label += "  — " + sanitize.Line(v.By)
		}
		choices = append(choices, model.Reason{Code: sanitize.Line(v.Name), Label: model.T(label)})
		if v.Name == a.c.View {
			sel = i + 1
		}
	}
	views := m.views
	a.open = &picker{title: a.c.T.S("views.title"), choices: choices, sel: sel, choose: func(a *App, i int) tea.Cmd {
		if i == 0 {
			return a.applyFilter(model.Filter{}, "")
		}
		return a.applyFilter(views[i-1].Filter, views[i-1].Name)
	}}
	return nil
}

// filterLabel is the header's reminder of what narrows the list.
func (a *App) filterLabel() string {
	switch {
	case a.c.View != "":
		return a.c.T.S("filter.view_label", sanitize.Line(a.c.View), a.c.describeFilter(a.c.Filter))
	case !a.c.Filter.IsZero():
		return a.c.T.S("filter.label", a.c.describeFilter(a.c.Filter))
	}
	return ""
}
