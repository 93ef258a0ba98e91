package tui

import (
	"testing"
	"time"

	"triage/model"
	"triage/tui/termtest"
)

// settle waits until the server has sent nothing for a while, so a count of
// bytes covers a whole frame.
func settle(c *termtest.Console) int64 {
	for last := int64(-1); ; {
		n := c.Received()
		if n == last {
			return n
		}
		last = n
		time.Sleep(60 * time.Millisecond)
	}
}

// BenchmarkSSHBytesPerDecision measures what one decide-and-advance costs on
// the wire at 120×40, beside a full repaint of the same screen.
func BenchmarkSSHBytesPerDecision(b *testing.B) {
	st := demoStore(b, max(200, b.N+50), 1)
	key := register(b, st, "bench", model.RoleReviewer)
	srv := startServerB(b, st)
	c := termtest.MustOpenConsole(b, srv.addr, 120, 40, key)
	c.WaitFor(b, "AGE PL")
	full := settle(c) // the first frame is drawn whole
	var total int64
	b.ResetTimer()
	for i := 1; i <= b.N; i++ {
		before := settle(c)
		c.Send("a")
		c.WaitFor(b, decidedLine(i), "AGE PL")
		total += settle(c) - before
	}
	b.StopTimer()
	per := float64(total) / float64(b.N)
	b.ReportMetric(per, "bytes/decision")
	b.ReportMetric(float64(full), "bytes/full-frame")
	b.ReportMetric(per/float64(full), "ratio")
}
