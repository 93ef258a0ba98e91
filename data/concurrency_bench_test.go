package data

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
	"triage/data/benchkit"

	"triage/model"
)

// BenchmarkFiftyReviewers has 50 sessions claim batches and decide until a
// queue of TRIAGE_BENCH_POSTS posts (default 10k; the README's figure uses
// 100k) is empty, every decision durable before it is acknowledged (the
// group committer lets concurrent decisions share one fsync). It reports
// decisions per second and fails on any double decision.
func BenchmarkFiftyReviewers(b *testing.B) {
	posts := benchkit.Size(b, 10_000)
	var decided int
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := benchStore(b, posts)
		b.StartTimer()
		start := time.Now()
		n := fiftyReviewers(b, s)
		elapsed += time.Since(start)
		b.StopTimer()
		if n != posts {
			b.Fatalf("%d decisions for %d posts", n, posts)
		}
		decided += n
		rep, err := s.Check(context.Background())
		if err != nil || len(rep.Problems) != 0 {
			b.Fatalf("check: %v %v", rep.Problems, err)
		}
		s.Close()
	}
	// Over every iteration, not the last one's alone.
	b.ReportMetric(float64(decided)/elapsed.Seconds(), "decisions/s")
}

func fiftyReviewers(b *testing.B, s *Store) int {
	ctx := context.Background()
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for r := 0; r < 50; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := model.Actor{Reviewer: fmt.Sprintf("r%02d", r)}
			a.Session, _ = s.StartSession(ctx, a, OriginLocal)
			defer s.EndSession(ctx, a.Session)
			for {
				n, err := s.Claim(ctx, a.Session, ClaimBatch, time.Hour)
				if err != nil {
					b.Error(err)
					return
				}
				if n == 0 {
					return
				}
				page, err := s.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: a, Dir: model.First, Limit: ClaimBatch})
				if err != nil {
					b.Error(err)
					return
				}
				for _, it := range page {
					c, _ := s.policy.Category(it.Category)
					if _, err := s.Decide(ctx, model.Decision{PostID: it.PostID, Actor: a, Action: model.ActionApprove, ReasonCode: c.DefaultApproval().Code}); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					total++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return total
}
