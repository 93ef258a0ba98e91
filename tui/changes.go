package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// ChangeFeed is a store that can tell when posts changed elsewhere — on a
// shared database, another server's decisions and imports. A console whose
// store has one refreshes when told, instead of at its next tick, so the
// header and lists follow other servers within a second; the tick still
// runs, for a signal that was lost.
type ChangeFeed interface {
	Changes() (<-chan struct{}, func())
}

// changedMsg says the store changed elsewhere.
type changedMsg struct{}

// minChangeRefresh spaces refreshes caused by changes: fifty consoles
// watching a busy queue refresh at most this often each, not per decision.
const minChangeRefresh = 500 * time.Millisecond

// watchChanges subscribes the session to its store's changes, if it has a
// feed; the subscription ends with the session.
func watchChanges(s *Session) <-chan struct{} {
	feed, ok := s.Store.(ChangeFeed)
	if !ok {
		return nil
	}
	ch, cancel := feed.Changes()
	go func() {
		<-s.Ctx.Done()
		cancel()
	}()
	return ch
}

// waitChange waits for the next change signal, or the session's end.
func waitChange(s *Session, ch <-chan struct{}) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case <-ch:
			return changedMsg{}
		case <-s.Ctx.Done():
			return nil
		}
	}
}

// changed refreshes what another server's change may have moved: the
// counts, and the list on screen. Signals closer together than
// minChangeRefresh wait out the gap, so a storm of decisions elsewhere
// costs each console two refreshes a second.
func (a *App) changed() []tea.Cmd {
	s := a.c.Session
	wait := minChangeRefresh - a.c.Now().Sub(a.lastChange)
	if wait > 0 {
		return []tea.Cmd{tea.Tick(wait, func(time.Time) tea.Msg { return changedMsg{} })}
	}
	a.lastChange = a.c.Now()
	cmds := []tea.Cmd{a.loadCounts(a.c.Filter), waitChange(s, a.changes)}
	if l := a.current(); !l.inflight && a.open == nil && len(l.saving) == 0 {
		cmds = append(cmds, l.reload(a.c))
	}
	return cmds
}
