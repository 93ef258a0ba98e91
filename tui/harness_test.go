package tui

import (
	"context"
	"fmt"
	"github.com/charmbracelet/x/exp/golden"
	"io"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"triage/data"
	"triage/data/demo"
	"triage/model"
	"triage/tui/termtest"
)

// fixedNow is the clock of every console test, so ages on screen never drift.
var fixedNow = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// console is a running program attached to a terminal emulator, with keys
// typed into its input as a terminal would send them.
type console struct {
	t    *testing.T
	scr  *termtest.Screen
	keys *io.PipeWriter
	prog *tea.Program
	done chan error
}

// demoStore makes a database in t.TempDir() filled by the demo generator.
func demoStore(t testing.TB, posts int, seed uint64) *data.Store {
	t.Helper()
	return demoStoreAt(t, filepath.Join(t.TempDir(), "triage.db"), posts, seed)
}

// demoStoreAt is demoStore in the database at db (a path or a URL).
func demoStoreAt(t testing.TB, db string, posts int, seed uint64) *data.Store {
	t.Helper()
	// The QA seed is pinned, so the same decisions are sampled on every run.
	pol := model.DefaultPolicy()
	pol.QASeed = 1
	st, err := data.Open(db, data.Options{Create: true, Now: func() time.Time { return fixedNow }, Policy: pol})
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
	return startConsoleWith(t, st, w, h, reviewer, nil)
}

// startConsoleWith is startConsole with options changed by set (language,
// settings) before the console starts.
func startConsoleWith(t *testing.T, st *data.Store, w, h int, reviewer string, set func(*Options)) *console {
	t.Helper()
	scr := termtest.NewScreen(w, h, true)
	inR, inW := io.Pipe()
	go io.Copy(inW, scr) // the terminal's answers to the program's queries
	ctx, cancel := context.WithCancel(context.Background())
	role, err := st.Role(ctx, reviewer)
	if err != nil {
		t.Fatal(err)
	}
	session, err := st.StartSession(ctx, model.Actor{Reviewer: reviewer}, data.OriginLocal)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Reviewer: reviewer, Role: role, Session: session, Policy: st.Policy(), Store: st,
		Now: func() time.Time { return fixedNow }, Refresh: time.Hour}
	if set != nil {
		set(&opt)
	}
	app := New(ctx, opt)
	p := tea.NewProgram(app, tea.WithContext(ctx), tea.WithInput(inR), tea.WithOutput(scr),
		tea.WithWindowSize(w, h), tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithoutSignals())
	c := &console{t: t, scr: scr, keys: inW, prog: p, done: make(chan error, 1)}
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

// readsAll is an option for consoles that decide without opening each
// sensitive post first: the reviewer's setting that shows their text
// (approving a collapsed sensitive post is refused).
func readsAll(o *Options) { o.Settings.Reveal = true }

// typeKeys sends bytes as a terminal does when keys are pressed.
func (c *console) typeKeys(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.keys, s); err != nil {
		c.t.Fatal(err)
	}
}

func (c *console) waitFor(texts ...string) string { c.t.Helper(); return c.scr.WaitFor(c.t, texts...) }

func (c *console) waitStable() string { c.t.Helper(); return c.scr.WaitStable(c.t) }

// resize changes the terminal's size and tells the program, as SIGWINCH would.
func (c *console) resize(w, h int) {
	c.scr.Resize(w, h)
	c.prog.Send(tea.WindowSizeMsg{Width: w, Height: h})
}

// matchGolden compares a screen with testdata/<test name>.golden
// (x/exp/golden; go test ./tui -update rewrites it).
func matchGolden(t *testing.T, got string) {
	t.Helper()
	golden.RequireEqual(t, got)
}

func events(t *testing.T, st *data.Store, postID int64) []model.Event {
	t.Helper()
	p, err := st.PostRecord(context.Background(), postID)
	if err != nil {
		t.Fatal(err)
	}
	return p.Events
}

// queueHead returns the first n posts of the queue, the ones a new session
// claims, without keeping them claimed.
func queueHead(t *testing.T, st *data.Store, n int) []model.Item {
	t.Helper()
	ctx := context.Background()
	// One reviewer may hold only the policy's limit of posts: peekers take
	// the head of the queue a limit at a time, each the part after the last.
	var items []model.Item
	for i := 0; len(items) < n; i++ {
		sess, err := st.StartSession(ctx, model.Actor{Reviewer: fmt.Sprintf("peek%d", i)}, data.OriginLocal)
		if err != nil {
			t.Fatal(err)
		}
		defer st.EndSession(ctx, sess)
		got, _ := st.Claim(ctx, sess, n-len(items), time.Minute)
		if got == 0 {
			break
		}
		page, err := st.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: model.Actor{Session: sess}, Dir: model.First, Limit: got})
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, page...)
	}
	return items
}
