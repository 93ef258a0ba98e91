package tui

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/tui/termtest"
)

// drawnScreen is a line screen writing into a terminal emulator, set up as
// a session's terminal is (screenEnter), with every write also kept.
func drawnScreen(w, h int) (*lineScreen, *termtest.Screen, *bytes.Buffer) {
	scr := termtest.NewScreen(w, h, false)
	var sent bytes.Buffer
	go io.Copy(io.Discard, scr) // the terminal's answer to the mode 2027 query
	s := &lineScreen{out: teeWriter{&sent, scr}}
	s.out.Write([]byte(screenEnter))
	s.resized(h)
	sent.Reset()
	return s, scr, &sent
}

type teeWriter struct{ a, b io.Writer }

func (t teeWriter) Write(p []byte) (int, error) {
	t.a.Write(p)
	return t.b.Write(p)
}

// seen is what a person should see for frame on an h-line terminal: its
// lines without styles, and blank rows below them.
func seen(frame string, h int) string {
	lines := strings.Split(frame, "\n")
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = strings.TrimRight(ansi.Strip(lines[i]), " ")
		}
	}
	return strings.Join(out, "\n")
}

// randomLine is a w-cell line of styled words in three scripts, two-cell
// characters included, padded as the console pads; now and then shorter.
func randomLine(r *rand.Rand, w int) string {
	words := []string{"approve", "шалость", "жарнама", "招聘", "#1207", "⚠", "S5", "—"}
	styles := []lipgloss.Style{
		lipgloss.NewStyle(),
		lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#b7a6ff")),
		lipgloss.NewStyle().Background(lipgloss.Color("#3b3363")),
		lipgloss.NewStyle().Foreground(lipgloss.Color("#8a8a8a")),
	}
	var b strings.Builder
	used := 0
	for {
		word := words[r.IntN(len(words))] + " "
		ww := ansi.StringWidth(word)
		if used+ww > w || r.IntN(12) == 0 {
			break
		}
		b.WriteString(styles[r.IntN(len(styles))].Render(word))
		used += ww
	}
	if r.IntN(4) > 0 {
		b.WriteString(strings.Repeat(" ", w-used))
	}
	return b.String()
}

// The client's screen always shows the frame the console rendered, through
// a run of frames that change a few lines, grow, shrink and are resized.
func TestLineScreenShowsEveryFrame(t *testing.T) {
	const w, h = 60, 12
	r := rand.New(rand.NewPCG(7, 11))
	s, scr, _ := drawnScreen(w, h)
	lines := make([]string, h)
	for i := range lines {
		lines[i] = randomLine(r, w)
	}
	for step := 0; step < 300; step++ {
		switch r.IntN(10) {
		case 0: // fewer lines
			lines = lines[:r.IntN(len(lines)+1)]
		case 1: // more lines
			for len(lines) < h {
				lines = append(lines, randomLine(r, w))
			}
		case 2: // a resize to the same size repaints everything
			s.resized(h)
		default:
			for k := r.IntN(4); k > 0 && len(lines) > 0; k-- {
				lines[r.IntN(len(lines))] = randomLine(r, w)
			}
		}
		frame := strings.Join(lines, "\n")
		s.draw(tea.NewView(frame))
		if got, want := scr.String(), seen(frame, h); got != want {
			t.Fatalf("step %d: the screen shows\n%s\nwhere the frame is\n%s", step, got, want)
		}
	}
}

// Only what changed crosses the wire: nothing for the same frame again,
// one row for a frame that differs in one line.
func TestLineScreenSendsOnlyChangedLines(t *testing.T) {
	const w, h = 40, 6
	s, scr, sent := drawnScreen(w, h)
	lines := []string{"header", "row one", "row two", "row three", "status", "hints"}
	s.draw(tea.NewView(strings.Join(lines, "\n")))
	sent.Reset()
	s.draw(tea.NewView(strings.Join(lines, "\n")))
	if sent.Len() != 0 {
		t.Fatalf("the same frame again sent %q", sent)
	}
	lines[2] = "row 2, decided"
	s.draw(tea.NewView(strings.Join(lines, "\n")))
	for row := 1; row <= h; row++ {
		moved := strings.Contains(sent.String(), ansi.CursorPosition(1, row))
		if moved != (row == 3) {
			t.Errorf("row %d rewritten: %v; only row 3 changed (sent %q)", row, moved, sent)
		}
	}
	if strings.Contains(sent.String(), "header") || !strings.Contains(scr.String(), "row 2, decided") {
		t.Errorf("sent %q; screen\n%s", sent, scr.String())
	}
}

