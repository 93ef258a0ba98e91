package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"triage/tui/termtest"
)

// tmux drives the real binary in a real terminal multiplexer, on a private
// server socket so it never touches a user's sessions.
type tmux struct {
	t      *testing.T
	socket string
}

func newTmux(t *testing.T, w, h int, command string) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required for the end-to-end tests (apt-get install tmux)")
	}
	// The socket lives in the test's own folder, removed with it: none is
	// left in /tmp.
	tm := &tmux{t: t, socket: filepath.Join(t.TempDir(), "tmux")}
	// set-clipboard on: an OSC 52 that reached tmux would become a buffer.
	tm.run("-f", "/dev/null", "start-server", ";", "set-option", "-s", "set-clipboard", "on", ";", "new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h),
		"env", "TERM=xterm-256color", "sh", "-c", command+"; echo EXITED $?; sleep 60")
	t.Cleanup(func() { exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })
	return tm
}

func (tm *tmux) run(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (tm *tmux) keys(keys ...string) { tm.run(append([]string{"send-keys", "-t", "e2e"}, keys...)...) }

func (tm *tmux) capture() string { return tm.run("capture-pane", "-p", "-t", "e2e") }

func (tm *tmux) title() string {
	return strings.TrimSpace(tm.run("display-message", "-p", "-t", "e2e", "#{pane_title}"))
}

// waitFor polls the pane until it shows every text; the limit only turns a
// hang into a failure.
func (tm *tmux) waitFor(texts ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(termtest.Patience)
	for {
		s := tm.capture()
		ok := true
		for _, want := range texts {
			ok = ok && strings.Contains(s, want)
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("pane never showed %q:\n%s", texts, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitBuffer polls tmux's paste buffer until it holds want: a clipboard
// sequence can reach tmux after the frame that says it was sent.
func (tm *tmux) waitBuffer(want string) {
	tm.t.Helper()
	deadline := time.Now().Add(termtest.Patience)
	for {
		out, _ := exec.Command("tmux", "-S", tm.socket, "show-buffer").CombinedOutput()
		if strings.TrimSpace(string(out)) == want {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("clipboard holds %q, want %q", out, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestEndToEndInTmux(t *testing.T) {
	db := demoDB(t, "120")
	tm := newTmux(t, 120, 36, fmt.Sprintf("%s review --db %s --as carol", bin, db))
	tm.waitFor("120 pending", "carol", "flagged")
	tm.keys("X", "a") // X: sensitive text shown, so it may be approved
	tm.waitFor("Approved #", "119 pending", "1 decided this session")
	tm.keys("r", "1", "Enter")
	tm.waitFor("Rejected #", "118 pending")
	tm.keys("tab")
	screen := tm.waitFor("AGE DECISION", "in force")
	if !strings.Contains(screen, "reject") || !strings.Contains(screen, "approve") {
		t.Fatalf("My decisions tab:\n%s", screen)
	}
	tm.keys("?")
	tm.waitFor("esc, q or ? closes", "undo: my last decision")
	tm.keys("q") // closes help
	tm.waitFor("AGE DECISION")
	tm.keys("q")
	tm.waitFor("EXITED 0")

	var s struct {
		Pending, Approved, Rejected, Decisions int
		ByReviewer                             map[string]int `json:"by_reviewer"`
	}
	r := triage(t, "", "stats", "--db", db, "--json")
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("stats --json: %v: %q", err, r.stdout)
	}
	if s.Pending != 118 || s.Approved != 1 || s.Rejected != 1 || s.Decisions != 2 || s.ByReviewer["carol"] != 2 {
		t.Fatalf("stats after the session: %+v", s)
	}
	if c := triage(t, "", "check", "--db", db); c.code != 0 {
		t.Fatalf("check: %+v", c)
	}
}

func TestFindAndFocusInTmux(t *testing.T) {
	db := demoDB(t, "200")
	if r := triage(t, "", "view", "save", "fraud", "category:fraud", "--db", db); r.code != 0 {
		t.Fatalf("view save: %+v", r)
	}
	tm := newTmux(t, 120, 36, fmt.Sprintf("%s review --db %s --as erin --view fraud", bin, db))
	screen := tm.waitFor("[view fraud: category:fraud]", "flagged")
	for _, line := range strings.Split(screen, "\n")[2:8] {
		if !strings.Contains(line, "fraud") {
			t.Fatalf("a row outside the view: %q\n%s", line, screen)
		}
	}
	tm.keys("/")
	tm.waitFor("Search:")
	tm.keys("-l", "требу")
	tm.keys("Enter")
	tm.waitFor("Search “требу”")
	tm.keys("Escape")
	tm.waitFor("Search closed.")
	tm.keys("S")
	tm.waitFor("Decisions per hour, by reviewer", "Queue by category")
	tm.keys("Escape")
	tm.waitFor("flagged")
	tm.keys("q")
	tm.waitFor("EXITED 0")
	if c := triage(t, "", "check", "--db", db); c.code != 0 {
		t.Fatalf("check: %+v", c)
	}
}

func TestHostilePostCannotRetitleThePane(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	lines := `{"platform":"telegram","external_id":"1","category":"fraud","severity":5,"text":"hi\u001b]0;PWNED\u0007\u001b]2;PWNED2\u0007\u001b]52;c;ZWNobyBwd25lZA==\u0007 there"}` + "\n" +
		`{"platform":"vk","external_id":"2","category":"fraud","author":"\u001b]0;AUTHOR-PWNED\u0007eve","text":"second \u001b[2J"}` + "\n"
	if r := triage(t, lines, "import", "--db", db, "-"); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	tm := newTmux(t, 100, 30, fmt.Sprintf("%s review --db %s --as dave", bin, db))
	tm.waitFor("hi␛]0;PWNED␇")
	tm.keys("j")
	tm.waitFor("␛]0;AUTHOR-PWNED␇eve")
	if title := tm.title(); title != "triage — dave" {
		t.Fatalf("pane title is %q", title)
	}
	out, err := exec.Command("tmux", "-S", tm.socket, "show-buffer").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "no buffers") {
		t.Fatalf("a post wrote the clipboard: %q", out)
	}
}

// A tmux test leaves nothing behind: its server's socket goes with the
// test (they piled up in /tmp as triage-test-*).
func TestTmuxLeavesNoSocket(t *testing.T) {
	var socket string
	t.Run("session", func(t *testing.T) {
		tm := newTmux(t, 40, 5, "echo hello")
		tm.waitFor("hello")
		socket = tm.socket
		if _, err := os.Stat(socket); err != nil {
			t.Fatalf("no socket at %s: %v", socket, err)
		}
	})
	if _, err := os.Stat(socket); !os.IsNotExist(err) {
		t.Fatalf("the tmux socket %s outlived its test (%v)", socket, err)
	}
}
