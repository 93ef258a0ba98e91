package main

import (
	"fmt"
	"os"
	"path/filepath"
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
// sessions at 120×40, and has each press j/k at a brisk human pace (five
// keys a second): it reports the time from a key sent to the first bytes of
// the answering frame, and the server's resident memory per session.
func BenchmarkSSHFiftySessions(b *testing.B) {
	const sessions = 50
	dir := b.TempDir()
	db := filepath.Join(dir, "bench.db")
	if r := triage(b, "", "demo", "--db", db, "--posts", "2000", "--no-review"); r.code != 0 {
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
	consoles := make([]*termtest.Console, sessions)
	for i := range consoles {
		consoles[i] = termtest.MustOpenConsole(b, addr, 120, 40, keys[i])
	}
	for _, c := range consoles {
		c.WaitFor(b, "AGE PL", "Your batch")
	}
	time.Sleep(time.Second)
	rss1 := rssKiB(b, srv.cmd.Process.Pid)
	var lat benchkit.Latencies
	var wg sync.WaitGroup
	cpu0 := cpuTime(b, srv.cmd.Process.Pid)
	b.ResetTimer()
	for _, c := range consoles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < b.N; i++ {
				time.Sleep(200 * time.Millisecond)
				select {
				case <-c.Output():
				default:
				}
				t0 := time.Now()
				c.Send([]string{"j", "k"}[i%2])
				select {
				case <-c.Output():
				case <-time.After(5 * time.Second):
					b.Errorf("no frame within 5 s of a key:\n%s", c.String())
					return
				}
				lat.Add(time.Since(t0))
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	cpu := cpuTime(b, srv.cmd.Process.Pid) - cpu0
	lat.Report(b, "")
	b.ReportMetric(benchkit.Ms(cpu)/float64(lat.Len()), "cpu-ms/key")
	b.ReportMetric(float64(rss1-rss0)/sessions, "KiB-RSS/session")
}

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
