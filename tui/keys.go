package tui

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"

	"triage/tui/i18n"
)

// KeyMap is every key the console answers to, with its help text. It is data:
// the binding table (bindings.go) gives each browsing key its handler and
// the reason it may be refused, and the `?` help, the hint line and the
// README's key table are all generated from the two. No default relies on a
// key some terminals cannot send (shift+space arrives as a plain space in
// most), so every one works in xterm, tmux and over OpenSSH.
type KeyMap struct {
	Down, Up, Top, Bottom, PageDown, PageUp, HalfDown, HalfUp key.Binding
	PostDown, PostUp, History, Open, CopyURL                  key.Binding
	Approve, ApproveWith, Reject, Escalate, Note, Undo        key.Binding
	Cluster, Return, Retract, Reopen, FirstDecision           key.Binding
	Search, Filter, Views, Stats                              key.Binding
	SwitchQueue, Reveal, Settings, Break, Help, Quit          key.Binding
	// In pickers, prompts and confirmations.
	Confirm, Cancel, Yes, SaveView, Complete key.Binding
}

// Where a key acts. Two actions may share a key only if they never act in
// the same place: enter opens a post while browsing and confirms in a
// picker.
const (
	scopeBrowse  = 1 << iota // the lists and the detail pane
	scopePicker              // a list of reasons or views (digits select there too)
	scopePrompt              // a line of text being typed
	scopeConfirm             // a yes/no question
)

// keyAction is one rebindable action: the name a setting uses
// (keys.approve), its field, its default keys and where it acts.
type keyAction struct {
	name  string
	field func(*KeyMap) *key.Binding
	keys  []string
	scope int
}

var keyActions = []keyAction{
	{"down", func(k *KeyMap) *key.Binding { return &k.Down }, []string{"j", "down"}, scopeBrowse | scopePicker},
	{"up", func(k *KeyMap) *key.Binding { return &k.Up }, []string{"k", "up"}, scopeBrowse | scopePicker},
	{"top", func(k *KeyMap) *key.Binding { return &k.Top }, []string{"g", "home"}, scopeBrowse},
	{"bottom", func(k *KeyMap) *key.Binding { return &k.Bottom }, []string{"G", "end"}, scopeBrowse},
	{"page_down", func(k *KeyMap) *key.Binding { return &k.PageDown }, []string{"pgdown"}, scopeBrowse},
	{"page_up", func(k *KeyMap) *key.Binding { return &k.PageUp }, []string{"pgup"}, scopeBrowse},
	{"half_down", func(k *KeyMap) *key.Binding { return &k.HalfDown }, []string{"ctrl+d"}, scopeBrowse},
	{"half_up", func(k *KeyMap) *key.Binding { return &k.HalfUp }, []string{"ctrl+u"}, scopeBrowse},
	{"post_down", func(k *KeyMap) *key.Binding { return &k.PostDown }, []string{"space", "J"}, scopeBrowse},
	{"post_up", func(k *KeyMap) *key.Binding { return &k.PostUp }, []string{"K"}, scopeBrowse},
	{"history", func(k *KeyMap) *key.Binding { return &k.History }, []string{"h"}, scopeBrowse},
	{"open", func(k *KeyMap) *key.Binding { return &k.Open }, []string{"enter"}, scopeBrowse},
	{"copy_url", func(k *KeyMap) *key.Binding { return &k.CopyURL }, []string{"y"}, scopeBrowse},
	{"approve", func(k *KeyMap) *key.Binding { return &k.Approve }, []string{"a"}, scopeBrowse},
	{"approve_with", func(k *KeyMap) *key.Binding { return &k.ApproveWith }, []string{"A"}, scopeBrowse},
	{"reject", func(k *KeyMap) *key.Binding { return &k.Reject }, []string{"r"}, scopeBrowse},
	{"escalate", func(k *KeyMap) *key.Binding { return &k.Escalate }, []string{"e"}, scopeBrowse},
	{"note", func(k *KeyMap) *key.Binding { return &k.Note }, []string{"n"}, scopeBrowse},
	{"undo", func(k *KeyMap) *key.Binding { return &k.Undo }, []string{"u"}, scopeBrowse},
	{"cluster", func(k *KeyMap) *key.Binding { return &k.Cluster }, []string{"C"}, scopeBrowse},
	{"send_back", func(k *KeyMap) *key.Binding { return &k.Return }, []string{"b"}, scopeBrowse},
	{"retract", func(k *KeyMap) *key.Binding { return &k.Retract }, []string{"R"}, scopeBrowse},
	{"reopen", func(k *KeyMap) *key.Binding { return &k.Reopen }, []string{"o"}, scopeBrowse},
	{"first_decision", func(k *KeyMap) *key.Binding { return &k.FirstDecision }, []string{"w"}, scopeBrowse},
	{"search", func(k *KeyMap) *key.Binding { return &k.Search }, []string{"/"}, scopeBrowse},
	{"filter", func(k *KeyMap) *key.Binding { return &k.Filter }, []string{"f"}, scopeBrowse},
	{"views", func(k *KeyMap) *key.Binding { return &k.Views }, []string{"v"}, scopeBrowse},
	{"stats", func(k *KeyMap) *key.Binding { return &k.Stats }, []string{"S"}, scopeBrowse},
	{"next_tab", func(k *KeyMap) *key.Binding { return &k.SwitchQueue }, []string{"tab"}, scopeBrowse},
	{"reveal", func(k *KeyMap) *key.Binding { return &k.Reveal }, []string{"X"}, scopeBrowse},
	{"settings", func(k *KeyMap) *key.Binding { return &k.Settings }, []string{"O"}, scopeBrowse},
	{"break", func(k *KeyMap) *key.Binding { return &k.Break }, []string{"ctrl+b"}, scopeBrowse},
	{"help", func(k *KeyMap) *key.Binding { return &k.Help }, []string{"?"}, scopeBrowse},
	{"quit", func(k *KeyMap) *key.Binding { return &k.Quit }, []string{"q", "ctrl+c"}, scopeBrowse},
	{"confirm", func(k *KeyMap) *key.Binding { return &k.Confirm }, []string{"enter"}, scopePicker | scopePrompt | scopeConfirm},
	{"cancel", func(k *KeyMap) *key.Binding { return &k.Cancel }, []string{"esc"}, scopeBrowse | scopePicker | scopePrompt},
	{"yes", func(k *KeyMap) *key.Binding { return &k.Yes }, []string{"y"}, scopeConfirm},
	{"save_view", func(k *KeyMap) *key.Binding { return &k.SaveView }, []string{"ctrl+s"}, scopePrompt},
	{"complete", func(k *KeyMap) *key.Binding { return &k.Complete }, []string{"tab"}, scopePrompt},
}

