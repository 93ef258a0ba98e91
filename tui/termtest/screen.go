// Package termtest lets tests see what a person would see: program output
// drawn into a terminal emulator, locally or at the far end of a real SSH
// connection. It is test support, imported only by tests.
package termtest

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/vt"
)

// Screen is a terminal emulator that program output is written into.
type Screen struct {
	mu     sync.Mutex
	term   *vt.Emulator
	titles []string
	alt    bool // on the alternate screen
	onlcr  bool
}

// Patience is how long an end-to-end wait on a screen's state lasts before
// the test fails. It only turns a hang into a failure: every wait ends as
// soon as the state it waits for is there, so a loaded machine (50 SSH
// sessions starting at once beside a CPU hog) takes longer, never fails.
const Patience = 60 * time.Second

// NewScreen makes a w×h terminal. With onlcr it plays the part of a tty's
// line discipline: with no TTY input, Bubble Tea leaves newline-to-CRLF
// mapping to the terminal driver. Over SSH a real PTY is in raw mode and the
// program sends exactly what the terminal must see, so onlcr is off.
func NewScreen(w, h int, onlcr bool) *Screen {
	s := &Screen{term: vt.NewEmulator(w, h), onlcr: onlcr}
	s.term.SetCallbacks(vt.Callbacks{
		Title:     func(t string) { s.titles = append(s.titles, t) },
		AltScreen: func(on bool) { s.alt = on },
	})
	return s
}

// Write draws program output.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := p
	if s.onlcr {
		out = bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))
	}
	if _, err := s.term.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Read returns the terminal's answers to the program's queries (background
// colour, cursor position), to be sent back as the program's input.
func (s *Screen) Read(p []byte) (int, error) { return s.term.Read(p) }

// String is the screen's text, trailing spaces trimmed.
func (s *Screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := strings.Split(s.term.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// Cell is the content of one cell.
func (s *Screen) Cell(x, y int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.term.CellAt(x, y); c != nil {
		return c.Content
	}
	return ""
}

// CellStyle is the style of one cell (zero when the cell is unstyled).
func (s *Screen) CellStyle(x, y int) uv.Style {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.term.CellAt(x, y); c != nil {
		return c.Style
	}
	return uv.Style{}
}

// Titles lists every window title the program set.
func (s *Screen) Titles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.titles...)
}

// Resize changes the terminal's size.
func (s *Screen) Resize(w, h int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.term.Resize(w, h)
}

// WaitFor waits until the screen shows every text and returns it. The limit
// only turns a hang into a failure; nothing is asserted about speed.
func (s *Screen) WaitFor(t testing.TB, texts ...string) string {
	t.Helper()
	deadline := time.Now().Add(Patience)
	for {
		got := s.String()
		ok := true
		for _, want := range texts {
			ok = ok && strings.Contains(got, want)
		}
		if ok {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("screen never showed %q; it shows:\n%s", texts, got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// WaitStable waits until the screen has not changed for ten looks in a row
// and returns it; a screen that never settles (something redraws forever)
// fails the test. The limit only turns a hang into a failure.
func (s *Screen) WaitStable(t testing.TB) string {
	t.Helper()
	last, same := "", 0
	for i := 0; i < 1000; i++ {
		time.Sleep(10 * time.Millisecond)
		got := s.String()
		if got == last {
			if same++; same >= 10 {
				return last
			}
		} else {
			last, same = got, 0
		}
	}
	t.Fatalf("the screen never settled; last:\n%s", last)
	return last
}

// Modes says whether the terminal is on its alternate screen and whether
// its cursor is hidden: what a program leaves behind when it exits.
func (s *Screen) Modes() (altScreen, cursorHidden bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.alt, s.term.CursorHidden()
}
