package tui

import (
	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// list is a window onto a queue. It holds only a few screens of rows around
// the selection and reads more with keyset pages as the selection nears an
// edge, so the queue's size never matters to memory or to a keystroke.
type list struct {
	queue          model.Queue
	rows           []model.Item
	sel, top       int // selected row and first visible row, as indexes into rows
	height         int // visible rows
	catW           int // the category column, as wide as this frame's width allows (categoryWidth)
	atStart, atEnd bool
	loaded         bool
	gen            int  // generation of the newest request; older answers are dropped
	inflight       bool // a refill is on its way
	saving         map[int64]bool
	err            error
	search         string // the query, in the search list
	total          int    // how many posts the search matches (up to matchLimit+1); -1 until counted
}

func newList(q model.Queue) list {
	return list{queue: q, saving: map[int64]bool{}, height: 1, total: -1}
}

// pageMode says how a page joins the rows a list holds.
type pageMode int

const (
	pageReplace pageMode = iota // the page is the new window
	pageAppend                  // the page continues the window downwards
	pagePrepend                 // the page continues the window upwards
)

// maxRows bounds the window: beyond it, rows far from the selection go.
func (l *list) maxRows() int { return 6 * l.height }

// pageMsg is a list's answer from the store.
type pageMsg struct {
	queue          model.Queue
	gen            int
	mode           pageMode
	rows           []model.Item
	sel            int  // the row to select if the old selection is gone
	jump           bool // select sel even if the old selection is still there
	atStart, atEnd bool
	err            error
}

func (l *list) selected() (model.Item, bool) {
	if l.sel < 0 || l.sel >= len(l.rows) {
		return model.Item{}, false
	}
	return l.rows[l.sel], true
}

func (l *list) setHeight(h int) {
	l.height = max(1, h)
	l.scrollIntoView()
}

// pager returns a function that reads pages of this list as it is now: the
// filter and search are copied here, in Update, not read later by the
// command's goroutine.
func (l *list) pager(c *Context) func(dir model.Direction, k model.Key, n int) ([]model.Item, error) {
	q := model.PageQuery{Queue: l.queue, Actor: c.Actor(), Filter: c.Filter, Search: l.search}
	s := c.Session
	return func(dir model.Direction, k model.Key, n int) ([]model.Item, error) {
		q := q
		q.Dir, q.Key, q.Limit = dir, k, n
		return s.Store.Page(s.Ctx, q)
	}
}

// loadFirst reads the head of the queue.
func (l *list) loadFirst(c *Context) tea.Cmd { return l.loadEnd(c, model.First) }

// loadLast reads the tail of the queue.
func (l *list) loadLast(c *Context) tea.Cmd { return l.loadEnd(c, model.Last) }

// loadEnd reads three screens from one end of the queue and selects the row
// at that end.
func (l *list) loadEnd(c *Context, dir model.Direction) tea.Cmd {
	l.gen++
	l.inflight = true
	gen, n, query := l.gen, 3*l.height, l.pager(c)
	return func() tea.Msg {
		rows, err := query(dir, model.Key{}, n)
		m := pageMsg{queue: l.queue, gen: gen, rows: rows, jump: true, err: err}
		if dir == model.Last {
			m.sel, m.atStart, m.atEnd = len(rows)-1, len(rows) < n, true
		} else {
			m.sel, m.atStart, m.atEnd = 0, true, len(rows) < n
		}
		return m
	}
}

// loadAround re-reads a screen before and two after the anchor, anchor
// included. It is how the window slides, refills after a decision, and picks
// up changes made by others. With jump the anchor's row becomes the selection.
func (l *list) loadAround(c *Context, anchor model.Key, jump bool) tea.Cmd {
	l.gen++
	l.inflight = true
	gen, h, query := l.gen, l.height, l.pager(c)
	return func() tea.Msg {
		before, err := query(model.Before, anchor, h)
		if err != nil {
			return pageMsg{queue: l.queue, gen: gen, err: err}
		}
		from, err := query(model.From, anchor, 2*h+1)
		rows := append(before, from...)
		sel := len(before)
		if len(from) == 0 {
			sel = len(rows) - 1
		}
		return pageMsg{queue: l.queue, gen: gen, rows: rows, sel: sel, jump: jump, atStart: len(before) < h, atEnd: len(from) < 2*h+1, err: err}
	}
}

// reload refreshes the window around the selection, or from the top.
func (l *list) reload(c *Context) tea.Cmd {
	if it, ok := l.selected(); ok {
		return l.loadAround(c, it.Key, false)
	}
	return l.loadFirst(c)
}

// apply takes a page answer. A replacing page keeps the selected row
// selected if it is still there, at the same place on screen; an extending
// page adds rows at one end and may drop rows far away at the other.
func (l *list) apply(c *Context, m pageMsg) tea.Cmd {
	if m.gen != l.gen {
		return nil
	}
	l.inflight = false
	if m.err != nil {
		l.err = m.err
		return nil
	}
	l.err = nil
	switch m.mode {
	case pageAppend:
		l.rows = append(l.rows, m.rows...)
		l.atEnd = m.atEnd
		if drop := len(l.rows) - l.maxRows(); drop > 0 && l.top >= drop {
			l.rows = l.rows[drop:]
			l.sel, l.top, l.atStart = l.sel-drop, l.top-drop, false
		}
	case pagePrepend:
		l.rows = append(m.rows, l.rows...)
		l.sel += len(m.rows)
		l.top += len(m.rows)
		l.atStart = m.atStart
		if keep := l.maxRows(); len(l.rows) > keep && l.top+l.height <= keep {
			l.rows, l.atEnd = l.rows[:keep], false
		}
	default:
		offset := l.sel - l.top
		want, had := l.selected()
		l.rows, l.atStart, l.atEnd, l.loaded = m.rows, m.atStart, m.atEnd, true
		l.sel = m.sel
		if had && !m.jump {
			for i, it := range l.rows {
				if it.Key == want.Key && it.PostID == want.PostID {
					l.sel = i
					break
				}
			}
		}
		l.sel = clamp(l.sel, 0, len(l.rows)-1)
		l.top = l.sel - offset
	}
	l.scrollIntoView()
	return l.refill(c)
}

// move shifts the selection within the loaded rows, and asks for more when
// it comes within a screen of an edge that is not the queue's own.
func (l *list) move(c *Context, delta int) tea.Cmd {
	if len(l.rows) == 0 {
		return nil
	}
	l.sel = clamp(l.sel+delta, 0, len(l.rows)-1)
	l.scrollIntoView()
	return l.refill(c)
}

// refill extends the window by a page when the selection comes within a
// screen of an end that is not the queue's own. Only the missing rows are
// read, so deciding post after post costs one small page now and then.
func (l *list) refill(c *Context) tea.Cmd {
	if l.inflight || len(l.rows) == 0 {
		return nil
	}
	switch {
	case !l.atEnd && len(l.rows)-1-l.sel < l.height:
		return l.extend(c, pageAppend, model.After, l.rows[len(l.rows)-1].Key)
	case !l.atStart && l.sel < l.height:
		return l.extend(c, pagePrepend, model.Before, l.rows[0].Key)
	}
	return nil
}

func (l *list) extend(c *Context, mode pageMode, dir model.Direction, k model.Key) tea.Cmd {
	l.inflight = true
	gen, n, query := l.gen, 2*l.height, l.pager(c)
	return func() tea.Msg {
		rows, err := query(dir, k, n)
		m := pageMsg{queue: l.queue, gen: gen, mode: mode, rows: rows, err: err}
		m.atEnd, m.atStart = len(rows) < n, len(rows) < n
		return m
	}
}

// remove drops a decided post, so the row after it takes its place.
func (l *list) remove(postID int64) {
	delete(l.saving, postID)
	for i, it := range l.rows {
		if it.PostID != postID {
			continue
		}
		l.rows = append(l.rows[:i], l.rows[i+1:]...)
		if i < l.sel {
			l.sel--
		}
		l.sel = clamp(l.sel, 0, len(l.rows)-1)
		if l.top > 0 && l.top >= i {
			l.top--
		}
		l.scrollIntoView()
		return
	}
}

// scrollIntoView keeps the selection on screen and the screen full.
func (l *list) scrollIntoView() {
	if l.sel < l.top {
		l.top = l.sel
	}
	if l.sel >= l.top+l.height {
		l.top = l.sel - l.height + 1
	}
	l.top = clamp(l.top, 0, max(0, len(l.rows)-l.height))
}

// visible returns the rows on screen and the selected index among them.
func (l *list) visible() ([]model.Item, int) {
	end := min(len(l.rows), l.top+l.height)
	if l.top >= end {
		return nil, -1
	}
	return l.rows[l.top:end], l.sel - l.top
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(v, hi))
}
