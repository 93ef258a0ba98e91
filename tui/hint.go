package tui

import "charm.land/bubbles/v2/key"

// short is a binding as the hint line shows it: its first key and one word.
func short(b key.Binding, word string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, word))
}
