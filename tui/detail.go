package tui

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/viewport"
	"charm.land/lipgloss/v2"

	"triage/model"
	"triage/tui/sanitize"
)

// detail shows one post in full: metadata, text, flags and history, wrapped
// to the pane and scrolled by a bubbles viewport. Full screen (enter) it
// shows every field; beside or under the list on a small screen the
// metadata takes two lines and the post gets the room.
type detail struct {
	post    *model.PostDetail
	want    int64 // the post the selection asks for
	err     error
	history bool // the audit trail instead of the post
	full    bool // drawn full screen
	vp      viewport.Model
	width   int
	height  int
	drawn   []string // the last view, kept until the content (render, which a resize calls) or the scroll changes
	drawnY  int      // the scroll it was drawn at
	// look is the second look the post is shown for (the Confirm tab), and
	// firstShown the posts whose first decision the reviewer asked to see.
	look       *model.Look
	firstShown map[int64]bool
}

// detailMsg carries a post read for the detail pane.
type detailMsg struct {
	id   int64
	post model.PostDetail
	err  error
}

func newDetail() detail {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{} // keys come from the binding table, not the viewport's own
	return detail{vp: vp}
}

// SetSize gives the pane its cells.
func (d *detail) SetSize(c *Context, w, h int) {
	d.width, d.height = max(1, w), max(1, h)
	d.vp.SetWidth(d.width)
	d.vp.SetHeight(d.height)
	d.render(c)
}

// loaded reports whether the pane shows the post the selection asks for.
func (d *detail) loaded() bool {
	return d.want == 0 || d.err != nil || (d.post != nil && d.post.ID == d.want)
}

// apply shows a post read for the pane, and reports whether the pane
// changed: a fresh read of what it already shows changes nothing.
func (d *detail) apply(c *Context, m detailMsg) bool {
	if m.id != d.want {
		return false
	}
	if m.err == nil && d.err == nil && d.post != nil && reflect.DeepEqual(*d.post, m.post) {
		return false
	}
	d.err = m.err
	if m.err == nil {
		p := m.post
		if d.post == nil || d.post.ID != p.ID {
			d.vp.SetYOffset(0)
		}
		d.post = &p
	}
	d.render(c)
	return true
}

// clear empties the pane (no post selected).
func (d *detail) clear(c *Context) {
	d.post, d.err = nil, nil
	d.render(c)
}

// sensitiveHidden reports whether the current post's text is collapsed.
func (d *detail) sensitiveHidden(c *Context) bool {
	if d.post == nil || c.Revealed[d.post.ID] || c.RevealSensitive {
		return false
	}
	cat, ok := c.Policy.Category(d.post.Category)
	return ok && cat.Sensitive
}

// excluded reports a post of a category a lead keeps away from this
// reviewer: found by search, it shows collapsed, with no way to reveal it.
func (d *detail) excluded(c *Context) bool {
	return d.post != nil && c.Settings.Excludes(d.post.Category)
}

// scrollPage moves the text a page less one line; the first forward press
// on a collapsed sensitive post reveals it instead.
func (d *detail) scrollPage(c *Context, dir int) {
	if dir > 0 && d.sensitiveHidden(c) && !d.excluded(c) {
		c.Revealed[d.post.ID] = true
		d.render(c)
		return
	}
	n := max(1, d.height-1)
	if dir > 0 {
		d.vp.ScrollDown(n)
	} else {
		d.vp.ScrollUp(n)
	}
}

func (d *detail) toggleHistory(c *Context) {
	d.history = !d.history
	d.vp.SetYOffset(0)
	d.render(c)
}

// compact reports whether the metadata takes two lines: a small pane.
func (d *detail) compact() bool { return !d.full && (d.height < 20 || d.width < 60) }

