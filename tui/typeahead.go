package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/model"
)

// Typeahead. A reviewer who knows the console types ahead: "v 2 enter"
// before the view list has arrived, "j space" before the next post is read.
// A key that depends on something still loading waits for it, with every
// key after it, in order, and they are applied when it lands — never dropped
// and never applied to what was on screen before.

type awaitKind int

const (
	awaitNothing awaitKind = iota
	awaitPage              // a list page (queue, gen)
	awaitDetail            // the selected post in the detail pane
	awaitViews             // the saved views, for the picker
	awaitFacets            // the platforms and languages, for the filter bar
	awaitCount             // a cluster's count, for the confirmation
	awaitUndo              // an undo's plan
	awaitClaim             // a claim (after a filter change, or to refill an empty batch)
	awaitDecided           // a decision's commit, for a key on a row still saving
	awaitCluster           // a cluster decision's commit: what follows (an undo) acts on its result
)

// awaitGiveUp is how long keys wait for an answer that never comes before
// they are applied anyway (a safety net: every command answers).
const awaitGiveUp = 10 * time.Second

type awaiting struct {
	what  awaitKind
	queue model.Queue
	gen   int
	since time.Time
}

// expect makes the keys that follow wait for what.
func (a *App) expect(what awaitKind, q model.Queue, gen int) {
	a.await = awaiting{what: what, queue: q, gen: gen, since: a.c.Now()}
}

// landed reports whether msg is what the keys wait for.
func (w awaiting) landed(msg tea.Msg) bool {
	switch m := msg.(type) {
	case pageMsg:
		return w.what == awaitPage && m.queue == w.queue && m.gen == w.gen
	case detailMsg:
		return w.what == awaitDetail
	case viewsMsg:
		return w.what == awaitViews
	case facetsMsg:
		return w.what == awaitFacets
	case clusterCountMsg:
		return w.what == awaitCount
	case undoPlannedMsg:
		return w.what == awaitUndo
	case claimedMsg:
		return w.what == awaitClaim
	case decidedMsg:
		return w.what == awaitDecided
	case clusterDoneMsg:
		return w.what == awaitCluster
	}
	return false
}
