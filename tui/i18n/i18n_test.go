package i18n

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// pluralForms are the CLDR plural categories each language's messages
// must give (unicode.org/cldr, language plural rules): Russian one/few/
// many/other, English and Kazakh one/other.
var pluralForms = map[string][]string{"en": {"one", "other"}, "ru": {"few", "many", "one", "other"}, "kk": {"one", "other"}}

var formNames = []string{"zero", "one", "two", "few", "many", "other"}

// catalog reads a message file the way a translator writes it: message id
// → its forms ("" for a message without plural forms).
func catalog(t *testing.T, lang string) map[string]map[string]string {
	t.Helper()
	var raw map[string]any
	if _, err := toml.DecodeFile(filepath.Join("locales", lang+".toml"), &raw); err != nil {
		t.Fatalf("locales/%s.toml: %v", lang, err)
	}
	out := map[string]map[string]string{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		plural := map[string]string{}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				if slices.Contains(formNames, k) {
					plural[k] = v
				} else {
					out[prefix+k] = map[string]string{"": v}
				}
			case map[string]any:
				walk(prefix+k+".", v)
			}
		}
		if len(plural) > 0 {
			out[strings.TrimSuffix(prefix, ".")] = plural
		}
	}
	walk("", raw)
	return out
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs are a message's printf verbs without argument indexes, sorted: a
// translation may reorder its arguments, never change their kinds.
func verbs(s string) []string {
	var out []string
	for _, v := range verb.FindAllString(s, -1) {
		out = append(out, regexp.MustCompile(`\[\d+\]`).ReplaceAllString(v, ""))
	}
	sort.Strings(out)
	return out
}

func TestEveryMessageIsInEveryLanguage(t *testing.T) {
	en := catalog(t, "en")
	if len(en) < 200 {
		t.Fatalf("the English catalog has %d messages; it should hold every word the console says", len(en))
	}
	for _, lang := range Languages {
		cat := catalog(t, lang)
		for id, forms := range en {
			got, ok := cat[id]
			if !ok {
				t.Errorf("%s: %s is missing", lang, id)
				continue
			}
			_, plural := forms["other"]
			if _, gotPlural := got["other"]; plural != gotPlural {
				t.Errorf("%s: %s: plural in English is %v, here %v", lang, id, plural, gotPlural)
				continue
			}
			var want []string
			for _, f := range forms {
				want = verbs(f)
				break
			}
			for form, text := range got {
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s: %s[%s] is empty", lang, id, form)
				}
				if g := verbs(text); !slices.Equal(g, want) {
					t.Errorf("%s: %s[%s] has verbs %v, English %v: %q", lang, id, form, g, want, text)
				}
			}
			if plural {
				var have []string
				for f := range got {
					have = append(have, f)
				}
				sort.Strings(have)
				if !slices.Equal(have, pluralForms[lang]) {
					t.Errorf("%s: %s has forms %v, the language needs %v", lang, id, have, pluralForms[lang])
				}
			}
		}
		for id := range cat {
			if _, ok := en[id]; !ok {
				t.Errorf("%s: %s is not in the English catalog (a stale message)", lang, id)
			}
		}
	}
}

// Russian: 1 пост, 2–4 поста, 0 and 5–20 постов, and again by the last
// digit past 20 (21 пост, 22 поста, 25 постов).
func TestRussianPlurals(t *testing.T) {
	ru := For("ru")
	want := map[int]string{
		0: "Ваша пачка: 0 постов", 1: "Ваша пачка: 1 пост,", 2: "Ваша пачка: 2 поста", 5: "Ваша пачка: 5 постов",
		11: "Ваша пачка: 11 постов", 21: "Ваша пачка: 21 пост,", 22: "Ваша пачка: 22 поста", 25: "Ваша пачка: 25 постов",
	}
	for n, prefix := range want {
		if got := ru.N("list.batch", n); !strings.HasPrefix(got, prefix) {
			t.Errorf("%d: %q, want it to start %q", n, got, prefix)
		}
	}
	if got := ru.N("status.keys_waiting", 3); got != "3 клавиши ждут…" {
		t.Errorf("3 keys: %q", got)
	}
}

