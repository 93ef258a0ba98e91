package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// A long shift's daily moves through the real binary in tmux: keys typed in
// one burst, the URL copied with y (tmux keeps an OSC 52 as a paste buffer),
// emoji sequences that never move a column, the quit summary.
func TestShiftInTmux(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	lines := `{"platform":"telegram","external_id":"e1","category":"fraud","severity":5,"reports":9,"url":"https://t.me/scam/101","text":"👨‍👩‍👧‍👦🇰🇿🏳️‍🌈 win 1 BTC"}` + "\n" +
		`{"platform":"vk","external_id":"e2","category":"fraud","severity":4,"url":"https://vk.com/wall-2","text":"plain text here, 1 BTC"}` + "\n" +
		`{"platform":"vk","external_id":"e3","category":"fraud","severity":3,"url":"https://vk.com/wall-3","text":"тоже 1 BTC, 日本語"}` + "\n"
	if r := triage(t, lines, "import", "--db", db, "-"); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	if r := triage(t, "", "view", "save", "--db", db, "vk-only", "platform:vk"); r.code != 0 {
		t.Fatalf("view save: %+v", r)
	}
	tm := newTmux(t, 120, 30, fmt.Sprintf("%s review --db %s --as frank", bin, db))
	screen := tm.waitFor("3 pending", "AGE PL")
	// Every body row's divider stands in one column, measured the way the
	// pane drew it, and no row lost its end.
	col := -1
	for i, line := range strings.Split(screen, "\n")[1:25] {
		j := strings.Index(line, "│")
		if j < 0 {
			t.Fatalf("row %d has no divider: %q", i+1, line)
		}
		w := runewidth.StringWidth(line[:j])
		if col >= 0 && w != col {
			t.Fatalf("row %d's divider at column %d, the first at %d:\n%s", i+1, w, col, screen)
		}
		col = w
	}
	for _, row := range strings.Split(screen, "\n")[2:5] {
		if !strings.Contains(row, "1 BTC") {
			t.Fatalf("a row lost its end: %q", row)
		}
	}
	// y copies the selected post's URL to the clipboard.
	tm.keys("y")
	tm.waitFor("Sent the URL", "terminal's clipboard")
	tm.waitBuffer("https://t.me/scam/101")
	// A burst typed before the views have loaded: the view is applied.
	tm.keys("-l", "v3")
	tm.keys("Enter")
	tm.waitFor("[view vk-only: platform:vk]", "2 of 3 pending")
	// q prints the session's summary once the terminal is back.
	tm.keys("a")
	tm.waitFor("Approved #")
	tm.keys("q")
	s := tm.waitFor("EXITED 0")
	if !strings.Contains(s, "triage: frank decided 1 post in") || !strings.Contains(s, "1 approved") {
		t.Fatalf("no session summary:\n%s", s)
	}
}
