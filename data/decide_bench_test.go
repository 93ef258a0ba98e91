package data

import (
	"context"
	"sort"
	"testing"
	"time"

	"triage/model"
)

// BenchmarkDecide measures one durable decision (synchronous=FULL) on a
// queue of TRIAGE_BENCH_POSTS posts (default 10k): the store's part of
// decide-and-advance.
func BenchmarkDecide(b *testing.B) {
	posts := benchPosts(b, 10_000)
	s := benchStore(b, posts)
	ctx := context.Background()
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "bench"}, OriginLocal)
	s.Claim(ctx, sess, min(b.N, posts), time.Hour)
	page, _ := s.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: model.Actor{Session: sess}, Dir: model.First, Limit: min(b.N, posts)})
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N && i < len(page); i++ {
		it := page[i]
		c, _ := s.policy.Category(it.Category)
		t0 := time.Now()
		if _, err := s.Decide(ctx, model.Decision{PostID: it.PostID, Actor: model.Actor{Reviewer: "bench", Session: sess}, Action: model.ActionApprove, ReasonCode: c.DefaultApproval().Code}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	if n := len(times); n > 0 {
		b.ReportMetric(float64(times[n/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(times[min(n-1, n*99/100)].Microseconds())/1000, "p99-ms")
	}
}
