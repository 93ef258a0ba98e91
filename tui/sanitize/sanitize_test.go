package sanitize

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

func TestSanitiseTable(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "hello world", "hello world"},
		{"cyrillic kazakh", "Қазақстан әғқңөұүһі Привет", "Қазақстан әғқңөұүһі Привет"},
		{"emoji and cjk", "ok 👍🏽 日本", "ok 👍🏽 日本"},
		{"newline kept", "a\nb", "a\nb"},
		{"crlf is a newline", "a\r\nb", "a\nb"},
		{"bare cr visible", "safe\rEVIL", "safe␍EVIL"},
		{"tab expanded", "a\tb", "a    b"},
		{"csi colour", "\x1b[31mred\x1b[0m", "␛[31mred␛[0m"},
		{"cursor move", "\x1b[2J\x1b[H", "␛[2J␛[H"},
		{"osc title", "\x1b]0;pwned\x07", "␛]0;pwned␇"},
		{"osc 8 link", "\x1b]8;;https://evil\x1b\\click\x1b]8;;\x1b\\", "␛]8;;https://evil␛\\click␛]8;;␛\\"},
		{"osc 52 clipboard", "\x1b]52;c;cm0gLXJmIH4=\x07", "␛]52;c;cm0gLXJmIH4=␇"},
		{"dcs", "\x1bP+q544e\x1b\\", "␛P+q544e␛\\"},
		{"apc pm sos", "\x1b_a\x1b\\\x1b^b\x1b\\\x1bXc\x1b\\", "␛_a␛\\␛^b␛\\␛Xc␛\\"},
		{"nul and bell", "a\x00b\x07", "a␀b␇"},
		{"del", "a\x7fb", "a␡b"},
		{"c1 csi", "a\u009b31mb", "a⟨C1⟩31mb"},
		{"c1 osc", "\u009d0;t\u009c", "⟨C1⟩0;t⟨C1⟩"},
		{"rlo", "abc\u202Egnp.exe", "abc⟨RLO⟩gnp.exe"},
		{"isolates", "\u2066x\u2069\u2067y\u2068z", "⟨LRI⟩x⟨PDI⟩⟨RLI⟩y⟨FSI⟩z"},
		{"marks", "\u200E\u200F\u061C", "⟨LRM⟩⟨RLM⟩⟨ALM⟩"},
		{"embeddings", "\u202A\u202B\u202C\u202D", "⟨LRE⟩⟨RLE⟩⟨PDF⟩⟨LRO⟩"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"bom", "\uFEFFhi", "⟨U+FEFF⟩hi"},
		{"line separator", "a\u2028b", "a\nb"},
		{"hidden tags", "Warehouse job\U000E006A\U000E006F\U000E0069\U000E006E", "Warehouse job⟨tags:join⟩"},
		{"cancel tag alone", "HR\U000E007F Dept", "HR⟨tags:⟩ Dept"},
		{"scotland flag kept", "go \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F!", "go \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F!"},
		{"flag with a space tag", "\U0001F3F4\U000E0067\U000E0020\U000E007F", "\U0001F3F4⟨tags:g ⟩"},
		{"flag base, no tags", "\U0001F3F4 x", "\U0001F3F4 x"},
		{"tags in a flag too long", "\U0001F3F4" + strings.Repeat("\U000E0061", 9) + "\U000E007F", "\U0001F3F4⟨tags:aaaaaaaaa⟩"},
		{"word joiner", "a\u2060b", "a⟨U+2060⟩b"},
		{"joiners kept", "👩\u200D💻 \u200C", "👩\u200D💻 \u200C"},
	}
	for _, tc := range cases {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("%s: Text(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
	if got := Line("a\nb\r\nc"); got != "a⏎b⏎c" {
		t.Errorf("Line = %q", got)
	}
}

// validFlag is an emoji tag sequence as UTS #51 and the flags in use spell
// it: the black flag, a region code in tag letters, a cancel tag.
var validFlag = regexp.MustCompile(`\x{1F3F4}[\x{E0030}-\x{E0039}\x{E0061}-\x{E007A}]{1,8}\x{E007F}`)

// invisible are the characters that may not reach a reader outside a flag:
// format characters (bidi controls among them) but the joiners, and tags.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) && r != 0x200C && r != 0x200D || r >= 0xE0000 && r <= 0xE007F
}

// FuzzSanitise checks the sanitiser's promise on arbitrary bytes: no ESC, C0
// (but newline), DEL, C1 or bidi control survives, the output is valid UTF-8,
// and a terminal emulator moves the cursor exactly as far as the width we
// measure, so the layout's arithmetic holds for whatever a post contains.
func FuzzSanitise(f *testing.F) {
	for _, s := range []string{"\U0001F3F4\U000E0067\U000E0062\U000E007F", "a\U000E0061\U000E007F", "hello", "\x1b]0;t\x07", "a\rb", "\u202Eabc", "Қазақ 👍🏽", "\x9b1m", "\xff\xfe", "日本\t語"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Text(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		for _, r := range validFlag.ReplaceAllString(out, "") {
			if (r < 0x20 && r != '\n') || (r >= 0x7F && r <= 0x9F) || invisible(r) {
				t.Fatalf("control %U survived in %q", r, out)
			}
		}
		// Line must be one line however many line breaks the input had:
		// not \n, not CR, not the Unicode separators.
		line := Line(in)
		if strings.ContainsAny(line, "\n\r\u2028\u2029\v\f") {
			t.Fatalf("Line(%q) = %q is not one line", in, line)
		}
		w := ansi.StringWidth(line)
		if w >= 200 {
			return
		}
		term := vt.NewEmulator(200, 3)
		term.Write([]byte(line))
		if got := term.CursorPosition(); got.Y != 0 || got.X != w {
			t.Fatalf("%q: terminal cursor at %v, measured width %d", line, got, w)
		}
	})
}
