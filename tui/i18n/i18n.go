// Package i18n is every word the console and the CLI say, in English,
// Russian and Kazakh. The words live in message files (locales/*.toml), one
// per language, read by go-i18n, which also knows each language's plural
// rules (CLDR: Russian has one, few and many; Kazakh and English one and
// other). A message is a printf format: its arguments are numbers and text
// already sanitised by the caller, and a translation may reorder them with
// %[n]d.
package i18n

import (
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the languages triage speaks, English first: it is the
// language of last resort.
var Languages = []string{"en", "ru", "kk"}

// names are the languages' own names, for the language switch.
var names = map[string]string{"en": "English", "ru": "Русский", "kk": "Қазақша"}

// Name is a language's name in itself.
func Name(lang string) string { return names[lang] }

//go:embed locales/*.toml
var files embed.FS

// bundle parses the message files once; it is read-only after that, so
// every session shares it.
var bundle = sync.OnceValue(func() *goi18n.Bundle {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(files, "locales/"+l+".toml"); err != nil {
			panic(fmt.Sprintf("i18n: locales/%s.toml: %v", l, err)) // the files are compiled in: a test catches this
		}
		// The command line's help in other languages; its English is in
		// the commands themselves (cmd/triage checks the two agree).
		if l != "en" {
			if _, err := b.LoadMessageFileFS(files, "locales/cli."+l+".toml"); err != nil {
				panic(fmt.Sprintf("i18n: locales/cli.%s.toml: %v", l, err))
			}
		}
	}
	return b
})

// T speaks one language. Each console session has its own.
type T struct {
	lang string
	loc  *goi18n.Localizer
	// formats keeps the messages without a count once looked up: the list
	// asks for the same few on every row of every frame.
	formats sync.Map // id → string
}

// For is a T for lang ("en", "ru" or "kk"); anything else gets English.
func For(lang string) *T {
	if l, ok := Match(lang); ok {
		lang = l
	} else {
		lang = "en"
	}
	return &T{lang: lang, loc: goi18n.NewLocalizer(bundle(), lang)}
}

// Lang is the language T speaks.
func (t *T) Lang() string { return t.lang }

// S is message id formatted with args.
func (t *T) S(id string, args ...any) string {
	msg, ok := t.formats.Load(id)
	if !ok {
		msg = t.format(id, nil, nil)
		t.formats.Store(id, msg)
	}
	if len(args) == 0 {
		return msg.(string)
	}
	return fmt.Sprintf(msg.(string), args...)
}

// N is message id in the plural form that n takes, formatted with args;
// with no args, n is the one argument.
func (t *T) N(id string, n int, args ...any) string {
	if len(args) == 0 {
		args = []any{n}
	}
	return t.format(id, n, args)
}

// Lookup is message id in T's own language, and whether it has one (no
// English fallback): how the command line finds a translation of the help
// its commands carry in English.
func (t *T) Lookup(id string) (string, bool) {
	msg, tag, err := t.loc.LocalizeWithTag(&goi18n.LocalizeConfig{MessageID: id})
	if err != nil || tag.String() != t.lang {
		return "", false
	}
	return msg, true
}

func (t *T) format(id string, count any, args []any) string {
	msg, err := t.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: count})
	if err != nil && msg == "" {
		return "{" + id + "}" // a missing message shows as itself; a test fails on any
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Match reads a language from a --lang value, a setting or a locale
// variable (kk_KZ.UTF-8, ru-RU, en, C); ok is false for a language triage
// does not speak.
func Match(s string) (lang string, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexAny(s, "_-"); i >= 0 {
		s = s[:i]
	}
	for _, l := range Languages {
		if s == l {
			return l, true
		}
	}
	return "", false
}

// FromLocale picks the language of the locale variables the way the C
// library does: LC_ALL, else LC_MESSAGES, else LANG — the first that is
// set decides, even if triage does not speak it (then ok is false).
func FromLocale(getenv func(string) string) (lang string, ok bool) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			if !utf8Codeset(s) {
				return "", false // ru_RU.KOI8-R: Cyrillic in UTF-8 would be garbage there; English is ASCII
			}
			return Match(s)
		}
	}
	return "", false
}

// utf8Codeset reports a locale with no codeset, or UTF-8 ("ru_RU.UTF-8",
// "kk_KZ.utf8", "kk_KZ@cyrillic").
func utf8Codeset(locale string) bool {
	_, rest, ok := strings.Cut(locale, ".")
	if !ok {
		return true
	}
	codeset, _, _ := strings.Cut(rest, "@")
	codeset = strings.ToLower(strings.ReplaceAll(codeset, "-", ""))
	return codeset == "utf8"
}

// Choose is the first of langs that triage speaks, else English: callers
// list them in the order they win (--lang, the reviewer's setting, the
// locale).
func Choose(langs ...string) string {
	for _, l := range langs {
		if m, ok := Match(l); ok {
			return m
		}
	}
	return "en"
}