// A line the client's terminal measures wider than the console did (text
// the sanitiser let through, drawn wider by that terminal) stays on its own
// row: on the last row it would otherwise scroll the whole screen up.
func TestLineScreenTooWideLineNeitherWrapsNorScrolls(t *testing.T) {
	const w, h = 30, 4
	s, scr, _ := drawnScreen(w, h)
	frame := "top line\nsecond\nthird\n" + strings.Repeat("wide ", 20)
	s.draw(tea.NewView(frame))
	rows := strings.Split(scr.String(), "\n")
	if rows[0] != "top line" || rows[1] != "second" || rows[2] != "third" {
		t.Fatalf("the screen moved:\n%s", scr.String())
	}
	// Without wrapping, what does not fit overwrites the last column.
	if want := strings.Repeat("wide ", 20)[:w-1]; len(rows[3]) != w || rows[3][:w-1] != want {
		t.Fatalf("last row %q, want %d cells starting %q", rows[3], w, want)
	}
}

// Trailing spaces in the default style are not sent (the row was erased);
// a selected row's background still reaches the last column.
func TestLineScreenTrimsOnlyBlankPadding(t *testing.T) {
	const w, h = 20, 2
	s, scr, sent := drawnScreen(w, h)
	// A background opened and left open to the end of the line, as a
	// row joined from styled pieces can be.
	selected := "\x1b[48;2;59;51;99m▌ selected" + strings.Repeat(" ", w-10)
	plain := "plain" + strings.Repeat(" ", w-5)
	s.draw(tea.NewView(selected + "\n" + plain))
	if strings.Contains(sent.String(), "plain ") {
		t.Errorf("the plain row's padding was sent: %q", sent)
	}
	if bg := scr.CellStyle(w-1, 0).Bg; bg == nil {
		t.Errorf("the selected row's last cell has no background: its padding was dropped")
	}
	if got := strings.Split(scr.String(), "\n"); got[0] != "▌ selected" || got[1] != "plain" {
		t.Errorf("screen %q", got)
	}
}

// A flood of keys (a client typing as fast as it can send) is drawn in a
// frame for the first key and one for the rest, not one per key; the
// screen still ends on the console's latest frame.
func TestLineScreenCoalescesAFloodOfKeys(t *testing.T) {
	const w, h = 120, 40
	s, scr, sent := drawnScreen(w, h)
	s.app = fakeApp(t, newFakeStore(300), w, h)
	frames := func() int { return strings.Count(sent.String(), ansi.SetModeSynchronizedOutput) }
	s.painted = time.Time{} // long ago: the first key is drawn at once
	for i := 0; i < 5; i++ {
		s.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	}
	if got := frames(); got != 1 {
		t.Fatalf("five keys in a burst drew %d frames at once, want 1 (the rest wait for the next)", got)
	}
	if !s.waiting {
		t.Fatal("no paint is on its way for the keys after the first")
	}
	s.Update(paintMsg{})
	if got := frames(); got != 2 {
		t.Fatalf("%d frames after the burst's paint, want 2", got)
	}
	if got, want := scr.String(), seen(s.app.View().Content, h); got != want {
		t.Fatalf("the screen shows\n%s\nwhere the console is at\n%s", got, want)
	}
}

// A terminal that reports grapheme clustering (mode 2027, supported but
// off) has it turned on while the console runs, which then measures
// clusters, and turned off again when the console ends.
func TestLineScreenTurnsGraphemeClusteringOnAndOff(t *testing.T) {
	s, _, sent := drawnScreen(120, 40)
	s.app = fakeApp(t, newFakeStore(30), 120, 40)
	s.entered = true
	s.Update(tea.ModeReportMsg{Mode: ansi.ModeUnicodeCore, Value: ansi.ModeReset})
	if !strings.Contains(sent.String(), ansi.SetModeUnicodeCore) || !s.app.c.Graphemes {
		t.Fatalf("mode 2027 reported: sent %q, console measures graphemes: %v", sent, s.app.c.Graphemes)
	}
	s.restore()
	if !strings.Contains(sent.String(), ansi.ResetModeUnicodeCore) {
		t.Fatalf("mode 2027 left on at the end: sent %q", sent)
	}
}