func (d *detail) render(c *Context) {
	var out []string
	switch {
	case d.err != nil:
		out = []string{c.Styles.Error.Render(c.T.S("detail.cannot_read", sanitize.Line(d.err.Error())))}
	case d.post == nil:
		out = []string{c.Styles.Dim.Render(c.T.S("why.no_post"))}
	case d.history:
		out = d.trail(c)
	default:
		out = d.postLines(c)
	}
	var lines []string
	for _, line := range out {
		lines = append(lines, c.wrap(line, d.width)...)
	}
	y := d.vp.YOffset()
	d.vp.SetContentLines(lines)
	d.vp.SetYOffset(y)
	d.drawn = nil
}

func (d *detail) postLines(c *Context) []string {
	s := c.Styles
	p := d.post
	var out []string
	add := func(line string) { out = append(out, line) }
	t := c.T
	names := map[string]string{}
	labelW := 0
	for _, f := range []string{"status", "author", "url", "ext_id", "posted", "flagged", "cluster"} {
		names[f] = t.S("field." + f)
		labelW = max(labelW, c.cellWidth(names[f])+2)
	}
	field := func(name, value string) { add(s.Label.Render(c.padRight(names[name], labelW)) + value) }
	cat, _ := c.Policy.Category(p.Category)
	title := fmt.Sprintf("#%d %s %s", p.ID, c.shown(sanitize.Line(p.Platform)), c.shown(sanitize.Line(p.Category)))
	if l := c.label(cat.Label); l != "" {
		title += " — " + l
	}
	status := c.statusWord(p.Status)
	if p.Blind || d.look != nil && d.look.Kind == model.LookQA {
		status = t.S("look.qa_status") // the status would say what the first reviewer decided
	} else if p.Status != model.StatusPending {
		status = s.Warn.Render(strings.ToUpper(status))
	}
	author := c.shown(sanitize.Line(p.Author))
	if p.AuthorID != "" {
		author += s.Dim.Render(" (" + c.shown(sanitize.Line(p.AuthorID)) + ")")
	}
	flagged := t.S("detail.ago", c.age(p.FlaggedAt))
	breached := p.Status == model.StatusPending && cat.Breached(p.FlaggedAt, c.Now())
	fields := func() {
		field("status", status+s.Dim.Render("   "+t.N("detail.severity", p.Reports, p.Severity, p.Reports, orDash(sanitize.Line(p.Language)))))
		field("author", orDash(author))
		if ctx := c.authorContext(p.AuthorPosts); ctx != "" {
			add(strings.Repeat(" ", labelW) + s.Dim.Render(ctx))
		}
		field("url", d.urlLine(c, d.width-labelW))
		if p.ExternalID != "" {
			field("ext_id", c.shown(sanitize.Line(p.ExternalID)))
		}
		field("posted", c.formatTime(p.PostedAt))
		line := c.formatTime(p.FlaggedAt) + s.Dim.Render(" ("+flagged+")")
		if breached {
			line += "  " + s.Error.Render(t.S("detail.past_target", cat.Target.String()))
		}
		field("flagged", line)
		if cl := p.Cluster; cl.Posts > 1 {
			field("cluster", t.S("detail.cluster", cl.Posts, cl.Accounts, cl.Platforms)+
				s.Dim.Render(" · "+t.S("detail.cluster_pending", cl.Pending, c.Keys.Cluster.Help().Key)))
		}
	}
	// Full screen on a small terminal the post comes first and every field
	// follows it; in a small pane the fields are one key (enter) away.
	textFirst := d.full && d.height < 30
	if d.compact() || textFirst {
		line2 := d.compactLine(c, author, flagged, breached)
		// Two lines exactly, cut rather than wrapped: the post gets the room.
		// The status comes before the title, which a narrow pane cuts.
		add(c.fit(s.Header.Render(fmt.Sprintf("#%d", p.ID))+" "+status+" "+s.Header.Render(strings.TrimPrefix(title, fmt.Sprintf("#%d ", p.ID))), d.width))
		add(c.fit(line2, d.width))
	} else {
		add(s.Header.Render(title))
		fields()
	}
	out = append(out, d.lookLines(c)...)
	add(s.Rule.Render(strings.Repeat("─", d.width)))
	if d.excluded(c) {
		add(s.Warn.Render(t.S("detail.excluded")))
	} else if d.sensitiveHidden(c) {
		add(s.Warn.Render(t.S("detail.sensitive_hidden")))
		add(s.Dim.Render(t.S("detail.sensitive_how", c.Keys.PostDown.Keys()[0], c.Keys.Reveal.Help().Key)))
	} else {
		out = append(out, strings.Split(c.shown(sanitize.Text(p.Text)), "\n")...)
	}
	add(s.Rule.Render(strings.Repeat("─", d.width)))
	if textFirst {
		fields()
	}
	out = append(out, d.recordLines(c)...)
	return out
}

