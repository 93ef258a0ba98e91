package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
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
// newKeys: the change binds keys, which are checked strictly; otherwise
// bindings saved earlier are read as the console reads them (a default a
// newer triage added gives way to them), so changing a reviewer's theme or
// exclusions never fails on keys nobody is changing.
func checkSettings(s model.Settings, newKeys bool) error {
	if s.Lang != "" {
		if _, ok := i18n.Match(s.Lang); !ok {
			return fmt.Errorf("lang %q: triage speaks %s", s.Lang, strings.Join(i18n.Languages, ", "))
		}
	}
	build := tui.StoredKeyMap
	if newKeys {
		build = tui.NewKeyMap
	}
	if _, err := build(i18n.For("en"), s.Keys, s.Bind); err != nil {
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
	// Only a regular file of a sane size: a FIFO would block the console
	// before it starts (deaf to ^C), /dev/zero would fill the memory.
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if !st.Mode().IsRegular() {
		return s, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return s, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return s, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > maxConfigBytes {
		return s, fmt.Errorf("%s: larger than %d KiB; a settings file is a few lines", path, maxConfigBytes/1024)
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
	if err := checkSettings(s, true); err != nil { // a file the user edits: every binding in it is theirs to fix
		return s, fmt.Errorf("%s: %w", path, err)
	}
	if l, ok := i18n.Match(s.Lang); ok {
		s.Lang = l // lang = "kk_KZ.UTF-8" reads as kk
	}
	return s, nil
}

// maxConfigBytes bounds the settings file.
const maxConfigBytes = 64 << 10

// saveConfig writes a local user's settings file whole or not at all. A
// symlinked file (dotfiles kept elsewhere) is written where it points.
func saveConfig(path string, s model.Settings) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
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

// settingsFor finds a reviewer's settings, how the console saves one it
// changes, and where they live: their record if they have one, else the
// local config file. Stored bindings that no longer check (written by
// another build) are passed on as they are: the console opens with the
// default keys and says why, and nothing stored is lost.
func settingsFor(ctx context.Context, st *data.Store, name string) (model.Settings, func(string, string) error, string, error) {
	s, err := st.ReviewerSettings(ctx, name)
	switch {
	case err == nil:
		return s, func(setting, value string) error {
			return st.SaveSettings(context.WithoutCancel(ctx), localOrigin(), name, [][2]string{{setting, value}})
		}, tui.SettingsInDatabase, nil
	case !errors.Is(err, data.ErrUnknownReviewer):
		return s, nil, "", err
	}
	path, err := configPath()
	if err != nil {
		return s, nil, "", nil // no home: settings last for the session
	}
	s, err = loadConfig(path)
	if err != nil {
		return s, nil, "", err
	}
	return s, func(setting, value string) error {
		// The file again, as it is now (another console may have saved
		// since), with this one setting changed.
		cur, err := loadConfig(path)
		if err != nil {
			return err
		}
		if err := cur.Set(setting, value); err != nil {
			return err
		}
		return saveConfig(path, cur)
	}, path, nil
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
