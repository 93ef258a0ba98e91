package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"triage/model"
	"triage/tui/i18n"
	"triage/tui/sanitize"
)

// settingsScreen is the reviewer's own settings: language, theme, the
// sensitive-posts default and the key preset. Each change applies at once
// and is saved for the reviewer (with their record in the database, or in
// the config file of a local user without one). Key bindings one by one
// and category exclusions are set with `triage reviewer set`.
type settingsScreen struct {
	sel int
}

// settingRow is one line of the screen: its values and how to read and
// change the one in force.
type settingRow struct {
	name   string // message id of its label
	values []string
	get    func(s model.Settings) string
	set    func(s *model.Settings, v string)
	word   func(c *Context, v string) string
}

var settingRows = []settingRow{
	{"settings.lang", i18n.Languages,
		func(s model.Settings) string { return s.Lang },
		func(s *model.Settings, v string) { s.Lang = v },
		func(c *Context, v string) string { return i18n.Name(v) }},
	{"settings.theme", append([]string{""}, model.Themes...),
		func(s model.Settings) string { return s.Theme },
		func(s *model.Settings, v string) { s.Theme = v },
		func(c *Context, v string) string { return c.T.S("settings.theme_" + orAuto(v)) }},
	{"settings.reveal", []string{"hidden", "shown"},
		func(s model.Settings) string { return map[bool]string{false: "hidden", true: "shown"}[s.Reveal] },
		func(s *model.Settings, v string) { s.Reveal = v == "shown" },
		func(c *Context, v string) string { return c.T.S("settings.reveal_" + v) }},
	{"settings.keys", []string{"default", "vim"},
		func(s model.Settings) string { return orDefault(s.Keys) },
		func(s *model.Settings, v string) { s.Keys = strings.TrimPrefix(v, model.PresetDefault) },
		func(c *Context, v string) string { return v }},
}

func orAuto(v string) string {
	if v == "" {
		return "auto"
	}
	return strings.ReplaceAll(v, "-", "_")
}

func orDefault(v string) string {
	if v == "" {
		return "default"
	}
	return v
}

func (a *App) openSettings() tea.Cmd {
	a.open = &settingsScreen{}
	return nil
}

func (v *settingsScreen) key(a *App, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := a.c.Keys
	switch {
	case key.Matches(msg, k.Cancel), key.Matches(msg, k.Settings), msg.String() == "q":
		return nil, true
	case key.Matches(msg, k.Down):
		v.sel = clamp(v.sel+1, 0, len(settingRows)-1)
	case key.Matches(msg, k.Up):
		v.sel = clamp(v.sel-1, 0, len(settingRows)-1)
	case key.Matches(msg, k.Confirm), msg.String() == "space", msg.String() == "right", msg.String() == "l":
		return a.cycleSetting(v.sel, 1), false
	case msg.String() == "left", msg.String() == "h":
		return a.cycleSetting(v.sel, -1), false
	case len(msg.Text) == 1 && msg.Text[0] >= '1' && int(msg.Text[0]-'1') < len(settingRows):
		v.sel = int(msg.Text[0] - '1')
	}
	return nil, false
}

// cycleSetting moves row i to its next (or previous) value, applies it and
// saves the reviewer's settings.
func (a *App) cycleSetting(i, dir int) tea.Cmd {
	row := settingRows[i]
	s := a.c.Settings
	cur := slices.Index(row.values, row.get(s))
	if cur < 0 && row.name == "settings.lang" {
		cur = slices.Index(row.values, a.c.T.Lang()) // the language in use, chosen by the locale
	}
	next := row.values[(max(cur, 0)+dir+len(row.values))%len(row.values)]
	row.set(&s, next)
	if row.name == "settings.lang" {
		a.langFlag = "" // the choice made here wins from now on
	}
	if err := a.applySettings(s); err != nil {
		a.warn("settings.refused", err.Error())
		return nil
	}
	a.tell("settings.changed", a.c.T.S(row.name), row.word(a.c, next))
	return a.saveSettings()
}

// applySettings puts settings in force in this console.
func (a *App) applySettings(s model.Settings) error {
	t := i18n.For(i18n.Choose(a.langFlag, s.Lang, a.locale))
	keys, err := NewKeyMap(t, s.Keys, s.Bind)
	if err != nil {
		return err
	}
	a.c.Settings, a.c.T, a.c.Keys = s, t, keys
	a.c.RevealSensitive = s.Reveal
	a.c.Styles = NewTheme(s.Theme, a.c.Styles.background)
	a.binds = a.bindings()
	a.hint.id = ""
	a.detail.render(a.c)
	return nil
}

type settingsSavedMsg struct{ err error }

func (a *App) saveSettings() tea.Cmd {
	save, s := a.c.Session.SaveSettings, a.c.Settings
	if save == nil {
		return nil
	}
	return func() tea.Msg { return settingsSavedMsg{err: save(s)} }
}

func (v *settingsScreen) update(*App, tea.Msg) tea.Cmd { return nil }

func (v *settingsScreen) place() place { return placeBody }

func (v *settingsScreen) view(a *App) []string {
	c := a.c
	s := c.Styles
	t := c.T
	out := []string{s.Header.Render(t.S("settings.title")) + s.Dim.Render("  "+t.S("settings.for", sanitize.Line(c.Reviewer))), ""}
	labelW := 0
	for _, r := range settingRows {
		labelW = max(labelW, c.cellWidth(t.S(r.name)))
	}
	for i, r := range settingRows {
		cur := r.get(c.Settings)
		if r.name == "settings.lang" && cur == "" {
			cur = t.Lang()
		}
		var vals []string
		for _, val := range r.values {
			w := r.word(c, val)
			if val == cur {
				w = s.TabActive.Render(w)
			} else {
				w = s.Dim.Render(w)
			}
			vals = append(vals, w)
		}
		line := fmt.Sprintf(" %d  %s  %s", i+1, c.padRight(t.S(r.name), labelW), strings.Join(vals, "  "))
		line = c.fit(line, c.Width)
		if i == v.sel {
			line = s.PickerSel.Render(line)
		}
		out = append(out, line)
	}
	out = append(out, "", s.Dim.Render(t.S("settings.keys_help", keyPair(c.Keys.Down, c.Keys.Up), c.Keys.Confirm.Help().Key, c.Keys.Cancel.Help().Key)))
	out = append(out, s.Dim.Render(t.S("settings.cli", sanitize.Line(c.Reviewer))))
	if c.Session.SaveSettings == nil {
		out = append(out, s.Warn.Render(t.S("settings.not_saved")))
	}
	for i := range out {
		out[i] = c.fit(out[i], c.Width)
	}
	return out
}

func (v *settingsScreen) hints(c *Context) []key.Binding {
	k, t := c.Keys, c.T
	return []key.Binding{short(k.Down, t.S("hint.down")), short(k.Up, t.S("hint.up")), short(k.Confirm, t.S("hint.change")), short(k.Cancel, t.S("hint.close"))}
}
