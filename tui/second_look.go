package tui

import (
	tea "charm.land/bubbletea/v2"

	"triage/model"
	"triage/tui/sanitize"
)

// The second pair of eyes (the Confirm tab): another reviewer's four-eyes
// rejection to confirm, or a decision to check blind. The reviewer decides
// with the usual keys; what a key means follows from the look:
//
//   - a blind QA check records the reviewer's own verdict and changes
//     nothing else;
//   - on a four-eyes rejection, rejecting with the first reason confirms
//     it, and any other decision disagrees (with a note saying why), which
//     sends the post to the leads with both views.
//
// The first decision is shown only when the reviewer asks (w), so the post
// is read first; a QA check never shows it.

// selectedLook is the second look the selected row asks for, nil outside
// the Confirm tab.
func (a *App) selectedLook() *model.Look {
	if a.tab != model.QueueConfirm {
		return nil
	}
	if it, ok := a.current().selected(); ok {
		return it.Look
	}
	return nil
}

// showFirst shows the first decision of the selected four-eyes rejection.
func (a *App) showFirst() tea.Cmd {
	a.detail.showFirst(a.c)
	return nil
}

// decideWith carries out a decision with its reason; in the Confirm tab it
// becomes the look's answer (a confirmation, a disagreement, a QA
// verdict). An escalation asks for its note.
func (a *App) decideWith(it model.Item, action model.Action, r model.Reason) tea.Cmd {
	if lk := it.Look; a.tab == model.QueueConfirm && lk != nil && lk.Kind == model.LookConfirm {
		if action == model.ActionReject && r.Code == lk.FirstCode {
			return a.commit(a.current(), it, model.ActionConfirm, r, "")
		}
		a.detail.showFirst(a.c) // a disagreement is with something: show what
		first := sanitize.Line(lk.FirstCode)
		return a.askNote(it, model.ActionDisagree, r,
			a.c.T.S("prompt.disagree", it.PostID, sanitize.Line(lk.FirstReviewer), first, sanitize.Line(r.Code))+" ",
			a.c.T.S("prompt.disagree_empty"))
	}
	escalating := action == model.ActionEscalate
	if lk := it.Look; a.tab == model.QueueConfirm && lk != nil && lk.Kind == model.LookQA {
		action = model.ActionQA // a blind check's verdict: recorded, the post unchanged
	}
	if escalating {
		return a.askNote(it, action, r, a.c.T.S("prompt.escalate_note", it.PostID, r.Code, a.c.Keys.Confirm.Help().Key)+" ", "")
	}
	return a.commit(a.current(), it, action, r, "")
}

// setLook tells the pane which second look the post is shown for.
func (d *detail) setLook(c *Context, l *model.Look) {
	if d.look == l || d.look != nil && l != nil && *d.look == *l {
		return
	}
	d.look = l
	if d.history && d.blind() {
		d.history = false
	}
	d.render(c)
}

// showFirst reveals the first decision of the four-eyes rejection shown.
func (d *detail) showFirst(c *Context) {
	if d.look == nil || d.look.Kind != model.LookConfirm || d.firstShown[d.want] {
		return
	}
	if d.firstShown == nil {
		d.firstShown = map[int64]bool{}
	}
	d.firstShown[d.want] = true
	d.render(c)
}

// blind reports whether the pane keeps the post's decisions out of view:
// a QA check always (and anywhere: the store blinds a post under an open
// check wherever it is read), a confirmation until the first decision is
// asked for.
func (d *detail) blind() bool {
	return d.post != nil && d.post.Blind || d.look != nil && (d.look.Kind == model.LookQA || !d.firstShown[d.want])
}

// lookLines say what the second look is, and, once asked for, what the
// first reviewer decided.
func (d *detail) lookLines(c *Context) []string {
	l, s, t := d.look, c.Styles, c.T
	if l == nil {
		return nil
	}
	if l.Kind == model.LookQA {
		return []string{s.Warn.Render(t.S("look.qa"))}
	}
	if !d.firstShown[d.want] {
		return []string{s.Warn.Render(t.S("look.confirm", c.Keys.FirstDecision.Help().Key))}
	}
	r, _ := c.Policy.Reason(l.FirstCode)
	line := t.S("look.first", sanitize.Line(l.FirstReviewer), sanitize.Line(l.FirstCode), c.label(r.Label))
	if l.FirstNote != "" {
		line += "  “" + sanitize.Line(l.FirstNote) + "”"
	}
	return []string{s.Warn.Render(line), s.Dim.Render(t.S("look.how", c.Keys.Reject.Help().Key))}
}
