package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
	"triage/data/benchkit"

	tea "charm.land/bubbletea/v2"

	"triage/data"
	"triage/data/pgtest"
	"triage/model"
)

// drive delivers msg to the app and runs every command it returns, and the
// commands those messages return, until nothing is left: what the Bubble Tea
// runtime does between a key press and the next frame, done synchronously.
func drive(a *App, msg tea.Msg) {
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		_, cmd := a.Update(m)
		queue = append(queue, runCmd(cmd)...)
	}
}

func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch m := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, runCmd(c)...)
		}
		return out
	default:
		return []tea.Msg{m}
	}
}

// benchStore is a database of posts pending: SQLite, or with
// TRIAGE_BENCH_BACKEND=postgres a new PostgreSQL database (data/pgtest).
func benchStore(b *testing.B, posts int) *data.Store {
	b.Helper()
	b.Logf("building a database of %d pending posts…", posts)
	if os.Getenv("TRIAGE_BENCH_BACKEND") == "postgres" {
		return demoStoreAt(b, pgtest.URL(b), posts, 1)
	}
	return demoStore(b, posts, 1)
}

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func startApp(st *data.Store, w, h int) *App {
	ctx := context.Background()
	session, _ := st.StartSession(ctx, model.Actor{Reviewer: "bench"}, data.OriginLocal)
	// Sensitive text shown: approving a collapsed sensitive post is refused.
	a := New(ctx, Options{Reviewer: "bench", Session: session, Policy: st.Policy(), Store: st, Now: func() time.Time { return fixedNow },
		Refresh: time.Hour, Settings: model.Settings{Reveal: true}})
	drive(a, tea.WindowSizeMsg{Width: w, Height: h})
	return a
}

// BenchmarkDecideAndAdvance measures one approve, from the key message to
// the first frame that shows the next post: the durable commit, the list
// refill, the next post's detail and the render. Commands run as Bubble Tea
// runs them, each in its own goroutine (driveUntil), so the reads the
// console starts once the next post is on screen (a fresh read of it, the
// post after it read ahead) use the other core as they do in a real
// session; they are reported apart as settled-*, the time until every
// command of the key has finished.
func BenchmarkDecideAndAdvance(b *testing.B) {
	for _, n := range benchkit.Sizes(b, 10_000) {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			st := benchStore(b, n)
			a := startApp(st, 120, 40)
			if a.View().Content == "" {
				b.Fatal("no first frame")
			}
			key := tea.KeyPressMsg{Code: 'a', Text: "a"}
			var lat, settled benchkit.Latencies
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				decided := a.pending().selectedPostID()
				t0 := time.Now()
				shown := driveUntil(a, key, func(a *App) bool { return nextPostShown(a, decided) })
				settled.Add(time.Since(t0))
				if shown == 0 {
					b.Fatalf("decision %d: the next post was never shown (status: %s)", i, a.status)
				}
				lat.Add(shown)
			}
			b.StopTimer()
			if a.tally[model.ActionApprove] != b.N {
				b.Fatalf("%d decisions committed, want %d (status: %s)", a.tally[model.ActionApprove], b.N, a.status)
			}
			lat.Report(b, "")
			settled.Report(b, "settled-")
			floor := bareFloor(b, n)
			b.ReportMetric(benchkit.Ms(lat.Percentile(0.99))/benchkit.Ms(floor.Percentile(0.99)), "p99/floor")
		})
	}
}

// nextPostShown reports whether the pending list has moved past the post
// just decided and the detail shows the post now selected.
func nextPostShown(a *App, decided int64) bool {
	next := a.pending().selectedPostID()
	return next != 0 && next != decided && a.detail.post != nil && a.detail.post.ID == next
}

// driveUntil delivers msg as the Bubble Tea runtime does: every command in
// a goroutine of its own, batches as separate commands, and the messages
// they bring to Update one at a time in the order they arrive. It returns
// the time from its call until, after some Update, done held and the frame
// was drawn (0 if it never did); it returns once every command has ended.
func driveUntil(a *App, msg tea.Msg, done func(*App) bool) time.Duration {
	t0 := time.Now()
	msgs := make(chan tea.Msg, 16)
	running := 0
	var took time.Duration
	var handle func(tea.Msg)
	start := func(cmd tea.Cmd) {
		if cmd != nil {
			running++
			go func() { msgs <- cmd() }()
		}
	}
	handle = func(m tea.Msg) {
		switch m := m.(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range m {
				start(c)
			}
		default:
			_, cmd := a.Update(m)
			if took == 0 && done(a) {
				_ = a.View().Content
				took = time.Since(t0)
			}
			start(cmd)
		}
	}
	handle(msg)
	for running > 0 {
		running--
		handle(<-msgs)
	}
	return took
}

// bareFloor runs, in the same benchmark, b.N of the least a decision can
// cost on a queue of n posts — one durable claim+decide+audit transaction on
// a bare table (benchkit.BareQueue) — and reports its percentiles beside
// the console's.
func bareFloor(b *testing.B, n int) *benchkit.Latencies {
	b.Helper()
	q, err := benchkit.NewBareQueue(filepath.Join(b.TempDir(), "floor.db"), max(n, b.N+1))
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	var lat benchkit.Latencies
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := q.DecideNext(); err != nil {
			b.Fatal(err)
		}
		lat.Add(time.Since(t0))
	}
	lat.Report(b, "floor-")
	return &lat
}

// BenchmarkStartup measures opening the database and drawing the first
// frame with the first post's detail.
func BenchmarkStartup(b *testing.B) {
	for _, n := range benchkit.Sizes(b, 10_000) {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			path := benchStore(b, n).Path()
			var lat benchkit.Latencies
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				st, err := data.Open(path, data.Options{})
				if err != nil {
					b.Fatal(err)
				}
				a := startApp(st, 120, 40)
				frame := a.View().Content
				lat.Add(time.Since(t0))
				if a.detail.post == nil || len(frame) == 0 {
					b.Fatal("first frame has no post")
				}
				st.Close()
			}
			b.StopTimer()
			lat.Report(b, "")
		})
	}
}
