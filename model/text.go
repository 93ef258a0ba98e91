package model

import (
	"fmt"
	"sort"
	"strings"
)

// Text is a policy label in the operator's own words: one string, or one
// per language. In the policy file either form works:
//
//	label = "Fraud and scams"
//	label.en = "Fraud and scams"
//	label.ru = "Мошенничество"
//	label.kk = "Алаяқтық"
//
// Legal-basis text is not a Text: it is shown in the language it was
// written in.
type Text struct {
	Default string            // the text when the reader's language has none: English, or the only one given
	ByLang  map[string]string // language code → text
}

// T is a Text with a single string.
func T(s string) Text { return Text{Default: s} }

// In is the text in lang, else the default.
func (t Text) In(lang string) string {
	if s := t.ByLang[lang]; s != "" {
		return s
	}
	return t.Default
}

// String is the default text.
func (t Text) String() string { return t.Default }

// IsZero reports a text with nothing in it.
func (t Text) IsZero() bool { return t.Default == "" && len(t.ByLang) == 0 }

// UnmarshalTOML reads either form (BurntSushi/toml calls it).
func (t *Text) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*t = Text{Default: v}
		return nil
	case map[string]any:
		out := Text{ByLang: map[string]string{}}
		for lang, s := range v {
			str, ok := s.(string)
			if !ok {
				return fmt.Errorf("label.%s must be text", lang)
			}
			if !validLangCode(lang) {
				return fmt.Errorf("label.%s: %q is not a language code (en, ru, kk…)", lang, lang)
			}
			out.ByLang[lang] = str
		}
		out.Default = out.ByLang["en"]
		if out.Default == "" { // no English: the first language given text, in a fixed order
			langs := make([]string, 0, len(out.ByLang))
			for l := range out.ByLang {
				langs = append(langs, l)
			}
			sort.Strings(langs)
			for _, l := range langs {
				if out.ByLang[l] != "" {
					out.Default = out.ByLang[l]
					break
				}
			}
		}
		*t = out
		return nil
	}
	return fmt.Errorf("a label is text, or a table of texts by language (label.ru = \"…\")")
}

// MarshalTOML writes the string form when there are no translations, and
// an inline table by language otherwise.
func (t Text) MarshalTOML() ([]byte, error) {
	if len(t.ByLang) == 0 {
		return []byte(tomlQuote(t.Default)), nil
	}
	langs := make([]string, 0, len(t.ByLang)+1)
	for l := range t.ByLang {
		langs = append(langs, l)
	}
	if t.ByLang["en"] == "" && t.Default != "" {
		langs = append(langs, "en")
	}
	sort.Strings(langs)
	parts := make([]string, len(langs))
	for i, l := range langs {
		parts[i] = l + " = " + tomlQuote(t.In(l))
	}
	return []byte("{ " + strings.Join(parts, ", ") + " }"), nil
}

// tomlQuote is s as a TOML basic string: Go's quoting writes escapes such
// as \a that TOML does not read back.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// validLangCode is two or three lower-case ASCII letters.
func validLangCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// Count is n and a noun in English, singular for one: "1 row", "2 rows".
// The CLI's and the store's messages are English; the console's own words
// come from its translations, which have plural forms of their own.
func Count(n int64, one, many string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
