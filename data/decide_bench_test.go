package data

import (
	"context"
	"testing"
	"time"

	"triage/data/benchkit"
	"triage/model"
)

// BenchmarkDecide measures one durable decision (synchronous=FULL) on a
// queue of TRIAGE_BENCH_POSTS posts (default 10k): the store's part of
// decide-and-advance. Every iteration is one decision: the session claims a
// batch whenever it has decided the last, and a b.N larger than the queue
// fails rather than measuring fewer decisions than it reports.
func BenchmarkDecide(b *testing.B) {
	posts := benchkit.Size(b, 10_000)
	if b.N > posts {
		b.Fatalf("-benchtime %dx is more decisions than the %d posts (raise %s)", b.N, posts, benchkit.SizesEnv)
	}
	s := benchStore(b, posts)
	ctx := context.Background()
	actor := model.Actor{Reviewer: "bench"}
	actor.Session, _ = s.StartSession(ctx, actor, OriginLocal)
	var lat benchkit.Latencies
	var page []model.Item
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(page) == 0 {
			b.StopTimer()
			if _, err := s.Claim(ctx, actor.Session, ClaimBatch, time.Hour); err != nil {
				b.Fatal(err)
			}
			var err error
			page, err = s.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: actor, Dir: model.First, Limit: ClaimBatch})
			if err != nil || len(page) == 0 {
				b.Fatalf("decision %d of %d: no post to decide (%v)", i+1, b.N, err)
			}
			b.StartTimer()
		}
		it := page[0]
		page = page[1:]
		c, _ := s.policy.Category(it.Category)
		t0 := time.Now()
		if _, err := s.Decide(ctx, model.Decision{PostID: it.PostID, Actor: actor, Action: model.ActionApprove, ReasonCode: c.DefaultApproval().Code}); err != nil {
			b.Fatal(err)
		}
		lat.Add(time.Since(t0))
	}
	b.StopTimer()
	if lat.Len() != b.N {
		b.Fatalf("%d decisions timed for b.N=%d", lat.Len(), b.N)
	}
	lat.Report(b, "")
}
