package tui

import (
	"context"
	"strings"
	"testing"

	"triage/model"
)

// A pasted note and a filter prefilled from a hostile saved view show their
// controls as placeholders; the terminal is never retitled by them.
func TestPromptsShowControlsAsPlaceholders(t *testing.T) {
	st := demoStore(t, 40, 7)
	f, err := model.ParseFilter("platform:vk")
	if err != nil {
		t.Fatal(err)
	}
	f.Platforms = []string{"vk\u202e\x1b]0;PWNED\x07"}
	if err := st.SaveView(context.Background(), "hostile", f, "mallory"); err != nil {
		t.Fatal(err)
	}
	c := startConsole(t, st, 120, 40, "alice")
	c.waitFor("40 pending", "flagged")
	c.typeKeys("n")
	c.waitFor("Note")
	c.typeKeys("\x1b[200~paste\x1b]0;PWNED\x07 \u202eabc\x1b[201~")
	// Bubble Tea drops escape sequences inside a paste before the console
	// sees it; what is left shows its bidi override as a placeholder.
	screen := c.waitFor("paste ⟨RLO⟩abc")
	if strings.Contains(screen, "\u202e") {
		t.Fatalf("a raw bidi override reached the screen:\n%s", screen)
	}
	c.typeKeys("\x1b")
	c.waitFor("Cancelled.")
	c.typeKeys("v")
	c.waitFor("hostile", "platform:vk⟨RLO⟩␛]0;")
	c.typeKeys("3")
	c.typeKeys("\r")
	c.waitFor("view hostile")
	c.typeKeys("f")
	c.waitFor("Filter:", "⟨RLO⟩␛]0;PWNED␇")
	for _, title := range c.scr.Titles() {
		if strings.Contains(title, "PWNED") {
			t.Fatalf("the post's text retitled the terminal: %q", title)
		}
	}
}