// keyPreset is a named starting point a reviewer's own bindings are laid
// over. vim adds the scrolling keys vim's hands expect.
func keyPreset(name string) (map[string][]string, bool) {
	switch name {
	case "default":
		return nil, true
	case "vim":
		return map[string][]string{
			"page_down": {"ctrl+f", "pgdown"},
			"post_down": {"ctrl+e", "space", "J"},
			"post_up":   {"ctrl+y", "K"},
		}, true
	}
	return nil, false
}

// reservedKeys always mean the same thing: ctrl+c quits from anywhere,
// and digits choose in a list.
var reservedKeys = map[string]string{"ctrl+c": "keyerr.why_quit",
	"1": "keyerr.why_digit", "2": "keyerr.why_digit", "3": "keyerr.why_digit", "4": "keyerr.why_digit", "5": "keyerr.why_digit",
	"6": "keyerr.why_digit", "7": "keyerr.why_digit", "8": "keyerr.why_digit", "9": "keyerr.why_digit"}

// KeyActions are the names a key setting may use, in help order.
func KeyActions() []string {
	out := make([]string, len(keyActions))
	for i, a := range keyActions {
		out[i] = a.name
	}
	return out
}

// DefaultKeyMap is the default preset in English.
func DefaultKeyMap() KeyMap {
	k, _ := NewKeyMap(i18n.For("en"), "default", nil)
	return k
}

// NewKeyMap builds a session's keys: the preset, then the reviewer's own
// bindings (action name → keys) over it, with help in t's language. A
// binding to an unknown action or key, or one that would make a key mean
// two things in the same place, is refused with an error naming both.
func NewKeyMap(t *i18n.T, preset string, own map[string][]string) (KeyMap, error) {
	return buildKeyMap(t, preset, own, false)
}

// StoredKeyMap is NewKeyMap for bindings saved earlier: a key a newer
// triage gave some other action by default goes to the reviewer's own
// binding, and that default action keeps its other keys (an upgrade must
// not throw a reviewer's whole set away). A new binding is still checked
// strictly, by NewKeyMap, when it is made.
func StoredKeyMap(t *i18n.T, preset string, own map[string][]string) (KeyMap, error) {
	return buildKeyMap(t, preset, own, true)
}

