package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Settings are one reviewer's own choices. They are stored with the
// reviewer, so they follow them to any server on the same database; a
// local user with no reviewer record keeps them in a config file.
type Settings struct {
	Lang   string              // en, ru, kk; "" = from the terminal's locale
	Theme  string              // dark, light, high-contrast; "" = the terminal's background
	Reveal bool                // sensitive posts' text shown without asking
	Keys   string              // key preset: vim; "" = default
	Bind   map[string][]string // action → keys, laid over the preset
	// Exclude are categories a lead keeps away from this reviewer: claims
	// never give them such posts. Only `triage reviewer set` changes it.
	Exclude []string
}

// MaxSettingBytes bounds a setting's value: it is stored, logged and shown.
const MaxSettingBytes = 200

// Themes are the console's colour schemes.
var Themes = []string{"dark", "light", "high-contrast"}

// Setting names as `triage reviewer set NAME KEY=VALUE` takes them.
const (
	SettingLang    = "lang"
	SettingTheme   = "theme"
	SettingReveal  = "reveal"
	SettingKeys    = "keys.preset"
	SettingExclude = "exclude"
	settingBind    = "keys." // keys.approve = a, keys.reject = r,x
)

// SettingNames are the settings there are, for messages.
var SettingNames = []string{SettingLang, SettingTheme, SettingReveal, SettingKeys, "keys.ACTION", SettingExclude}

// Defaults name the defaults where a setting is shown: theme=auto follows
// the terminal, keys.preset=default.
const (
	ThemeAuto     = "auto"
	PresetDefault = "default"
)

// Set changes one setting from its text form. An empty value clears it
// (back to the default). It checks the form; what only the console knows
// (languages, actions, keys) its caller checks.
func (s *Settings) Set(name, value string) error {
	if len(name) > 64 {
		return fmt.Errorf("unknown setting %q… (known: %s)", name[:32], strings.Join(SettingNames, ", "))
	}
	if len(value) > MaxSettingBytes {
		return fmt.Errorf("%s: a value of %d bytes; at most %d", name, len(value), MaxSettingBytes)
	}
	value = strings.TrimSpace(value)
	switch {
	case name == SettingLang:
		s.Lang = strings.ToLower(value)
	case name == SettingTheme:
		if value == ThemeAuto {
			value = ""
		}
		if value != "" && !slices.Contains(Themes, value) {
			return fmt.Errorf("theme %q: want one of %s", value, strings.Join(Themes, ", "))
		}
		s.Theme = value
	case name == SettingReveal:
		switch strings.ToLower(value) {
		case "", "false", "no", "off", "hidden":
			s.Reveal = false
		case "true", "yes", "on", "shown":
			s.Reveal = true
		default:
			return fmt.Errorf("reveal %q: want true or false", value)
		}
	case name == SettingKeys:
		if value == PresetDefault {
			value = ""
		}
		s.Keys = value
	case strings.HasPrefix(name, settingBind):
		action := strings.TrimPrefix(name, settingBind)
		if action == "" {
			return fmt.Errorf("%s: name the action (keys.approve)", name)
		}
		if s.Bind == nil {
			s.Bind = map[string][]string{}
		}
		if value == "" {
			delete(s.Bind, action)
			return nil
		}
		s.Bind[action] = splitList(value)
	case name == SettingExclude:
		s.Exclude = splitList(value)
	default:
		return fmt.Errorf("unknown setting %q (known: %s)", name, strings.Join(SettingNames, ", "))
	}
	return nil
}

// Pairs are the settings that differ from the defaults, in name order, as
// `reviewer get` prints them and the store keeps them.
func (s Settings) Pairs() [][2]string {
	var out [][2]string
	add := func(k, v string) {
		if v != "" {
			out = append(out, [2]string{k, v})
		}
	}
	add(SettingLang, s.Lang)
	add(SettingTheme, s.Theme)
	if s.Reveal {
		add(SettingReveal, "true")
	}
	add(SettingKeys, s.Keys)
	for a, ks := range s.Bind {
		add(settingBind+a, strings.Join(ks, ","))
	}
	add(SettingExclude, strings.Join(s.Exclude, ","))
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Excludes reports whether the reviewer is kept away from category.
func (s Settings) Excludes(category string) bool { return slices.Contains(s.Exclude, category) }

// splitList reads "r, x" or "r,x": a comma-separated list, blanks dropped.
// A comma itself cannot be bound; no default uses it.
func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
