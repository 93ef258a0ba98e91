package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"triage/data/benchkit"
	"triage/tui/termtest"
)

// BenchmarkStartupFromExec measures `triage review` from exec to the first
// frame that shows the queue and the first post's detail, in a real PTY at
// 120×40: the process starting, opening the database, claiming a batch and
// drawing — not the in-process part alone. TRIAGE_BENCH_POSTS sets the
// queue sizes (default 10k; the goal is ≤ 300 ms at 1M).
func BenchmarkStartupFromExec(b *testing.B) {
	for _, n := range benchkit.Sizes(b, 10_000) {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			db := filepath.Join(b.TempDir(), "startup.db")
			b.Logf("building a database of %d pending posts…", n)
			if r := triage(b, "", "demo", "--db", db, "--posts", fmt.Sprint(n), "--no-review"); r.code != 0 {
				b.Fatalf("demo: %+v", r)
			}
			var lat benchkit.Latencies
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				lat.Add(firstFrame(b, db))
			}
			b.StopTimer()
			lat.Report(b, "")
		})
	}
}

// detailHeader is the first line of a post's detail ("#130 pending …"):
// the list's header alone is not the first full frame.
var detailHeader = regexp.MustCompile(`#\d+ pending `)

// firstFrame starts the console in a PTY, waits for its first full frame,
// quits it and returns how long the frame took from exec.
func firstFrame(b *testing.B, db string) time.Duration {
	cmd := exec.Command(bin, "review", "--db", db)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "TRIAGE_DB=", "USER=bench")
	scr := termtest.NewScreen(120, 40, false)
	t0 := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 120, Rows: 40})
	if err != nil {
		b.Fatal(err)
	}
	defer tty.Close()
	go io.Copy(scr, tty)
	go io.Copy(tty, scr) // the terminal's answers to the program's queries
	var took time.Duration
	for deadline := time.Now().Add(termtest.Patience); ; time.Sleep(time.Millisecond) {
		s := scr.String()
		if strings.Contains(s, "AGE PL") && detailHeader.MatchString(s) {
			took = time.Since(t0)
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			b.Fatalf("no first frame:\n%s", s)
		}
	}
	tty.Write([]byte("q"))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(termtest.Patience):
		cmd.Process.Kill()
		b.Fatal("the console did not quit on q")
	}
	return took
}
