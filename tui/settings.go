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

// settingRow is one line of the screen: the setting it changes, its
// values (as the setting spells them; "" is the default), how to read the
// one in force and how each is called on screen.
type settingRow struct {
	name    string // message id of its label
	setting string // model.SettingLang…
	values  []string
	get     func(s model.Settings) string
	word    func(c *Context, v string) string
}

var settingRows = []settingRow{
	{"settings.lang", model.SettingLang, append([]string{""}, i18n.Languages...),
		func(s model.Settings) string { return s.Lang },
		func(c *Context, v string) string {
			if v == "" {
				return c.T.S("settings.lang_locale")
			}
			return i18n.Name(v)
		}},
	{"settings.theme", model.SettingTheme, append([]string{""}, model.Themes...),
		func(s model.Settings) string { return s.Theme },
		func(c *Context, v string) string { return c.T.S("settings.theme_" + orAuto(v)) }},
	{"settings.reveal", model.SettingReveal, []string{"", "true"},
		func(s model.Settings) string { return map[bool]string{false: "", true: "true"}[s.Reveal] },
		func(c *Context, v string) string {
			return c.T.S(map[string]string{"": "settings.reveal_hidden", "true": "settings.reveal_shown"}[v])
		}},
	{"settings.keys", model.SettingKeys, []string{"", "vim"},
		func(s model.Settings) string { return s.Keys },
		func(c *Context, v string) string { return c.T.S("settings.preset_" + orDefault(v)) }},
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
	cur := max(0, slices.Index(row.values, row.get(s)))
	next := row.values[(cur+dir+len(row.values))%len(row.values)]
	if err := s.Set(row.setting, next); err != nil {
		a.warn("settings.refused", a.c.errText(err))
		return nil
	}
	if row.setting == model.SettingLang {
		a.langFlag = "" // the choice made here wins from now on
	}
	if err := a.applySettings(s); err != nil {
		a.warn("settings.refused", a.c.errText(err))
		return nil
	}
	a.tell("settings.changed", a.c.T.S(row.name), row.word(a.c, next))
	return a.saveSetting(row.setting, next)
}

// applySettings puts settings in force in this console.
func (a *App) applySettings(s model.Settings) error {
	t := i18n.For(i18n.Choose(a.langFlag, s.Lang, a.locale))
	keys, err := StoredKeyMap(t, s.Keys, s.Bind)
	if err != nil {
		return err
	}
	if s.Reveal != a.c.Settings.Reveal {
		// Only a change of the setting itself moves it: X, for the
		// session, survives a change of language or theme.
		a.c.RevealSensitive = s.Reveal
	}
	a.c.Settings, a.c.T, a.c.Keys = s, t, keys
	a.c.Styles = NewTheme(s.Theme, a.c.Styles.background)
	a.binds = a.bindings()
	a.hint.id = ""
	a.detail.render(a.c)
	return nil
}

type settingsSavedMsg struct{ err error }

// saveSetting keeps the one setting changed, and only it: what another
// console or `reviewer set` stored meanwhile stays.
func (a *App) saveSetting(name, value string) tea.Cmd {
	save := a.c.Session.SaveSetting
	if save == nil {
		return nil
	}
	return func() tea.Msg { return settingsSavedMsg{err: save(name, value)} }
}

func (v *settingsScreen) update(*App, tea.Msg) tea.Cmd { return nil }

func (v *settingsScreen) place() place { return placeBody }

func (v *settingsScreen) view(a *App) []string {
	c := a.c
	s := c.Styles
	t := c.T
	where := t.S("settings.for", sanitize.Line(c.Reviewer))
	if home := c.Session.SettingsHome; home != SettingsInDatabase && home != "" {
		where = t.S("settings.in_file", sanitize.Line(home))
	}
	out := []string{s.Header.Render(t.S("settings.title")) + s.Dim.Render("  "+where), ""}
	labelW := 0
	for _, r := range settingRows {
		labelW = max(labelW, c.cellWidth(t.S(r.name)))
	}
	for i, r := range settingRows {
		cur := r.get(c.Settings)
		label := fmt.Sprintf(" %d  %s  ", i+1, c.padRight(t.S(r.name), labelW))
		if i == v.sel {
			// The selected row is one highlight: the value in force in
			// brackets (inner styles would end the highlight).
			var vals []string
			for _, val := range r.values {
				w := r.word(c, val)
				if val == cur {
					w = "[" + w + "]"
				}
				vals = append(vals, w)
			}
			out = append(out, s.PickerSel.Render(c.fit(label+strings.Join(vals, "  "), c.Width)))
			continue
		}
		line := label
		for j, val := range r.values {
			if j > 0 {
				line += "  "
			}
			if w := r.word(c, val); val == cur {
				line += s.TabActive.Render(w)
			} else {
				line += s.Dim.Render(w)
			}
		}
		out = append(out, c.fit(line, c.Width))
	}
	out = append(out, "", s.Dim.Render(t.S("settings.in_use", i18n.Name(t.Lang()))))
	out = append(out, s.Dim.Render(t.S("settings.keys_help", keyPair(c.Keys.Down, c.Keys.Up), c.Keys.Confirm.Help().Key, c.Keys.Cancel.Help().Key)))
	if c.Session.SettingsHome == SettingsInDatabase {
		out = append(out, s.Dim.Render(t.S("settings.cli", sanitize.Line(c.Reviewer))))
	}
	if c.Session.SaveSetting == nil {
		out = append(out, s.Warn.Render(t.S("settings.not_saved")))
	}
	for i := range out {
		out[i] = c.fitWords(out[i], c.Width)
	}
	return out
}

func (v *settingsScreen) hints(c *Context) []key.Binding {
	k, t := c.Keys, c.T
	return []key.Binding{short(k.Down, t.S("hint.down")), short(k.Up, t.S("hint.up")), short(k.Confirm, t.S("hint.change")), short(k.Cancel, t.S("hint.close"))}
}