// compactLine is a small pane's second line: the author, then what fits of
// the rest; a part that does not fit whole is cut at a space, never in a
// word.
func (d *detail) compactLine(c *Context, author, flagged string, breached bool) string {
	s, t, p := c.Styles, c.T, d.post
	type part struct {
		text  string
		style lipgloss.Style
	}
	parts := []part{{" · " + t.S("detail.flagged_short", flagged), s.Dim}, {fmt.Sprintf(" · S%d×%d", p.Severity, p.Reports), s.Dim}}
	if breached {
		parts = append(parts, part{" " + t.S("detail.past_target_short"), s.Error})
	}
	if cl := p.Cluster; cl.Posts > 1 {
		parts = append(parts, part{" · " + t.N("detail.copies", cl.Posts), s.Dim})
	}
	if !d.full {
		parts = append(parts, part{" · " + t.S("detail.enter_all", c.Keys.Open.Help().Key), s.Dim})
	}
	line := orDash(author)
	for _, pt := range parts {
		room := d.width - c.cellWidth(line)
		if c.cellWidth(pt.text) <= room {
			line += pt.style.Render(pt.text)
			continue
		}
		if cut := c.cutAtSpace(pt.text, room); cut != "" {
			line += pt.style.Render(cut)
		}
		break
	}
	return line
}

// recordLines are what follows the post's text: its flags, the fields of
// the import triage does not know, and its history (not in a blind look).
func (d *detail) recordLines(c *Context) []string {
	s, t, p := c.Styles, c.T, d.post
	var out []string
	add := func(line string) { out = append(out, line) }
	add(s.Label.Render(t.S("detail.flags", len(p.Flags))))
	for _, f := range p.Flags {
		line := fmt.Sprintf("  %s  ×%d  S%d  %s", c.formatTime(f.FlaggedAt), f.Reports, f.Severity, sanitize.Line(f.Source))
		if f.Reason != "" {
			line += "  “" + sanitize.Line(f.Reason) + "”"
		}
		add(line)
	}
	if extra := extraLines(p.Extra); len(extra) > 0 {
		add(s.Label.Render(t.S("detail.other_fields")))
		for _, l := range extra {
			add("  " + l)
		}
	}
	if len(p.Events) > 0 && !d.blind() {
		add(s.Label.Render(t.S("detail.history")))
		for _, ev := range p.Events {
			line := fmt.Sprintf("  %s  %s  %s", c.formatTime(ev.At), sanitize.Line(ev.Reviewer), c.actionWord(ev.Action))
			if ev.ReasonCode != "" {
				line += " " + sanitize.Line(ev.ReasonCode)
			}
			if ev.Note != "" {
				line += "  “" + sanitize.Line(ev.Note) + "”"
			}
			add(line)
		}
	}
	return out
}

