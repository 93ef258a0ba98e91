package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"triage/data"
)

// hostileLines are posts that try to take over the reviewer's terminal.
var hostileLines = []string{
	`{"platform":"telegram","external_id":"h1","category":"fraud","severity":5,"author":"admin\u001b]0;owned\u0007","text":"title\u001b]0;HACKED\u0007 clipboard\u001b]52;c;cm0gLXJmIC8=\u0007 link \u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\ end"}`,
	`{"platform":"vk","external_id":"h2","category":"fraud","severity":4,"text":"safe text\rEVIL OVERWRITE \u001b[2J\u001b[H\u001b[31mred\u009b0m"}`,
	`{"platform":"x","external_id":"h3","category":"fraud","severity":3,"text":"invoice \u202efdp.exe \u2067қазақ\u2069 日本語 👨‍👩‍👧 ‼️ done","url":"https://example.com/gpj.exe","author":"HR \u202etpeD"}`,
}

func hostileStore(t *testing.T) *data.Store {
	st, err := data.Open(filepath.Join(t.TempDir(), "h.db"), data.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	res, err := st.Import(context.Background(), strings.NewReader(strings.Join(hostileLines, "\n")), data.ImportOptions{})
	if err != nil || res.Imported != 3 {
		t.Fatalf("import: %+v %v", res, err)
	}
	return st
}

func TestHostilePostsCannotTouchTheTerminal(t *testing.T) {
	st := hostileStore(t)
	c := startConsole(t, st, 140, 30, "alice")
	s := c.waitFor("title␛]0;HACKED␇", "admin␛]0;owned␇")
	for _, want := range []string{"clipboard␛]52;c;", "␛]8;;https://evil.example"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	c.typeKeys("j")
	s = c.waitFor("safe text␍EVIL OVERWRITE ␛[2J␛[H␛[31mred⟨C1⟩0m")
	c.typeKeys("j")
	c.waitFor("invoice ⟨RLO⟩fdp.exe ⟨RLI⟩қазақ⟨PDI⟩")
	c.typeKeys("\r") // full screen: every field, the author too (a URL with a bidi control is refused at import)
	c.waitFor("HR ⟨RLO⟩tpeD", "https://example.com/gpj.exe")
	c.typeKeys("\x1b")
	s = c.waitFor("AGE PL", "invoice ⟨RLO⟩fdp.exe")
	for _, title := range c.scr.Titles() {
		if title != "triage — alice" {
			t.Fatalf("a post changed the window title to %q", title)
		}
	}
	// The screen was never cleared or scrolled by a post: the header is
	// still on the first line and the key hint on the last.
	lines := strings.Split(s, "\n")
	if !strings.HasPrefix(lines[0], "triage") || !strings.Contains(lines[len(lines)-1], "quit") {
		t.Fatalf("layout broken:\n%s", s)
	}
	assertColumn(t, c, 140, 30)
}

// assertColumn checks that the pane separator stands in the same column on
// every body line: wide characters, emoji and placeholders never shift it.
func assertColumn(t *testing.T, c *console, w, h int) {
	t.Helper()
	x := w * 62 / 100
	for y := 1; y < h-2; y++ {
		if got := c.scr.Cell(x, y); got != "│" {
			t.Fatalf("line %d: column %d holds %q, not the separator:\n%s", y, x, got, c.scr.String())
		}
	}
}

func TestAlignmentWithDemoText(t *testing.T) {
	st := demoStore(t, 300, 11)
	c := startConsole(t, st, 130, 40, "alice")
	c.waitFor("300 pending", "flagged")
	c.waitStable()
	assertColumn(t, c, 130, 40)
	for i := 0; i < 60; i++ { // walk past the emoji, Kazakh and hostile rows
		c.typeKeys("j")
	}
	c.waitStable()
	assertColumn(t, c, 130, 40)
}

func TestSmallTerminalAndResize(t *testing.T) {
	st := demoStore(t, 50, 5)
	c := startConsole(t, st, 140, 40, "bob")
	c.waitFor("50 pending", "flagged")
	c.resize(59, 20)
	c.waitFor("needs at least 60×16")
	c.resize(80, 15)
	c.waitFor("The window is 80×15")
	c.resize(70, 16)
	s := c.waitFor("50 pending", "flagged")
	lines := strings.Split(s, "\n")
	if len(lines) != 16 || !strings.Contains(lines[15], "quit") {
		t.Fatalf("at 70×16 the screen has %d lines:\n%s", len(lines), s)
	}
	c.resize(150, 30)
	c.waitFor("│#")
	c.waitStable()
	assertColumn(t, c, 150, 30)
}
