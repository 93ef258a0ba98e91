package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// helpScreen is `?`: the keys of whatever had the focus, by group, each
// description wrapped to the screen, in a viewport that scrolls.
type helpScreen struct {
	title  string
	groups []helpGroup
	vp     viewport.Model
	width  int
}

type helpGroup struct {
	title    string
	bindings []key.Binding
}

// browseHelpTitles names the browsing groups, in FullHelp's order.
var browseHelpTitles = []string{groupMove, groupDecide, groupFind, groupConsole}

func newHelpScreen(a *App, title string, km interface{ FullHelp() [][]key.Binding }, titles []string) *helpScreen {
	h := &helpScreen{title: title, vp: viewport.New()}
	h.vp.KeyMap = viewport.KeyMap{}
	for i, g := range km.FullHelp() {
		t := ""
		if i < len(titles) {
			t = titles[i]
		}
		h.groups = append(h.groups, helpGroup{t, g})
	}
	h.layout(a)
	return h
}

// layout renders the help for the current size.
func (h *helpScreen) layout(a *App) {
	c := a.c
	s := c.Styles
	h.width = c.Width
	body := max(1, a.bodyHeight())
	h.vp.SetWidth(c.Width)
	h.vp.SetHeight(body)
	keyW := 4
	for _, g := range h.groups {
		for _, b := range g.bindings {
			keyW = max(keyW, c.cellWidth(b.Help().Key)+2)
		}
	}
	keyW = min(keyW, max(8, c.Width/4))
	descW := max(10, c.Width-keyW-1)
	lines := []string{s.Header.Render(h.title) + s.Dim.Render("  "+c.T.S("help.keys", keyPair(c.Keys.Down, c.Keys.Up), c.Keys.Cancel.Help().Key, c.Keys.Quit.Keys()[0], c.Keys.Help.Help().Key))}
	for _, g := range h.groups {
		if g.title != "" {
			lines = append(lines, "", s.Header.Render(c.T.S(g.title)))
		}
		for _, b := range g.bindings {
			hb := b.Help()
			desc := c.wrap(hb.Desc, descW)
			lines = append(lines, " "+s.HintKey.Render(c.fit(hb.Key, keyW-1))+" "+desc[0])
			for _, more := range desc[1:] {
				lines = append(lines, strings.Repeat(" ", keyW+1)+more)
			}
		}
	}
	h.vp.SetContentLines(lines)
}

func (h *helpScreen) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.c.Keys
	switch {
	case msg.String() == "ctrl+c":
		return a.quit(), true
	case key.Matches(msg, k.Down):
		h.vp.ScrollDown(1)
	case key.Matches(msg, k.Up):
		h.vp.ScrollUp(1)
	case key.Matches(msg, k.PostDown):
		h.vp.ScrollDown(max(1, h.vp.Height()-1)) // the last line shows "↓ more": a page is one less
	case key.Matches(msg, k.PostUp):
		h.vp.ScrollUp(max(1, h.vp.Height()-1))
	case key.Matches(msg, k.PageDown), key.Matches(msg, k.HalfDown):
		h.vp.HalfPageDown()
	case key.Matches(msg, k.PageUp), key.Matches(msg, k.HalfUp):
		h.vp.HalfPageUp()
	case key.Matches(msg, k.Top):
		h.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		h.vp.GotoBottom()
	default:
		return nil, true // esc, ?, q or anything else closes help
	}
	return nil, false
}

func (h *helpScreen) update(*App, tea.Msg) tea.Cmd { return nil }

func (h *helpScreen) place() place { return placeBody }

func (h *helpScreen) view(a *App) []string {
	if h.width != a.c.Width || h.vp.Height() != a.bodyHeight() {
		h.layout(a)
	}
	lines := strings.Split(h.vp.View(), "\n")
	for i := range lines {
		lines[i] = a.c.fit(lines[i], a.c.Width)
	}
	if more := h.vp.TotalLineCount() - h.vp.YOffset() - h.vp.Height(); more > 0 && len(lines) > 0 {
		lines[len(lines)-1] = a.c.Styles.Dim.Render(a.c.fit("  ↓ "+a.c.T.N("help.more", more, more, a.c.Keys.Down.Keys()[0], a.c.Keys.PostDown.Keys()[0]), a.c.Width))
	}
	return lines
}

func (h *helpScreen) hints(c *Context) []key.Binding {
	k, t := c.Keys, c.T
	return []key.Binding{short(k.Down, t.S("hint.scroll")), short(k.Up, t.S("hint.back")),
		key.NewBinding(key.WithKeys("esc"), key.WithHelp(k.Cancel.Help().Key+"/"+k.Quit.Keys()[0]+"/"+k.Help.Help().Key, t.S("hint.close")))}
}
