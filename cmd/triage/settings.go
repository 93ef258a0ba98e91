package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"triage/data"
	"triage/model"
	"triage/tui"
	"triage/tui/i18n"
)

// A reviewer's settings live with their record in the database; a local
// user with no record keeps them in $XDG_CONFIG_HOME/triage/config.toml:
//
//	lang = "ru"
//	theme = "high-contrast"
//	reveal = false
//	keys.preset = "vim"
//	keys.approve = "a"
//	keys.reject = ["r", "x"]

// checkSettings refuses what the console could not put in force: a
// language it does not speak, key bindings that clash or name no action.
func checkSettings(s model.Settings) error {
	if s.Lang != "" {
		if _, ok := i18n.Match(s.Lang); !ok {
			return fmt.Errorf("lang %q: triage speaks %s", s.Lang, strings.Join(i18n.Languages, ", "))
		}
	}
	if _, err := tui.NewKeyMap(i18n.For("en"), s.Keys, s.Bind); err != nil {
		return err
	}
	return nil
}

// configPath is where a local user's settings live.
func configPath() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no $XDG_CONFIG_HOME and no home directory for the settings file")
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "triage", "config.toml"), nil
}

// loadConfig reads a local user's settings file; a missing file is no
// settings. Its errors name the file.
func loadConfig(path string) (model.Settings, error) {
	var s model.Settings
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	var raw map[string]any
	if _, err := toml.Decode(string(b), &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return s, fmt.Errorf("%s:%d: %s", path, pe.Position.Line, pe.Message)
		}
		return s, fmt.Errorf("%s: %w", path, err)
	}
	set := func(name string, v any) error {
		var text string
		switch v := v.(type) {
		case string:
			text = v
		case bool:
			text = fmt.Sprint(v)
		case []any:
			parts := make([]string, len(v))
			for i, p := range v {
				str, ok := p.(string)
				if !ok {
					return fmt.Errorf("%s: a list of keys, as text", name)
				}
				parts[i] = str
			}
			text = strings.Join(parts, ",")
		default:
			return fmt.Errorf("%s: unexpected value %v", name, v)
		}
		if name == model.SettingExclude {
			return errors.New("exclude: set by a lead with triage reviewer set, not in a config file")
		}
		return s.Set(name, text)
	}
	for k, v := range raw {
		if tbl, ok := v.(map[string]any); ok && k == "keys" {
			for a, kv := range tbl {
				if err := set("keys."+a, kv); err != nil {
					return s, fmt.Errorf("%s: %w", path, err)
				}
			}
			continue
		}
		if err := set(k, v); err != nil {
			return s, fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := checkSettings(s); err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// saveConfig writes a local user's settings file whole or not at all.
func saveConfig(path string, s model.Settings) error {
	var b bytes.Buffer
	b.WriteString("# triage settings, written by the console (triage reviewer get shows a reviewer's own)\n")
	var keys [][2]string
	for _, p := range s.Pairs() {
		switch {
		case p[0] == model.SettingReveal:
			fmt.Fprintf(&b, "%s = %s\n", p[0], p[1])
		case strings.HasPrefix(p[0], "keys."):
			keys = append(keys, p)
		default:
			fmt.Fprintf(&b, "%s = %q\n", p[0], p[1])
		}
	}
	for _, p := range keys {
		if p[0] == model.SettingKeys {
			fmt.Fprintf(&b, "%s = %q\n", p[0], p[1])
			continue
		}
		ks := strings.Split(p[1], ",")
		quoted := make([]string, len(ks))
		for i, k := range ks {
			quoted[i] = fmt.Sprintf("%q", k)
		}
		fmt.Fprintf(&b, "%s = [%s]\n", p[0], strings.Join(quoted, ", "))
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	out, err := openOutput(path) // whole or not at all
	if err != nil {
		return err
	}
	defer out.Abort()
	if _, err := out.Write(b.Bytes()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return out.Commit()
}

// settingsFor finds a reviewer's settings and where changes go: their
// record if they have one, else the local config file.
func settingsFor(ctx context.Context, st *data.Store, name string) (model.Settings, func(model.Settings) error, error) {
	s, err := st.ReviewerSettings(ctx, name)
	switch {
	case err == nil:
		if cerr := checkSettings(s); cerr != nil {
			// Stored by an older build, or by hand: the console opens with
			// defaults and says why (tui.New); nothing is lost.
			s.Keys, s.Bind = "", nil
		}
		return s, func(s model.Settings) error {
			return st.SaveSettings(context.WithoutCancel(ctx), localOrigin(), name, s, false)
		}, nil
	case !errors.Is(err, data.ErrUnknownReviewer):
		return s, nil, err
	}
	path, err := configPath()
	if err != nil {
		return s, nil, nil // no home: settings last for the session
	}
	s, err = loadConfig(path)
	if err != nil {
		return s, nil, err
	}
	return s, func(s model.Settings) error { return saveConfig(path, s) }, nil
}

// settingLines is `reviewer get`: every setting, set or default.
func settingLines(s model.Settings) []string {
	set := map[string]string{}
	for _, p := range s.Pairs() {
		set[p[0]] = p[1]
	}
	or := func(k, def string) string {
		if v, ok := set[k]; ok {
			return v
		}
		return def
	}
	out := []string{
		model.SettingLang + "=" + or(model.SettingLang, ""),
		model.SettingTheme + "=" + or(model.SettingTheme, model.ThemeAuto),
		model.SettingReveal + "=" + or(model.SettingReveal, "false"),
		model.SettingKeys + "=" + or(model.SettingKeys, model.PresetDefault),
	}
	var binds []string
	for k, v := range set {
		if strings.HasPrefix(k, "keys.") && k != model.SettingKeys {
			binds = append(binds, k+"="+v)
		}
	}
	slices.Sort(binds)
	out = append(out, binds...)
	return append(out, model.SettingExclude+"="+or(model.SettingExclude, ""))
}