func buildKeyMap(t *i18n.T, preset string, own map[string][]string, ownWins bool) (KeyMap, error) {
	if preset == "" {
		preset = "default"
	}
	over, ok := keyPreset(preset)
	if !ok {
		return KeyMap{}, errors.New(t.S("keyerr.preset", cutName(preset)))
	}
	chosen := map[string][]string{}
	for _, a := range keyActions {
		chosen[a.name] = a.keys
		if ks, ok := over[a.name]; ok {
			chosen[a.name] = ks
		}
	}
	scopes := map[string]int{}
	for _, a := range keyActions {
		scopes[a.name] = a.scope
	}
	for _, name := range slices.Sorted(maps.Keys(own)) {
		ks := own[name]
		if _, ok := chosen[name]; !ok {
			return KeyMap{}, errors.New(t.S("keyerr.unknown_action", cutName(name), strings.Join(KeyActions(), ", ")))
		}
		if len(ks) == 0 || len(ks) > maxKeysPerAction {
			return KeyMap{}, errors.New(t.S("keyerr.count", name, maxKeysPerAction))
		}
		for _, k := range ks {
			if !validKey(k) {
				return KeyMap{}, errors.New(t.S("keyerr.bad_key", name, cutName(k)))
			}
			if why, ok := reservedKeys[k]; ok && !(name == "quit" && k == "ctrl+c") {
				return KeyMap{}, errors.New(t.S("keyerr.reserved", name, k, t.S(why)))
			}
			// A key that types a character would never reach a prompt's
			// confirm or cancel: it would be typed, or worse, end the
			// note half-written.
			if scopes[name]&scopePrompt != 0 && typesText(k) {
				return KeyMap{}, errors.New(t.S("keyerr.types", name, k))
			}
		}
		chosen[name] = ks
	}
	if ownWins {
		for _, a := range keyActions {
			if _, mine := own[a.name]; mine {
				continue
			}
			chosen[a.name] = slices.DeleteFunc(slices.Clone(chosen[a.name]), func(k string) bool {
				for _, b := range keyActions {
					if _, mine := own[b.name]; mine && b.scope&a.scope != 0 && slices.Contains(own[b.name], k) {
						return true
					}
				}
				return false
			})
		}
	}
	if a, b, k, ok := keyConflict(chosen); ok {
		return KeyMap{}, errors.New(t.S("keyerr.conflict", k, a, b))
	}
	// Some descriptions name other actions' keys: they follow the
	// bindings in force.
	label := func(name string) any { return keyLabel(chosen[name]) }
	mentions := map[string][]any{
		"history": {label("history")}, "open": {label("cancel")}, "reject": {label("confirm")},
		"cluster": {label("approve"), label("approve_with"), label("reject"), label("escalate")},
		"search":  {label("cancel")}, "filter": {label("complete")}, "reveal": {label("reveal")},
		"first_decision": {label("reject")},
		"help":           {chosen["down"][0] + "/" + chosen["up"][0]},
	}
	var m KeyMap
	for _, a := range keyActions {
		ks := chosen[a.name]
		*a.field(&m) = key.NewBinding(key.WithKeys(ks...), key.WithHelp(keyLabel(ks), t.S("key."+a.name, mentions[a.name]...)))
	}
	return m, nil
}

// maxKeysPerAction bounds one action's keys: the hint line and help show
// them all.
const maxKeysPerAction = 4

// keyConflict finds a key given to two actions that act in the same place.
func keyConflict(chosen map[string][]string) (a, b, key string, found bool) {
	for i, x := range keyActions {
		for _, y := range keyActions[i+1:] {
			if x.scope&y.scope == 0 {
				continue
			}
			for _, k := range chosen[x.name] {
				if slices.Contains(chosen[y.name], k) {
					return x.name, y.name, k, true
				}
			}
		}
	}
	return "", "", "", false
}

// typesText reports a key that types a character into a prompt.
func typesText(k string) bool {
	return k == "space" || utf8.RuneCountInString(k) == 1
}

// cutName shortens a name quoted in a refusal: a setting may be any size.
func cutName(s string) string {
	if c := cutRunes(s, 24); c != s {
		return c + "…"
	}
	return s
}

// namedKeys are the key names Bubble Tea reports besides single
// characters and ctrl+/alt+ combinations.
var namedKeys = []string{"up", "down", "left", "right", "home", "end", "pgup", "pgdown", "enter", "esc", "tab",
	"shift+tab", "space", "backspace", "delete", "insert",
	"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12"}

// validKey reports a key name a terminal sends as written.
func validKey(k string) bool {
	if slices.Contains(namedKeys, k) {
		return true
	}
	base := k
	for _, mod := range []string{"ctrl+", "alt+"} {
		base = strings.TrimPrefix(base, mod)
	}
	// One visible character: a letter, digit, punctuation or symbol. Marks,
	// format characters (bidi controls, tags) and private-use characters
	// would reach the hint line as invisible or reordering bytes.
	if r := []rune(base); len(r) == 1 && unicode.In(r[0], unicode.L, unicode.N, unicode.P, unicode.S) {
		return true
	}
	return base != k && slices.Contains(namedKeys, base)
}

// keyLabel is how help shows a binding's keys: "j/↓".
func keyLabel(ks []string) string {
	short := map[string]string{"down": "↓", "up": "↑", "left": "←", "right": "→", "pgdown": "pgdn"}
	out := make([]string, len(ks))
	for i, k := range ks {
		if s, ok := short[k]; ok {
			k = s
		}
		out[i] = k
	}
	return strings.Join(out, "/")
}

// unbound names the actions left with no key: a reviewer's own bindings
// took every key a newer default gave them (StoredKeyMap).
func (k KeyMap) unbound() []string {
	var out []string
	for _, a := range keyActions {
		if len(a.field(&k).Keys()) == 0 {
			out = append(out, a.name)
		}
	}
	return out
}