// Kazakh keeps the noun singular after a number; English does not.
func TestKazakhAndEnglishPlurals(t *testing.T) {
	if got := For("kk").N("detail.copies", 5); got != "×5 көшірме" {
		t.Errorf("kk 5: %q", got)
	}
	if got, one := For("en").N("detail.copies", 5), For("en").N("detail.copies", 1); got != "×5 copies" || one != "×1 copy" {
		t.Errorf("en: %q, %q", got, one)
	}
}

func TestLanguageFromLocale(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
		ok   bool
	}{
		{map[string]string{"LANG": "kk_KZ.UTF-8"}, "kk", true},
		{map[string]string{"LANG": "ru_RU.UTF-8", "LC_MESSAGES": "kk_KZ"}, "kk", true},
		{map[string]string{"LANG": "kk_KZ.UTF-8", "LC_ALL": "ru_RU.UTF-8"}, "ru", true},
		{map[string]string{"LANG": "de_DE.UTF-8"}, "", false},          // set, not spoken: English, not the next variable
		{map[string]string{"LC_ALL": "C", "LANG": "ru_RU"}, "", false}, // C wins, as in the C library
		{map[string]string{"LANG": "en_US@euro"}, "en", true},
		{map[string]string{"LANG": "ru_RU.KOI8-R"}, "", false}, // a terminal that cannot show UTF-8 Cyrillic
		{map[string]string{"LANG": "kk_KZ.utf8"}, "kk", true},
		{map[string]string{"LANG": "kk_KZ@cyrillic"}, "kk", true},
		{map[string]string{}, "", false},
	} {
		got, ok := FromLocale(func(k string) string { return c.env[k] })
		if got != c.want || ok != c.ok {
			t.Errorf("%v: %q %v, want %q %v", c.env, got, ok, c.want, c.ok)
		}
	}
	if Choose("", "de", "ru_RU.UTF-8") != "ru" || Choose("xx") != "en" || Choose("KK") != "kk" {
		t.Error("Choose does not take the first language spoken")
	}
}

// usedID finds message ids in the console's source: T.S("id", …),
// T.N("id", …), tell("id", …), warn("id", …).
var usedID = regexp.MustCompile(`(?:\b[tT]\.[SN]|\btell|\bwarn)\("([a-z_.]+)"`)

// Every id the console's code names is in the catalog: a typo shows as
// {id} on screen, so it fails here first. An id built from a prefix
// (status. + a status) must at least have messages under that prefix; the
// screens' tests show the rest.
func TestEveryIDTheCodeUsesExists(t *testing.T) {
	en := catalog(t, "en")
	files, _ := filepath.Glob("../*.go")
	if len(files) < 20 {
		t.Fatalf("found %d console sources", len(files))
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range usedID.FindAllStringSubmatch(string(b), -1) {
			n++
			if id := m[1]; strings.HasSuffix(id, ".") || strings.HasSuffix(id, "_") {
				// A prefix (status. + a status): some message must start so.
				if !slices.ContainsFunc(slices.Collect(maps.Keys(en)), func(k string) bool { return strings.HasPrefix(k, id) }) {
					t.Errorf("%s: no message starts %q", f, id)
				}
				continue
			}
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s: message %q is not in locales/en.toml", f, m[1])
			}
		}
	}
	if n < 150 {
		t.Errorf("found only %d message uses: the pattern no longer matches the code", n)
	}
}

func TestMissingMessageShowsItsID(t *testing.T) {
	if got := For("ru").S("no.such.message"); got != "{no.such.message}" {
		t.Errorf("%q", got)
	}
}
