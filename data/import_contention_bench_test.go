package data

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"triage/data/benchkit"

	"triage/data/demo"
	"triage/model"
)

// BenchmarkDecideDuringImport has 10 reviewers decide, through a store of
// their own (another connection, as `triage serve` is another process),
// while `import` writes TRIAGE_BENCH_POSTS lines (default 200k) into the
// same database. Each reviewer takes 100 ms per post (a very busy desk: 100
// decisions a second in all; a person takes seconds). It reports the decisions' latency (p50, p99, max) and how
// many failed: an import holding the write lock for a whole batch made one
// wait 8.8 s and fail with "database is locked".
func BenchmarkDecideDuringImport(b *testing.B) {
	lines := benchkit.Size(b, 200_000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "contention.db")
		imp, err := Open(path, Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		var seed bytes.Buffer
		demo.Generate(&seed, demo.Options{Posts: 5000, Seed: 2, Now: time.Now()})
		if _, err := imp.Import(context.Background(), &seed, ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		rev, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		var big bytes.Buffer
		demo.Generate(&big, demo.Options{Posts: lines, Seed: 3, Now: time.Now()})
		b.StartTimer()

		var stop atomic.Bool
		var lat benchkit.Latencies
		var failed atomic.Int64
		var wg sync.WaitGroup
		for r := 0; r < 10; r++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := context.Background()
				a := model.Actor{Reviewer: fmt.Sprintf("r%d", r)}
				a.Session, _ = rev.StartSession(ctx, a, OriginLocal)
				for !stop.Load() {
					time.Sleep(100 * time.Millisecond)
					if _, err := rev.Claim(ctx, a.Session, 1, time.Hour); err != nil {
						failed.Add(1)
						continue
					}
					page, _ := rev.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: a, Dir: model.First, Limit: 1})
					for _, it := range page {
						c, _ := rev.policy.Category(it.Category)
						t0 := time.Now()
						_, err := rev.Decide(ctx, model.Decision{PostID: it.PostID, Actor: a, Action: model.ActionApprove, ReasonCode: c.DefaultApproval().Code})
						d := time.Since(t0)
						if err != nil {
							failed.Add(1)
							continue
						}
						lat.Add(d)
					}
				}
			}()
		}
		t0 := time.Now()
		res, err := imp.Import(context.Background(), &big, ImportOptions{})
		importTime := time.Since(t0)
		stop.Store(true)
		wg.Wait()
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		rev.Close()
		imp.Close()
		if lat.Len() == 0 {
			b.Fatal("no decision committed during the import")
		}
		lat.Report(b, "decide-")
		b.ReportMetric(float64(lat.Len()), "decisions")
		b.ReportMetric(float64(failed.Load()), "failed")
		b.ReportMetric(float64(res.Lines())/importTime.Seconds(), "import-lines/s")
	}
}
