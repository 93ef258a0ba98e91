package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"triage/data"
	"triage/model"
	"triage/tui/i18n"
)

func newReviewerSetCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "set NAME KEY=VALUE…",
		Short: "Change a reviewer's settings: lang, theme, reveal, keys.preset, keys.ACTION, exclude",
		Long: `Change a registered reviewer's settings. They are stored with the reviewer,
so they follow them to any server on this database.

  lang=ru             the console's language: en, ru or kk (empty: the terminal's locale)
  theme=dark          dark, light, high-contrast, or auto (the terminal's background)
  reveal=true         show sensitive posts' text without asking
  keys.preset=vim     the key preset: default or vim
  keys.reject=r,x     the keys of one action, over the preset (empty: the preset's)
  exclude=extremism   categories never given to this reviewer (a lead's decision;
                      empty: none). Posts of them the reviewer holds go back at once.

Every pair is checked before anything is stored; a refused one changes nothing.`,
		Args: needArgs(2, -1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := reviewerName(args[0])
			if err != nil {
				return fmt.Errorf("NAME: %w", err)
			}
			return g.withStore(func(st *data.Store) error {
				s, err := st.ReviewerSettings(cmd.Context(), name)
				if err != nil {
					return err
				}
				var changes [][2]string
				for _, pair := range args[1:] {
					k, v, ok := strings.Cut(pair, "=")
					if !ok {
						return fmt.Errorf("%q: want KEY=VALUE", cell(cutText(pair)))
					}
					k = strings.TrimSpace(k)
					if err := s.Set(k, v); err != nil {
						return err
					}
					if k == model.SettingLang && s.Lang != "" {
						l, ok := i18n.Match(s.Lang)
						if !ok {
							return fmt.Errorf("lang %q: triage speaks %s", cell(cutText(s.Lang)), strings.Join(i18n.Languages, ", "))
						}
						s.Lang = l // kk_KZ.UTF-8 is stored as kk
					}
					changes = append(changes, [2]string{k, settingText(s, k)})
				}
				newKeys := false
				for _, c := range changes {
					newKeys = newKeys || strings.HasPrefix(c[0], "keys.")
				}
				if err := checkSettings(s, newKeys); err != nil {
					return err
				}
				if err := st.SaveSettings(cmd.Context(), localOrigin(), name, changes); err != nil {
					return err
				}
				for _, l := range settingLines(s) {
					outf("%s\n", l)
				}
				return nil
			})
		},
	}
}

func newReviewerGetCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "get NAME",
		Short: "Print a reviewer's settings, one KEY=VALUE a line (defaults included)",
		Args:  needArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := reviewerName(args[0])
			if err != nil {
				return fmt.Errorf("NAME: %w", err)
			}
			return g.withReader(func(st *data.Store) error {
				s, err := st.ReviewerSettings(cmd.Context(), name)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(settingsJSON(s))
				}
				for _, l := range settingLines(s) {
					outf("%s\n", l)
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON object")
	return cmd
}

// settingsJSON is `reviewer get --json`.
func settingsJSON(s model.Settings) map[string]any {
	theme, preset := s.Theme, s.Keys
	if theme == "" {
		theme = model.ThemeAuto
	}
	if preset == "" {
		preset = model.PresetDefault
	}
	bind := s.Bind
	if bind == nil {
		bind = map[string][]string{}
	}
	exclude := s.Exclude
	if exclude == nil {
		exclude = []string{}
	}
	return map[string]any{"lang": s.Lang, "theme": theme, "reveal": s.Reveal, "keys_preset": preset, "keys": bind, "exclude": exclude}
}

// settingText is one setting as the store keeps it, after Set normalised it.
func settingText(s model.Settings, name string) string {
	for _, p := range s.Pairs() {
		if p[0] == name {
			return p[1]
		}
	}
	return ""
}

// cutText keeps a quoted value short: a setting may be any size.
func cutText(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
