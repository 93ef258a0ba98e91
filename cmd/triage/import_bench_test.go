package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"triage/data/benchkit"
)

// BenchmarkImportVsFloor runs `triage import` on demo files of
// TRIAGE_BENCH_POSTS posts (default 10k; about 1.1 records per post, the
// rest re-flags), CSV and JSONL, beside the floor measured in the same
// iteration: the sqlite3 tool's .import of the same records as CSV plus an
// FTS4 index (benchkit.ImportFloor). It reports records/s for both, the
// ratio (goal ≥ 0.8) and the import's peak RSS; and, beside them, the same
// rows copied into this schema by SQL alone in one transaction
// (benchkit.SchemaBound): what the schema's indexes, triggers and search
// index cost without any of the import's own work.
func BenchmarkImportVsFloor(b *testing.B) {
	for _, n := range benchkit.Sizes(b, 10_000) {
		for _, format := range []string{"csv", "jsonl"} {
			b.Run(fmt.Sprintf("posts=%d/%s", n, format), func(b *testing.B) {
				dir := b.TempDir()
				in := filepath.Join(dir, "in."+format)
				csv := filepath.Join(dir, "floor.csv")
				emit(b, n, format, in)
				emit(b, n, "csv", csv)
				var ours, floor, bound time.Duration
				var records int
				var peak int64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					db := filepath.Join(dir, fmt.Sprintf("imp%d.db", i))
					cmd := exec.Command(bin, "import", "--db", db, in)
					cmd.Env = append(os.Environ(), "TRIAGE_DB=")
					t0 := time.Now()
					if out, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("import: %v: %s", err, out)
					}
					ours += time.Since(t0)
					peak = max(peak, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
					d, rows, err := benchkit.ImportFloor(csv, filepath.Join(dir, fmt.Sprintf("floor%d.db", i)))
					if err != nil {
						b.Fatal(err)
					}
					floor += d
					records = rows
					d, rows, err = benchkit.SchemaBound(db, filepath.Join(dir, fmt.Sprintf("bound%d.db", i)))
					if err != nil {
						b.Fatal(err)
					}
					if rows != records {
						b.Fatalf("the schema bound stored %d records, the floor %d", rows, records)
					}
					bound += d
				}
				b.StopTimer()
				b.ReportMetric(float64(records*b.N)/ours.Seconds(), "records/s")
				b.ReportMetric(float64(records*b.N)/floor.Seconds(), "floor-records/s")
				b.ReportMetric(floor.Seconds()/ours.Seconds(), "ratio")
				b.ReportMetric(float64(records*b.N)/bound.Seconds(), "bound-records/s")
				b.ReportMetric(bound.Seconds()/ours.Seconds(), "of-bound")
				b.ReportMetric(float64(peak)/1024, "peak-MiB")
			})
		}
	}
}

// emit writes the demo's n posts as format to path.
func emit(b *testing.B, n int, format, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, "demo", "--emit", "--format", format, "--posts", fmt.Sprint(n))
	var errb strings.Builder
	cmd.Stdout, cmd.Stderr = f, &errb
	if err := cmd.Run(); err != nil {
		b.Fatalf("demo --emit: %v: %s", err, errb.String())
	}
}
