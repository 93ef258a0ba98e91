package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"triage/data/benchkit"
	"triage/tui/termtest"
)

// rssKiB reads a process's resident set size.
func rssKiB(b *testing.B, pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n
		}
	}
	b.Fatal("no VmRSS")
	return 0
}

// BenchmarkSSHFiftySessions runs the real server binary, opens 50 SSH
// sessions at 120×40 with light clients (termtest.LightConsole: no terminal
// emulator, frames recognised by their synchronized-output brackets), and
// has each reviewer move j, k, j, k and approve a post, at a brisk pace of
// its own (five keys a second on average, a decision a second).
// It reports the time from the key to the end of the frame that answers it
// — the first frame that redraws the status line, where "Saving #N…"
// appears — the server's CPU time per decision, and its resident memory
// per session.
func BenchmarkSSHFiftySessions(b *testing.B) {
	const sessions, posts = 50, 5000
	if b.N*sessions > posts*9/10 {
		b.Fatalf("-benchtime %dx decides %d posts; the queue has %d", b.N, b.N*sessions, posts)
	}
	dir := b.TempDir()
	db := filepath.Join(dir, "bench.db")
	if r := triage(b, "", "demo", "--db", db, "--posts", fmt.Sprint(posts), "--no-review"); r.code != 0 {
		b.Fatalf("demo: %+v", r)
	}
	keys := make([]gossh.Signer, sessions)
	for i := range keys {
		keys[i] = termtest.NewSigner(b)
		if r := triage(b, "", "reviewer", "add", fmt.Sprintf("s%02d", i), "--role", "reviewer", "--db", db,
			"--key", string(gossh.MarshalAuthorizedKey(keys[i].PublicKey()))); r.code != 0 {
			b.Fatalf("reviewer add: %+v", r)
		}
	}
	srv := startServe(b, db, filepath.Join(dir, "host"), freePort(b))
	addr := fmt.Sprintf("127.0.0.1:%d", srv.port)
	time.Sleep(200 * time.Millisecond)
	rss0 := rssKiB(b, srv.cmd.Process.Pid)
	consoles := make([]*termtest.LightConsole, sessions)
	for i := range consoles {
		c, err := termtest.OpenLightConsole(addr, 120, 40, keys[i])
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(c.Close)
		consoles[i] = c
	}
	for _, c := range consoles {
		if err := c.AwaitText("held for you alone"); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range consoles {
		c.Send("X") // sensitive text shown, so it may be approved
	}
	time.Sleep(time.Second)
	rss1 := rssKiB(b, srv.cmd.Process.Pid)
	var lat benchkit.Latencies
	var wg sync.WaitGroup
	cpu0 := cpuTime(b, srv.cmd.Process.Pid)
	var frames0 int64
	for _, c := range consoles {
		frames0 += c.Drawn()
	}
	b.ResetTimer()
	for n, c := range consoles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Reviewers keep their own time: each starts at a random
			// moment and spaces its keys 100–300 ms apart. Fifty clients
			// pressing in the same millisecond measured a queue of fifty
			// keys, not a key.
			pace := rand.New(rand.NewPCG(uint64(n), 1))
			gap := func() time.Duration {
				return 100*time.Millisecond + time.Duration(pace.Int64N(int64(200*time.Millisecond)))
			}
			time.Sleep(gap())
			for i := 0; i < b.N; i++ {
				for _, key := range moves {
					time.Sleep(gap())
					c.Send(key)
				}
				time.Sleep(gap())
				c.Drain()
				t0 := time.Now()
				c.Send("a")
				f, err := c.NextFrame(func(f termtest.Frame) bool { return statusLine.Match(f.Bytes) })
				if err != nil {
					b.Errorf("approve → a frame that redraws the status line: %v", err)
					return
				}
				lat.Add(f.At.Sub(t0))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	cpu := cpuTime(b, srv.cmd.Process.Pid) - cpu0
	frames := -frames0
	for _, c := range consoles {
		frames += c.Drawn()
	}
	lat.Report(b, "")
	b.ReportMetric(float64(frames)/float64((len(moves)+1)*lat.Len()), "frames/key")
	b.ReportMetric(benchkit.Ms(cpu)/float64(lat.Len()), "cpu-ms/decision")
	b.ReportMetric(float64(rss1-rss0)/sessions, "KiB-RSS/session")
}

// moves are the keys each reviewer presses before each approve.
var moves = []string{"j", "k", "j", "k"}

// statusLine moves the cursor to the status line of a 40-row console (row
// 39, above the hint line): only a frame that answers a decision draws it.
var statusLine = regexp.MustCompile(`\x1b\[39(d|;)`)

// cpuTime is a process's user and system CPU time so far (/proc/PID/stat,
// in clock ticks of 10 ms).
func cpuTime(b *testing.B, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The command name may hold spaces: fields count from after its ')'.
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
