package tui

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"triage/model"
	"triage/tui/sanitize"
)

// detail shows one post in full: metadata, text, flags and history, wrapped
// to the pane and scrollable.
type detail struct {
	post          *model.PostDetail
	want          int64 // the post the selection asks for
	err           error
	lines         []string
	offset        int
	width, height int
	revealed      map[int64]bool // sensitive posts whose text the reviewer chose to see
	frame         []string       // the last view, reused until something changes
	history       bool           // show the audit trail instead of the post
}

// detailMsg carries a post read for the detail pane.
type detailMsg struct {
	id   int64
	post model.PostDetail
	err  error
}

func newDetail() detail { return detail{revealed: map[int64]bool{}} }

func (d *detail) setSize(c *Context, w, h int) {
	d.width, d.height = max(1, w), max(1, h)
	d.render(c)
}

func (d *detail) apply(c *Context, m detailMsg) {
	if m.id != d.want {
		return
	}
	d.err = m.err
	if m.err == nil {
		p := m.post
		if d.post == nil || d.post.ID != p.ID {
			d.offset = 0
		}
		d.post = &p
	}
	d.render(c)
}

// sensitiveHidden reports whether the current post's text is collapsed.
func (d *detail) sensitiveHidden(c *Context) bool {
	if d.post == nil || d.revealed[d.post.ID] {
		return false
	}
	cat, ok := c.Policy.Category(d.post.Category)
	return ok && cat.Sensitive
}

// scroll moves the text by n lines; the first forward press on a collapsed
// sensitive post reveals it instead.
func (d *detail) scroll(c *Context, n int) {
	if n > 0 && d.sensitiveHidden(c) {
		d.revealed[d.post.ID] = true
		d.render(c)
		return
	}
	d.offset = clamp(d.offset+n, 0, max(0, len(d.lines)-d.height))
	d.frame = nil
}

func (d *detail) render(c *Context) {
	s := c.Styles
	w := d.width
	var out []string
	add := func(line string) { out = append(out, line) }
	field := func(label, value string) {
		add(s.Label.Render(fmt.Sprintf("%-9s", label)) + value)
	}
	switch {
	case d.err != nil:
		add(s.Error.Render("Cannot read this post: " + sanitize.Line(d.err.Error())))
	case d.post == nil:
		add(s.Dim.Render("No post selected."))
	case d.history:
		out = d.trail(c)
	default:
		p := d.post
		cat, _ := c.Policy.Category(p.Category)
		title := fmt.Sprintf("#%d  %s  %s", p.ID, sanitize.Line(p.Platform), sanitize.Line(p.Category))
		if cat.Label != "" {
			title += " — " + cat.Label
		}
		add(s.Header.Render(title))
		status := string(p.Status)
		if p.Status != model.StatusPending {
			status = s.Warn.Render(strings.ToUpper(status))
		}
		field("Status", status+s.Dim.Render(fmt.Sprintf("   severity %d · %d report(s) · language %s", p.Severity, p.Reports, orDash(sanitize.Line(p.Language)))))
		author := sanitize.Line(p.Author)
		if p.AuthorID != "" {
			author += s.Dim.Render(" (" + sanitize.Line(p.AuthorID) + ")")
		}
		field("Author", author)
		if ctx := authorContext(p.AuthorPosts); ctx != "" {
			field("", s.Dim.Render(ctx))
		}
		field("URL", orDash(sanitize.Line(p.URL)))
		if p.ExternalID != "" {
			field("ID", sanitize.Line(p.ExternalID))
		}
		field("Posted", formatTime(p.PostedAt))
		flagged := formatTime(p.FlaggedAt) + s.Dim.Render(" ("+age(c.Now(), p.FlaggedAt)+" ago)")
		if p.Status == model.StatusPending && cat.Breached(p.FlaggedAt, c.Now()) {
			flagged += "  " + s.Error.Render("past its "+model.FormatAge(cat.Target)+" target")
		}
		field("Flagged", flagged)
		if cl := p.Cluster; cl.Posts > 1 {
			field("Cluster", fmt.Sprintf("×%d copies · %d accounts · %d platforms", cl.Posts, cl.Accounts, cl.Platforms)+
				s.Dim.Render(fmt.Sprintf(" · %d pending (C: decide all)", cl.Pending)))
		}
		add(s.Rule.Render(strings.Repeat("─", w)))
		if d.sensitiveHidden(c) {
			add(s.Warn.Render("⚠ Sensitive category: the text is hidden."))
			add(s.Dim.Render("Press space to show it."))
		} else {
			for _, line := range strings.Split(sanitize.Text(p.Text), "\n") {
				add(line)
			}
		}
		add(s.Rule.Render(strings.Repeat("─", w)))
		add(s.Label.Render(fmt.Sprintf("Flags (%d)", len(p.Flags))))
		for _, f := range p.Flags {
			line := fmt.Sprintf("  %s  ×%d  S%d  %s", formatTime(f.FlaggedAt), f.Reports, f.Severity, sanitize.Line(f.Source))
			if f.Reason != "" {
				line += "  “" + sanitize.Line(f.Reason) + "”"
			}
			add(line)
		}
		if extra := extraLines(p.Extra); len(extra) > 0 {
			add(s.Label.Render("Other fields"))
			for _, l := range extra {
				add("  " + l)
			}
		}
		if len(p.Events) > 0 {
			add(s.Label.Render("History"))
			for _, ev := range p.Events {
				line := fmt.Sprintf("  %s  %s  %s", formatTime(ev.At), sanitize.Line(ev.Reviewer), ev.Action)
				if ev.ReasonCode != "" {
					line += " " + sanitize.Line(ev.ReasonCode)
				}
				if ev.Note != "" {
					line += "  “" + sanitize.Line(ev.Note) + "”"
				}
				add(line)
			}
		}
	}
	// Wrap every logical line to the pane: words where possible, hard breaks
	// for long URLs and unbroken scripts. Width is in cells.
	d.lines = d.lines[:0]
	for _, line := range out {
		d.lines = append(d.lines, strings.Split(ansi.Wrap(line, w, ""), "\n")...)
	}
	d.offset = clamp(d.offset, 0, max(0, len(d.lines)-d.height))
	d.frame = nil
}

