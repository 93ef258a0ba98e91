package tui

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"triage/data/benchkit"
	"triage/model"
)

// searchQueries are what reviewers type: Russian, Kazakh and English word
// starts, common and rare, one and two words.
var searchQueries = []string{"требу", "жұмыс", "contract", "казино", "срочно отключ", "инвест", "шетелде", "phishing", "закладк", "бонус 200"}

// BenchmarkSearch measures a search from the enter key to the frame that
// shows the results and the first result's detail (or that there are
// none), its commands run as Bubble Tea runs them (driveUntil): the count
// of matches for the tab is a command of its own and may land after that
// frame; the time until it has, and every other command, is reported as
// settled-*. TRIAGE_BENCH_POSTS sets the database sizes (default 10k).
func BenchmarkSearch(b *testing.B) {
	for _, n := range benchkit.Sizes(b, 10_000) {
		b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
			a := startApp(benchStore(b, n), 120, 40)
			var lat, settled benchkit.Latencies
			found := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				drive(a, tea.KeyPressMsg{Code: tea.KeyEscape})
				// Opened directly: the prompt's cursor blink command never
				// ends, and drive runs commands to the end.
				a.openSearch()
				a.open.(*prompt).input.SetValue(searchQueries[i%len(searchQueries)])
				b.StartTimer()
				t0 := time.Now()
				shown := driveUntil(a, tea.KeyPressMsg{Code: tea.KeyEnter}, searchShown)
				settled.Add(time.Since(t0))
				if shown == 0 {
					b.Fatalf("search %d: the results were never shown", i)
				}
				lat.Add(shown)
				if l := a.lists["search"]; len(l.rows) > 0 && strings.Contains(ansi.Strip(a.View().Content), "Search “") {
					found++
				}
			}
			b.StopTimer()
			if found < b.N/2 {
				b.Fatalf("only %d of %d searches showed results ", found, b.N)
			}
			lat.Report(b, "")
			settled.Report(b, "settled-")
		})
	}
}

// searchShown reports whether the search list has its first page and, if
// it found anything, the detail shows the selected result.
func searchShown(a *App) bool {
	l := a.lists[model.QueueSearch]
	if l == nil || !l.loaded {
		return false
	}
	id := l.selectedPostID()
	return id == 0 || a.detail.post != nil && a.detail.post.ID == id
}

// BenchmarkStatsView measures the S key, from the key to the drawn charts,
// on a database whose audit trail holds TRIAGE_BENCH_DECISIONS decision
// events (default 100k) from 20 reviewers over the last 30 days.
func BenchmarkStatsView(b *testing.B) {
	decisions := benchkit.SizeFrom(b, "TRIAGE_BENCH_DECISIONS", 100_000)
	st := benchStore(b, 10_000)
	b.Logf("writing %d decision events…", decisions)
	db, err := sql.Open("sqlite3", "file:"+st.Path()+"?_busy_timeout=5000")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// Straight into the audit table: the hourly counters are kept by the
	// same trigger a real decision fires.
	_, err = db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO events (id, post_id, at, reviewer, action, reason_code, from_status, to_status)
		SELECT i, 1 + i % 10000, ? - (i * 2591) % 2592000000, 'reviewer-' || (i % 20),
			CASE i % 5 WHEN 0 THEN 'approve' WHEN 1 THEN 'escalate' ELSE 'reject' END, 'X', 'pending',
			CASE i % 5 WHEN 0 THEN 'approved' WHEN 1 THEN 'escalated' ELSE 'rejected' END FROM n`,
		decisions, fixedNow.UnixMilli())
	if err != nil {
		b.Fatal(err)
	}
	a := startApp(st, 120, 40)
	var lat benchkit.Latencies
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		drive(a, tea.KeyPressMsg{Code: 'S', Text: "S"})
		frame := a.View().Content
		lat.Add(time.Since(t0))
		if !strings.Contains(frame, "reviewer-") || !strings.Contains(frame, "Queue by category") {
			b.Fatalf("the stats view shows no reviewers:\n%s", frame)
		}
		b.StopTimer()
		drive(a, tea.KeyPressMsg{Code: tea.KeyEscape})
		b.StartTimer()
	}
	b.StopTimer()
	lat.Report(b, "")
}
