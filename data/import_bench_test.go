package data

import (
	"bytes"
	"context"
	"testing"
	"time"
	"triage/data/benchkit"

	"triage/data/demo"
)

// BenchmarkImport imports demo JSONL (about 1.1 lines per post, the extra
// being re-flags that merge) into a fresh database per iteration and reports
// lines per second. -benchtime=1x with TRIAGE_BENCH_POSTS sets the size.
func BenchmarkImport(b *testing.B) { benchImport(b, ImportOptions{}) }

// BenchmarkImportClustering imports the same demo JSONL with and without
// near-duplicate clustering: the ratio of the two lines/s figures is what
// clustering costs.
func BenchmarkImportClustering(b *testing.B) {
	b.Run("with", func(b *testing.B) { benchImport(b, ImportOptions{}) })
	b.Run("without", func(b *testing.B) { benchImport(b, ImportOptions{noClusters: true}) })
}

func benchImport(b *testing.B, opt ImportOptions) {
	posts := benchkit.Size(b, 100_000)
	var buf bytes.Buffer
	demo.Generate(&buf, demo.Options{Posts: posts, Seed: 1, Now: time.Now()})
	in := buf.Bytes()
	lines := bytes.Count(in, []byte("\n"))
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Open(benchDB(b), Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.Import(context.Background(), bytes.NewReader(in), opt)
		if err != nil || res.Lines() != lines {
			b.Fatalf("import: %+v %v", res, err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "lines/s")
}