// urlLine is the post's URL, as an OSC 8 hyperlink when it is a valid http(s)
// URL of at most maxSequenceURL bytes: the console's own escape, built from
// the parsed URL, never from post text. Terminals without hyperlinks show
// the plain text. In the pane a long URL is cut to the w cells it has, with
// an ellipsis, never broken over lines; the full-screen reader shows it whole.
func (d *detail) urlLine(c *Context, w int) string {
	raw := d.post.URL
	if raw == "" {
		return "—"
	}
	text := c.shown(sanitize.Line(raw))
	if !d.full {
		text = c.cut(text, max(w, 1))
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || sanitize.Line(raw) != raw ||
		len(u.String()) > maxSequenceURL {
		return text
	}
	return lipgloss.NewStyle().Hyperlink(u.String()).Render(text)
}

// maxSequenceURL bounds the URL the console puts in a hyperlink (OSC 8) or
// clipboard (OSC 52) sequence: every frame that shows the link carries it
// again, and browsers stop near 2,000 bytes anyway.
const maxSequenceURL = 2 << 10

func (d *detail) view(c *Context) []string {
	// The console redraws on every message, and most change nothing here.
	if d.drawn == nil || d.drawnY != d.vp.YOffset() {
		d.drawn, d.drawnY = d.draw(c), d.vp.YOffset()
	}
	return d.drawn
}

func (d *detail) draw(c *Context) []string {
	lines := strings.Split(d.vp.View(), "\n")
	for i := range lines {
		lines[i] = c.fit(lines[i], d.width)
	}
	for len(lines) < d.height {
		lines = append(lines, strings.Repeat(" ", d.width))
	}
	lines = lines[:d.height]
	if more := d.vp.TotalLineCount() - d.vp.YOffset() - d.height; more > 0 && d.height > 1 {
		lines[d.height-1] = c.Styles.Dim.Render(c.fit("  ↓ "+c.T.N("detail.more_lines", more, more, c.Keys.PostDown.Keys()[0]), d.width))
	}
	return lines
}

// extraLines shows unknown import fields as sanitised key: value lines.
// Fields whose names start with "_" are the importer's own (an answer key,
// an internal id): kept and exported, never shown to reviewers.
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
		if !strings.HasPrefix(k, "_") {
			keys = append(keys, k)
		}
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

// authorContext summarises the author's other posts: "other posts by this
// author: 3 rejected · 1 approved".
func (c *Context) authorContext(by map[model.Status]int) string {
	var parts []string
	for _, st := range []model.Status{model.StatusRejected, model.StatusEscalated, model.StatusApproved, model.StatusPending} {
		if n := by[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, c.statusWord(st)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return c.T.S("detail.author_posts", strings.Join(parts, " · "))
}

// trail is the post's audit trail, oldest first: every flag and every event,
// with reason labels, notes and the key that signed each action.
func (d *detail) trail(c *Context) []string {
	s := c.Styles
	p := d.post
	t := c.T
	out := []string{s.Header.Render(t.S("trail.title", p.ID, c.Keys.History.Help().Key))}
	type entry struct {
		at   time.Time
		line string
	}
	var entries []entry
	for _, f := range p.Flags {
		line := t.S("trail.flagged", f.Reports, f.Severity, orDash(sanitize.Line(f.Source)))
		if f.Reason != "" {
			line += ": “" + sanitize.Line(f.Reason) + "”"
		}
		entries = append(entries, entry{f.FlaggedAt, line})
	}
	for _, ev := range p.Events {
		line := t.S("trail.event", c.actionWord(ev.Action), c.statusWord(ev.From), c.statusWord(ev.To), sanitize.Line(ev.Reviewer))
		if ev.ReasonCode != "" {
			r, _ := c.Policy.Reason(ev.ReasonCode)
			line += "  " + sanitize.Line(ev.ReasonCode) + " " + c.label(r.Label)
		}
		if ev.Note != "" {
			line += "  “" + sanitize.Line(ev.Note) + "”"
		}
		if ev.KeyFP != "" {
			line += s.Dim.Render("  " + t.S("trail.key", sanitize.Line(ev.KeyFP)))
		}
		entries = append(entries, entry{ev.At, line})
	}
	for _, cl := range p.Claims {
		entries = append(entries, entry{cl.At, s.Dim.Render(t.S("trail.claimed", sanitize.Line(cl.Reviewer)))})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].at.Before(entries[j].at) })
	for _, e := range entries {
		out = append(out, s.Label.Render(c.formatTime(e.at))+"  "+e.line)
	}
	if len(p.Events) == 0 {
		out = append(out, s.Dim.Render(t.S("list.no_decisions")))
	}
	return out
}
