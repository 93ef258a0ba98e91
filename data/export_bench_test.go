package data

import (
	"context"
	"io"
	"testing"
	"time"
	"triage/data/benchkit"
)

// BenchmarkExport exports TRIAGE_BENCH_POSTS decided posts (default 100k) as
// JSONL and reports records per second. The decisions are made in bulk with
// SQL (one audit event per post, no hash chain): deciding a million posts
// one durable transaction at a time would take a quarter of an hour, and
// export reads the same rows either way.
func BenchmarkExport(b *testing.B) {
	posts := benchkit.Size(b, 100_000)
	s := benchStore(b, posts)
	now := time.Now().UnixMilli()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO events (post_id, at, reviewer, action, reason_code, note, from_status, to_status)
		 SELECT id, ?, 'bench', 'reject', 'FRD-INV', '', 'pending', 'rejected' FROM posts`, []any{now}},
		{`UPDATE posts SET status = 'rejected'`, nil},
	} {
		if _, err := s.w.Exec(q.sql, q.args...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w, _ := NewExportWriter(io.Discard, FormatJSONL, s.policy)
		n, err := s.Export(context.Background(), ExportFilter{}, w.Write)
		if err != nil || n != posts {
			b.Fatalf("exported %d of %d: %v", n, posts, err)
		}
		w.Close()
	}
	b.ReportMetric(float64(posts*b.N)/b.Elapsed().Seconds(), "records/s")
}
