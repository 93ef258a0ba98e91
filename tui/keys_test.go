package tui

import (
	"errors"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"triage/tui/i18n"
)

// A binding is refused, naming what is wrong, when it would give one key
// two meanings in one place, names no action or key, or takes a reserved
// key; one key may mean different things in different places (enter opens
// a post, and confirms in a picker).
func TestKeyBindingsAreChecked(t *testing.T) {
	en := i18n.For("en")
	for _, c := range []struct {
		bind map[string][]string
		want []string // in the error; none: accepted
	}{
		{map[string][]string{"approve": {"r"}}, []string{"r", "approve", "reject"}},
		{map[string][]string{"reject": {"r", "x"}, "reveal": {"x"}}, []string{"x", "reject", "reveal"}},
		{map[string][]string{"yes": {"enter"}}, []string{"enter", "confirm", "yes"}},
		{map[string][]string{"fly": {"f"}}, []string{"keys.fly", "approve"}},
		{map[string][]string{"approve": {"банан"}}, []string{"keys.approve", "банан"}},
		{map[string][]string{"down": {"2"}}, []string{"2", "reserved"}},
		{map[string][]string{"approve": {}}, []string{"keys.approve", "1 to 4 keys"}},
		{map[string][]string{"approve": {"a", "b", "c", "d", "z"}}, []string{"keys.approve", "1 to 4 keys"}},
		// Keys that type text cannot confirm or cancel a prompt: the note
		// would end half-written.
		{map[string][]string{"confirm": {"enter", "a"}}, []string{"keys.confirm", "a", "types text"}},
		{map[string][]string{"cancel": {"space"}}, []string{"keys.cancel", "space", "types text"}},
		{map[string][]string{"cancel": {"ctrl+g"}}, nil},
		// Invisible or reordering characters never reach the hint line.
		{map[string][]string{"reject": {"\u202e"}}, []string{"keys.reject", "unknown key"}},
		{map[string][]string{"approve": {"\u0301"}}, []string{"keys.approve", "unknown key"}},
		{map[string][]string{"note": {"\U000E0041"}}, []string{"keys.note", "unknown key"}},
		{map[string][]string{"note": {"ж"}}, nil},
		{map[string][]string{"approve": {"x"}}, nil},
		{map[string][]string{"reject": {"r", "x"}, "approve": {"a", "ctrl+a"}}, nil},
		{map[string][]string{"copy_url": {"Y"}, "yes": {"y"}}, nil},
	} {
		_, err := NewKeyMap(en, "", c.bind)
		switch {
		case c.want == nil && err != nil:
			t.Errorf("%v refused: %v", c.bind, err)
		case c.want != nil && err == nil:
			t.Errorf("%v accepted", c.bind)
		case c.want != nil:
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v: %q does not name %q", c.bind, err, w)
				}
			}
		}
	}
	if _, err := NewKeyMap(en, "emacs", nil); err == nil || !strings.Contains(err.Error(), "vim") {
		t.Errorf("unknown preset: %v", err)
	}
}

// A rebound key acts, the key it replaced no longer does, and help and the
// hint line show the binding in force.
func TestReboundKeyWorksAndShowsInHelp(t *testing.T) {
	f := newFakeStore(20)
	a := fakeAppWith(t, f, 120, 40, func(o *Options) {
		o.Settings.Bind = map[string][]string{"approve": {"x"}}
		readsAll(o)
	})
	press(a, "a")
	if len(f.decided) != 0 {
		t.Fatalf("a still approves: %v", f.decided)
	}
	press(a, "x")
	if len(f.decided) != 1 || f.decided[0].Action != "approve" {
		t.Fatalf("x did not approve: %v", f.decided)
	}
	s := screen(a)
	if hint := s[len(s)-1]; !strings.Contains(hint, "x approve") || strings.Contains(hint, "a approve") {
		t.Fatalf("the hint line does not follow the binding: %q", hint)
	}
	press(a, "?")
	help := shown(a)
	if !strings.Contains(help, ` x         approve with the default`) {
		t.Fatalf("help does not show x for approve:\n%s", help)
	}
}

// The vim preset pages with ctrl+f; the default has no ctrl+f.
func TestVimPreset(t *testing.T) {
	for _, preset := range []string{"default", "vim"} {
		a := fakeAppWith(t, newFakeStore(200), 120, 40, func(o *Options) { o.Settings.Keys = preset })
		drive(a, tea.KeyPressMsg{Code: 'f', Mod: tea.ModCtrl})
		moved := a.current().sel
		if (preset == "vim") != (moved > 0) {
			t.Errorf("%s: ctrl+f moved the selection %d rows", preset, moved)
		}
	}
}

// The settings screen saves the one setting changed, and says so when it
// cannot be saved.
func TestSettingsScreenSavesOneSettingAndReportsFailure(t *testing.T) {
	var saved [][2]string
	fail := false
	a := fakeAppWith(t, newFakeStore(10), 120, 40, func(o *Options) {
		o.SaveSetting = func(name, value string) error {
			if fail {
				return errors.New("read-only file system")
			}
			saved = append(saved, [2]string{name, value})
			return nil
		}
		o.SettingsHome = SettingsInDatabase
	})
	press(a, "O")
	press(a, "j") // theme
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	if len(saved) != 1 || saved[0] != [2]string{"theme", "dark"} {
		t.Fatalf("saved %v, want only theme=dark", saved)
	}
	fail = true
	drive(a, tea.KeyPressMsg{Code: tea.KeyEnter})
	if s := screen(a); !strings.Contains(s[len(s)-2], "Setting not saved: read-only file system") {
		t.Fatalf("a failed save is not reported: %q", s[len(s)-2])
	}
}

// A binding saved before a newer triage gave its key to another action by
// default (w, for the first decision) keeps working: the saved binding
// wins, the default action keeps its other keys; a new binding of the
// same key is still refused.
func TestStoredBindingsOutliveNewDefaults(t *testing.T) {
	tr := i18n.For("en")
	own := map[string][]string{"reject": {"w"}}
	if _, err := NewKeyMap(tr, "default", own); err == nil {
		t.Fatal("a new binding of w to reject was accepted")
	}
	k, err := StoredKeyMap(tr, "default", own)
	if err != nil {
		t.Fatalf("a stored binding of w to reject: %v", err)
	}
	w := tea.KeyPressMsg{Code: 'w', Text: "w"}
	if !key.Matches(w, k.Reject) || key.Matches(w, k.FirstDecision) {
		t.Fatalf("w: reject %v, first decision %v", k.Reject.Keys(), k.FirstDecision.Keys())
	}
	if key.Matches(tea.KeyPressMsg{Code: 'r', Text: "r"}, k.Reject) {
		t.Fatal("the stored binding left r on reject")
	}
	// first_decision had only w: it is left with none, and the console
	// names it when it opens.
	if lost := k.unbound(); len(lost) != 1 || lost[0] != "first_decision" {
		t.Fatalf("unbound actions: %v", lost)
	}
	a := fakeAppWith(t, newFakeStore(3), 120, 40, func(o *Options) { o.Settings.Bind = own })
	if !strings.Contains(a.status, "These actions have no key now") || !strings.Contains(a.status, "first_decision") {
		t.Fatalf("the console does not say first_decision lost its key: %q", a.status)
	}
}
