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
// the wire at 120×40, beside a full repaint of the same screen: a window
// change to the same size, on which the renderer erases and redraws every
// cell (the first frame is no yardstick: its bytes include the terminal's
// setup and queries).
func BenchmarkSSHBytesPerDecision(b *testing.B) {
	st := demoStore(b, max(200, b.N+50), 1)
	key := register(b, st, "bench", model.RoleReviewer)
	srv := startServerB(b, st)
	c := termtest.MustOpenConsole(b, srv.addr, 120, 40, key)
	c.WaitFor(b, "AGE PL")
	c.Send("X") // sensitive text shown, so it may be approved
	before := settle(c)
	if err := c.WindowChange(120, 40); err != nil {
		b.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); c.Received() == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("no repaint after a window change")
		}
	}
	full := settle(c) - before
	if full < 120*20 {
		b.Fatalf("a repaint of 120×40 sent only %d bytes: the window change did not redraw", full)
	}
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
	b.ReportMetric(float64(full), "bytes/full-repaint")
	b.ReportMetric(per/float64(full), "ratio")
}