func (d *detail) view(c *Context) []string {
	if d.frame != nil {
		return d.frame
	}
	lines := make([]string, 0, d.height)
	end := min(len(d.lines), d.offset+d.height)
	for _, l := range d.lines[d.offset:end] {
		lines = append(lines, fit(l, d.width))
	}
	for len(lines) < d.height {
		lines = append(lines, strings.Repeat(" ", d.width))
	}
	if more := len(d.lines) - end; more > 0 && d.height > 1 {
		lines[d.height-1] = c.Styles.Dim.Render(fit(fmt.Sprintf("  ↓ %d more line(s) — space to scroll", more), d.width))
	}
	d.frame = lines
	return lines
}

// extraLines shows unknown import fields as sanitised key: value lines.
func extraLines(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return []string{sanitize.Line(string(raw))}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		v := string(m[k])
		var str string
		if json.Unmarshal(m[k], &str) == nil {
			v = str
		}
		out = append(out, sanitize.Line(k)+": "+sanitize.Line(v))
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// authorContext summarises the author's other posts: "also 3 rejected · 1 approved".
func authorContext(by map[model.Status]int) string {
	var parts []string
	for _, st := range []model.Status{model.StatusRejected, model.StatusEscalated, model.StatusApproved, model.StatusPending} {
		if n := by[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "other posts by this author: " + strings.Join(parts, " · ")
}

// trail is the post's audit trail, oldest first: every flag and every event,
// with reason labels, notes and the key that signed each action.
func (d *detail) trail(c *Context) []string {
	s := c.Styles
	p := d.post
	out := []string{s.Header.Render(fmt.Sprintf("#%d  audit trail  (h: back to the post)", p.ID))}
	type entry struct {
		at   time.Time
		line string
	}
	var entries []entry
	for _, f := range p.Flags {
		line := fmt.Sprintf("flagged ×%d, severity %d, by %s", f.Reports, f.Severity, orDash(sanitize.Line(f.Source)))
		if f.Reason != "" {
			line += ": “" + sanitize.Line(f.Reason) + "”"
		}
		entries = append(entries, entry{f.FlaggedAt, line})
	}
	for _, ev := range p.Events {
		line := fmt.Sprintf("%s %s → %s by %s", ev.Action, ev.From, ev.To, sanitize.Line(ev.Reviewer))
		if ev.ReasonCode != "" {
			r, _ := c.Policy.Reason(ev.ReasonCode)
			line += "  " + sanitize.Line(ev.ReasonCode) + " " + r.Label
		}
		if ev.Note != "" {
			line += "  “" + sanitize.Line(ev.Note) + "”"
		}
		if ev.KeyFP != "" {
			line += s.Dim.Render("  key " + ev.KeyFP)
		}
		entries = append(entries, entry{ev.At, line})
	}
	for _, cl := range p.Claims {
		entries = append(entries, entry{cl.At, s.Dim.Render(fmt.Sprintf("claimed by %s for review", sanitize.Line(cl.Reviewer)))})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].at.Before(entries[j].at) })
	for _, e := range entries {
		out = append(out, s.Label.Render(formatTime(e.at))+"  "+e.line)
	}
	if len(p.Events) == 0 {
		out = append(out, s.Dim.Render("No decisions yet."))
	}
	return out
}
