package tui

import (
	"image/color"
	"testing"

	"triage/model"
	"triage/tui/termtest"
)

// headerColour is the foreground of the "t" of "triage" in the header.
func headerColour(t *testing.T, c *termtest.Console) color.Color {
	t.Helper()
	c.WaitFor(t, "triage", "AGE PL")
	c.WaitStable(t)
	return c.CellStyle(0, 0).Fg
}

// Each SSH client gets colours for its own terminal: its background (dark or
// light, asked of the client's terminal) and its NO_COLOR, never the
// server's.
func TestSSHColoursFollowEachClient(t *testing.T) {
	st := demoStore(t, 40, 1)
	darkKey, lightKey, plainKey := register(t, st, "dark", model.RoleReviewer), register(t, st, "light", model.RoleReviewer), register(t, st, "plain", model.RoleReviewer)
	srv := startServer(t, st)
	dark := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{}, darkKey)
	light := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{Background: color.White}, lightKey)
	plain := termtest.MustOpenConsoleWith(t, srv.addr, 120, 30, termtest.ConsoleOptions{Env: map[string]string{"NO_COLOR": "1"}}, plainKey)
	d, l, p := headerColour(t, dark), headerColour(t, light), headerColour(t, plain)
	t.Logf("dark %v light %v plain %v", d, l, p)
	if d == nil || l == nil {
		t.Fatalf("no header colour: dark %v, light %v", d, l)
	}
	if colourEq(d, l) {
		t.Fatalf("a light terminal got the dark terminal's colours (%v)", d)
	}
	if p != nil {
		t.Fatalf("NO_COLOR client got colour %v", p)
	}
}

func colourEq(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}
