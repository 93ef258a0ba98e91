package data

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"triage/model"
)

// BenchmarkClusterDecision rejects a whole cluster of 1,000 pending posts in
// one transaction, one audit event per post. Each iteration decides a
// cluster of its own; a queue of other posts sits beside them.
func BenchmarkClusterDecision(b *testing.B) {
	const size = 1000
	s := benchStore(b, 10_000)
	ctx := context.Background()
	var in strings.Builder
	for c := 0; c < b.N; c++ {
		// Words of its own per cluster, and a small edit per copy.
		base := fmt.Sprintf("Кампания%d требуются мужчины%d для работы%d по контракту%d оплата%d сразу пишите%d в личку%d", c, c, c, c, c, c, c)
		for i := 0; i < size; i++ {
			fmt.Fprintf(&in, `{"platform":"vk","external_id":"c%d-%d","category":"recruitment","text":%q,"author_id":"u%d"}`+"\n",
				c, i, base+fmt.Sprintf(" #тег%d", i%7), i)
		}
	}
	if _, err := s.Import(ctx, strings.NewReader(in.String()), ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	var clusters []int64
	rows, err := s.r.Query(`SELECT id FROM clusters WHERE pending >= ? ORDER BY id`, size)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		clusters = append(clusters, id)
	}
	rows.Close()
	if len(clusters) != b.N {
		b.Fatalf("%d clusters of %d posts, want %d", len(clusters), size, b.N)
	}
	sess, _ := s.StartSession(ctx, model.Actor{Reviewer: "bench"}, OriginLocal)
	d := model.Decision{Actor: model.Actor{Reviewer: "bench", Session: sess}, Action: model.ActionReject, ReasonCode: "REC-AD"}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		res, err := s.DecideCluster(ctx, clusters[i], d)
		times = append(times, time.Since(t0))
		if err != nil || res.Decided != size {
			b.Fatalf("cluster %d: %+v %v", clusters[i], res, err)
		}
	}
	b.StopTimer()
	var ms float64
	for _, t := range times {
		ms += float64(t.Microseconds()) / 1000
	}
	b.ReportMetric(ms/float64(len(times)), "ms/cluster")
}
