package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The console in Russian and Kazakh at the sizes a reviewer meets: the
// main screen, the reject picker and the help, golden-tested as the
// terminal shows them; and on each, the list's columns where its header
// says they are, and nothing the console wrote cut in the middle of a word.
func TestGoldenScreensInRussianAndKazakh(t *testing.T) {
	waits := map[string]map[string]string{
		"ru": {"console": "ожидают", "picker": "нарушение:", "help": "Перемещение и чтение", "closed": "Отменено."},
		"kk": {"console": "күтуде", "picker": "бұзушылық:", "help": "Жылжу және оқу", "closed": "Бас тартылды."},
	}
	for _, lang := range []string{"ru", "kk"} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", lang, size[0], size[1]), func(t *testing.T) {
				st := demoStore(t, 300, 7)
				c := startConsoleWith(t, st, size[0], size[1], "alice", func(o *Options) { o.Lang = lang })
				c.waitFor("300 ", waits[lang]["console"], "#")
				for _, screen := range []struct{ name, open, close string }{
					{"console", "", ""},
					{"picker", "r", "\x1b"},
					{"help", "?", ""},
				} {
					t.Run(screen.name, func(t *testing.T) {
						parent := c.t
						c.t = t
						defer func() { c.t = parent }()
						if screen.open != "" {
							c.typeKeys(screen.open)
							c.waitFor(waits[lang][screen.name])
						}
						got := c.waitStable()
						lines := strings.Split(got, "\n")
						if len(lines) != size[1] {
							t.Errorf("%d lines:\n%s", len(lines), got)
						}
						if screen.name != "help" {
							checkColumns(t, lines)
						}
						checkNoCutWords(t, screen.name, lines)
						matchGolden(t, got)
						if screen.name == "picker" {
							c.typeKeys(screen.close)
							c.waitFor(waits[lang]["closed"]) // esc must land alone, not as alt+ the next key
						}
					})
				}
			})
		}
	}
}

// checkColumns finds the list's header (its second line) and checks that
// every row has its platform code and category where the header puts
// them: translated headings and units never move a column.
func checkColumns(t *testing.T, lines []string) {
	t.Helper()
	header := []rune(lines[1])
	fields := strings.Fields(strings.Split(string(header), "│")[0])
	if len(fields) < 6 {
		t.Fatalf("no list header on line 2: %q", lines[1])
	}
	pl := strings.Index(string(header), " "+fields[1]+" ")
	plCol := len([]rune(string(header)[:pl])) + 1
	for _, l := range lines[2:12] {
		r := []rune(l)
		if strings.Contains(l, "─") || strings.Contains(l, "│ ") && !strings.Contains(l, "│#") {
			break // the end of the rows (a stacked layout), or a box over them
		}
		if len(r) <= plCol+2 {
			continue
		}
		if r[plCol-1] != ' ' || r[plCol] == ' ' {
			t.Errorf("the platform column (cell %d) is not under %q in %q", plCol, fields[1], l)
		}
	}
}

// checkNoCutWords fails on a line the console cut with "…" at its right
// edge when the cut fell in one of its own messages: the status and hint
// lines and the help's wrapped text. Post text and names may be cut; the
// console's words are wrapped or fit.
func checkNoCutWords(t *testing.T, screen string, lines []string) {
	t.Helper()
	check := lines[len(lines)-2:] // status and hint
	if screen == "help" {
		check = lines
	}
	for _, l := range check {
		trimmed := strings.TrimRight(ansi.Strip(l), " ")
		if strings.HasSuffix(trimmed, "…") && !strings.HasSuffix(trimmed, " …") {
			t.Errorf("cut mid-word: %q", trimmed)
		}
	}
	// A box (the picker) ends its lines with its border: what is inside
	// must not end cut either.
	for _, l := range lines {
		trimmed := strings.TrimRight(ansi.Strip(l), " ")
		if inner, ok := strings.CutSuffix(trimmed, "│"); ok {
			if inner = strings.TrimRight(inner, " "); strings.HasSuffix(inner, "…") && strings.Count(l, "│") >= 2 {
				t.Errorf("cut mid-word in a box: %q", trimmed)
			}
		}
	}
}

// Policy labels come in the reader's language when the policy gives one
// (the built-in policy gives all three); legal bases stay as written.
func TestPolicyLabelsInTheReadersLanguage(t *testing.T) {
	for lang, want := range map[string]string{"en": "— Recruitment for foreign", "ru": "— Вербовка для участия", "kk": "— Шетелдегі қарулы"} {
		a := fakeAppWith(t, newFakeStore(5), 160, 40, func(o *Options) { o.Lang = lang })
		if s := shown(a); !strings.Contains(s, want) {
			t.Errorf("%s: the title of post 1 (recruitment) does not say %q:\n%s", lang, want, s)
		}
	}
}
