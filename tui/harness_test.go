package tui

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/vt"

	"triage/data"
	"triage/data/demo"
	"triage/model"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixedNow is the clock of every console test, so ages on screen never drift.
var fixedNow = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// screen is a terminal emulator the program draws into: what it holds is
// what a person would see.
type screen struct {
	mu     sync.Mutex
	term   *vt.Emulator
	titles []string
	onlcr  bool
}

// Write draws program output. With onlcr it plays the part of a tty's line
// discipline: with no TTY input, Bubble Tea leaves newline-to-CRLF mapping
// to the terminal driver. (Over SSH a real PTY is in raw mode and the
// program sends exactly what the terminal must see.)
func (s *screen) Write(p []byte) (int, error) {
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

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := strings.Split(s.term.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func (s *screen) cell(x, y int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.term.CellAt(x, y); c != nil {
		return c.Content
	}
	return ""
}

func (s *screen) titleLog() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.titles...)
}

// console is a running program attached to a screen, with keys typed into
// its input as a terminal would send them.
type console struct {
	t     *testing.T
	scr   *screen
	keys  *io.PipeWriter
	prog  *tea.Program
	done  chan error
	store *data.Store
}

// demoStore makes a database in t.TempDir() filled by the demo generator.
func demoStore(t testing.TB, posts int, seed uint64) *data.Store {
	t.Helper()
	st, err := data.Open(filepath.Join(t.TempDir(), "triage.db"), data.Options{Create: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(demo.Generate(pw, demo.Options{Posts: posts, Seed: seed, Now: fixedNow})) }()
	if _, err := st.Import(context.Background(), pr, data.ImportOptions{Name: "demo"}); err != nil {
		t.Fatal(err)
	}
	return st
}

func startConsole(t *testing.T, st *data.Store, w, h int, reviewer string) *console {
	t.Helper()
	scr := &screen{term: vt.NewEmulator(w, h), onlcr: true}
	scr.term.SetCallbacks(vt.Callbacks{Title: func(s string) { scr.titles = append(scr.titles, s) }})
	inR, inW := io.Pipe()
	// The terminal's answers to the program's queries travel back as input.
	go io.Copy(inW, scr.term)
	ctx, cancel := context.WithCancel(context.Background())
	role, err := st.Role(ctx, reviewer)
	if err != nil {
		t.Fatal(err)
	}
	session, err := st.StartSession(ctx, model.Actor{Reviewer: reviewer}, data.OriginLocal)
	if err != nil {
		t.Fatal(err)
	}
	app := New(ctx, Options{Reviewer: reviewer, Role: role, Session: session, Policy: st.Policy(), Store: st,
		Now: func() time.Time { return fixedNow }, Refresh: time.Hour})
	p := tea.NewProgram(app, tea.WithContext(ctx), tea.WithInput(inR), tea.WithOutput(scr),
		tea.WithWindowSize(w, h), tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithoutSignals())
	c := &console{t: t, scr: scr, keys: inW, prog: p, done: make(chan error, 1), store: st}
	go func() { _, err := p.Run(); c.done <- err }()
	t.Cleanup(func() {
		cancel()
		inW.Close()
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
		}
	})
	return c
}

// typeKeys sends bytes as a terminal does when keys are pressed.
func (c *console) typeKeys(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.keys, s); err != nil {
		c.t.Fatal(err)
	}
}

// waitFor waits until the screen shows every one of the texts. The timeout
// only turns a hang into a failure; nothing is asserted about speed.
func (c *console) waitFor(texts ...string) string {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := c.scr.String()
		ok := true
		for _, want := range texts {
			if !strings.Contains(s, want) {
				ok = false
			}
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("screen never showed %q; it shows:\n%s", texts, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitStable waits until the screen stops changing and returns it.
func (c *console) waitStable() string {
	c.t.Helper()
	last, same := "", 0
	for i := 0; i < 500 && same < 10; i++ {
		time.Sleep(10 * time.Millisecond)
		s := c.scr.String()
		if s == last {
			same++
		} else {
			last, same = s, 0
		}
	}
	return last
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("screen differs from %s (go test ./tui -update rewrites it)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

func events(t *testing.T, st *data.Store, postID int64) []model.Event {
	t.Helper()
	p, err := st.Post(context.Background(), model.Actor{Reviewer: "auditor"}, postID)
	if err != nil {
		t.Fatal(err)
	}
	return p.Events
}

// resize changes the terminal's size and tells the program, as SIGWINCH would.
func (c *console) resize(w, h int) {
	c.scr.mu.Lock()
	c.scr.term.Resize(w, h)
	c.scr.mu.Unlock()
	c.prog.Send(tea.WindowSizeMsg{Width: w, Height: h})
}

// queueHead returns the first n posts of the queue, the ones a new session
// claims, without keeping them claimed.
func queueHead(t *testing.T, st *data.Store, n int) []model.Item {
	t.Helper()
	ctx := context.Background()
	sess, err := st.StartSession(ctx, model.Actor{Reviewer: "peek"}, data.OriginLocal)
	if err != nil {
		t.Fatal(err)
	}
	defer st.EndSession(ctx, sess)
	st.Claim(ctx, sess, n, time.Minute)
	items, err := st.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: model.Actor{Session: sess}, Dir: model.First, Limit: n})
	if err != nil {
		t.Fatal(err)
	}
	return items
}
