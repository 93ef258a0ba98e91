package tui

import (
	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// seenPosts keeps the posts the detail pane read recently, and the one
// after the selection read ahead, so that moving through the list shows a
// post at once: one frame per key, where waiting for the read drew two.
// What it shows is checked at once by a fresh read (syncDetail), and the
// pane redraws only if the post changed meanwhile. A decision or an undo
// forgets everything: it changes posts the console cannot name one by one
// (a cluster).
type seenPosts struct {
	posts map[int64]model.PostDetail
}

// seenLimit bounds the posts kept: far more than a screen of rows.
const seenLimit = 64

func (s *seenPosts) get(id int64) (model.PostDetail, bool) {
	p, ok := s.posts[id]
	return p, ok
}

func (s *seenPosts) put(p model.PostDetail) {
	if s.posts == nil || len(s.posts) >= seenLimit {
		s.posts = make(map[int64]model.PostDetail, seenLimit)
	}
	s.posts[p.ID] = p
}

func (s *seenPosts) drop(id int64) { delete(s.posts, id) }

func (s *seenPosts) forget() { s.posts = nil }

// readAhead reads the post after the selection, if not already kept.
func (a *App) readAhead() tea.Cmd {
	l := a.current()
	if l.sel+1 >= len(l.rows) {
		return nil
	}
	next := l.rows[l.sel+1].PostID
	if _, ok := a.seen.get(next); ok || next == 0 {
		return nil
	}
	return loadDetail(a.c.Session, next)
}
