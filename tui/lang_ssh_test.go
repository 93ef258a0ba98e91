package tui

import (
	"context"
	"testing"

	"triage/model"
	"triage/tui/termtest"
)

// Over SSH the language is the reviewer's setting, else the locale the
// client sends (OpenSSH sends LANG and LC_* by default on Debian and
// macOS), else English; a language chosen in the console is remembered for
// the reviewer's next session, on any server.
func TestSSHLanguageFollowsSettingThenClientLocale(t *testing.T) {
	st := demoStore(t, 60, 3)
	kzKey := register(t, st, "aigerim", model.RoleReviewer)
	ruKey := register(t, st, "boris", model.RoleReviewer)
	deKey := register(t, st, "dieter", model.RoleReviewer)
	if err := st.SaveSettings(context.Background(), "test", "boris", [][2]string{{model.SettingLang, "ru"}}); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, st)
	kk := map[string]string{"LANG": "kk_KZ.UTF-8"}

	kz := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{Env: kk}, kzKey)
	kz.WaitFor(t, "Күтуде", "Менің шешімдерім", "анықтама")

	// Boris's setting wins over the Kazakh locale his client sends.
	ru := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{Env: kk}, ruKey)
	ru.WaitFor(t, "Ожидают", "Мои решения", "справка")

	de := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{Env: map[string]string{"LANG": "de_DE.UTF-8"}}, deKey)
	de.WaitFor(t, "Pending", "My decisions", "help")

	// Aigerim switches to Russian in the settings screen (O, then enter on
	// the language row: kk → the next language, en); it is saved with her.
	kz.Send("O")
	kz.WaitFor(t, "Баптаулар", "Қазақша")
	kz.Send("\r")
	kz.WaitFor(t, "Settings", "Language: English.")
	s, err := st.ReviewerSettings(context.Background(), "aigerim")
	if err != nil || s.Lang != "en" {
		t.Fatalf("aigerim's language was not saved: %+v %v", s, err)
	}
	kz.Close()
	again := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{Env: kk}, kzKey)
	again.WaitFor(t, "Pending", "My decisions")
}
