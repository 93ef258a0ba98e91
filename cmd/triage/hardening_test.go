package main

import (
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"triage/tui/termtest"
)

// checkTerminalSafe feeds what a command printed into a terminal emulator:
// no title may change, and no escape or C1 control may reach it, so neither
// an OSC 0 (title) nor an OSC 52 (clipboard) can act.
func checkTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	scr := termtest.NewScreen(200, 50, true)
	scr.Write([]byte(out))
	if titles := scr.Titles(); len(titles) != 0 {
		t.Fatalf("%s retitled the terminal: %q", what, titles)
	}
	if strings.ContainsAny(out, "\x1b\x07") || strings.ContainsRune(out, 0x9b) || strings.ContainsRune(out, 0x9d) {
		t.Fatalf("%s printed raw control bytes: %q", what, out)
	}
}

func TestOperatorTerminalGetsNoRawEscapes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	in := filepath.Join(dir, "flags.csv")
	os.WriteFile(in, []byte("platform,external_id,text,category,severity\n"+
		"vk,1,\"t\",\"\x1b]0;PWNED\x07\",\n"+
		"vk,2,\"t\",fraud,\"\x1b]52;c;cm0gLXJmIH4K\x07\"\n"+
		"vk,3,\"t\",fraud,\"\xc2\x9b31m\xc2\x9d0;x\x07\"\n"+
		"vk,4,fine,fraud,\n"), 0o644)
	r := triage(t, "", "import", "--db", db, in)
	if r.code != 1 || !strings.Contains(r.stderr, in+":2:") || !strings.Contains(r.stderr, "␛") && !strings.Contains(r.stderr, `\x1b`) {
		t.Fatalf("import: %+v", r)
	}
	checkTerminalSafe(t, "import errors", r.stdout+r.stderr)

	// A view's filter holds whatever was typed; listing it prints it safely.
	r = triage(t, "", "view", "save", "--db", db, "hostile", "platform:\x1b]0;PWNED\x07")
	checkTerminalSafe(t, "view save", r.stdout+r.stderr)
	r = triage(t, "", "view", "list", "--db", db)
	checkTerminalSafe(t, "view list", r.stdout+r.stderr)

	// --as with a raw 8-bit CSI is refused, and the refusal is safe too.
	r = triage(t, "", "review", "--db", db, "--as", "\x9b2J")
	oneLineError(t, r, "flag --as:")
	checkTerminalSafe(t, "review --as", r.stderr)
	r = triage(t, "", "reviewer", "add", "--db", db, "ev\u202eil", "--role", "lead", "--key", "ssh-ed25519 AAAA")
	oneLineError(t, r, "NAME:")

	// A file name is input too.
	hostileName := filepath.Join(dir, "x\x1b]0;PWNED\x07.jsonl")
	os.WriteFile(hostileName, []byte("{bad json\n"), 0o644)
	r = triage(t, "", "import", "--db", db, hostileName)
	checkTerminalSafe(t, "import of a hostile file name", r.stdout+r.stderr)
}

// Two takedowns runs at once: every rejected post ends up in exactly one
// complete file, each file matches its manifest, and a run that found the
// other one in progress exits 1 with one line and changed nothing.
func TestConcurrentTakedownsRuns(t *testing.T) {
	db := demoDB(t, "400")
	rejectSome(t, db, 150)
	out := filepath.Join(t.TempDir(), "packets")
	var wg sync.WaitGroup
	results := make([]result, 2)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i] = triage(t, "", "takedowns", "--db", db, "--out", out) }()
	}
	wg.Wait()
	for _, r := range results {
		switch {
		case r.code == 0:
		case r.code == 1 && strings.Count(r.stderr, "\n") == 1 && strings.Contains(r.stderr, "is in progress; nothing was changed"):
		default:
			t.Fatalf("a concurrent run: %+v", r)
		}
	}
	sent := map[string]int{}
	manifests, _ := filepath.Glob(filepath.Join(out, "*.manifest.json"))
	for _, m := range manifests {
		var man struct {
			File   string `json:"file"`
			Rows   int    `json:"rows"`
			SHA256 string `json:"sha256"`
		}
		b, _ := os.ReadFile(m)
		if err := json.Unmarshal(b, &man); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		raw, err := os.ReadFile(filepath.Join(out, man.File))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(raw)
		if hex.EncodeToString(sum[:]) != man.SHA256 {
			t.Fatalf("%s does not match its manifest", man.File)
		}
		rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
		if err != nil || len(rows) != man.Rows+1 {
			t.Fatalf("%s: %d rows, manifest says %d: %v", man.File, len(rows)-1, man.Rows, err)
		}
		for _, row := range rows[1:] {
			sent[row[0]+" "+row[1]]++
		}
	}
	if len(sent) != 150 {
		t.Fatalf("%d posts in packet files, 150 were rejected", len(sent))
	}
	for k, n := range sent {
		if n != 1 {
			t.Fatalf("%s sent %d times", k, n)
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(out, ".*")); len(entries) != 0 {
		t.Fatalf("temporary files left: %v", entries)
	}

	// While another live process holds the lock, a run changes nothing.
	rejectSome(t, db, 5)
	h, _ := sql.Open("sqlite3", db)
	host, _ := os.Hostname()
	holder := exec.Command("sleep", "60")
	holder.Start()
	defer holder.Process.Kill()
	h.Exec(`INSERT INTO run_locks VALUES ('takedowns', 'other', ?, ?, 0, 9e15)`, holder.Process.Pid, host)
	h.Close()
	before := dbFiles(t, db)
	r := triage(t, "", "takedowns", "--db", db, "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "is in progress; nothing was changed") {
		t.Fatalf("while locked: %+v", r)
	}
	var packets int
	h, _ = sql.Open("sqlite3", db+"?mode=ro")
	h.QueryRow(`SELECT count(*) FROM takedown_packets WHERE state = 'writing'`).Scan(&packets)
	h.Close()
	if packets != 0 {
		t.Fatalf("the locked-out run cut %d packets", packets)
	}
	_ = before
	holder.Process.Signal(syscall.SIGKILL)
	holder.Wait()
	// Its holder gone, the lock is taken over at once.
	if r := triage(t, "", "takedowns", "--db", db, "--out", out); r.code != 0 || !strings.Contains(r.stdout, "5 posts") {
		t.Fatalf("after the holder died: %+v", r)
	}
}

func TestSmallerCLIMistakes(t *testing.T) {
	dir := t.TempDir()
	// A failed --strict import leaves no new database behind.
	db := filepath.Join(dir, "new.db")
	r := triage(t, `{"platform":"vk","text":"x","category":"fraud","external_id":"1"}`+"\n{oops\n", "import", "--db", db, "--strict", "-")
	if r.code != 1 {
		t.Fatalf("strict import: %+v", r)
	}
	if m, _ := filepath.Glob(db + "*"); len(m) != 0 {
		t.Fatalf("a failed --strict import left %v", m)
	}
	// verify on an empty chain says so; reviewer list --json has no zero time.
	triage(t, `{"platform":"vk","text":"x","category":"fraud","external_id":"1"}`, "import", "--db", db, "-")
	if r := triage(t, "", "verify", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "no audit events yet") {
		t.Fatalf("empty verify: %+v", r)
	}
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
	if r := triage(t, "", "reviewer", "add", "--db", db, "ann", "--role", "reviewer", "--key", key); r.code != 0 {
		t.Fatalf("reviewer add: %+v", r)
	}
	if r := triage(t, "", "reviewer", "list", "--db", db, "--json"); r.code != 0 || strings.Contains(r.stdout, "0001-01-01") || strings.Contains(r.stdout, "last_seen") {
		t.Fatalf("reviewer list --json: %+v", r)
	}
	// With reviewers registered, --as must name one, and the error says so once.
	r = triage(t, "", "review", "--db", db, "--as", "mallory")
	oneLineError(t, r, "flag --as: reviewer mallory")
	if strings.Count(r.stderr, "flag --as") != 1 {
		t.Fatalf("doubled prefix: %q", r.stderr)
	}
}

// export --out replaces its file only when the new export is complete; a
// FIFO works, and standard output that is a terminal is refused.
func TestExportOutputIsWholeOrNothing(t *testing.T) {
	db := demoDB(t, "30")
	rejectSome(t, db, 5)
	dir := t.TempDir()
	out := filepath.Join(dir, "rejected.jsonl")
	if r := triage(t, "", "export", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	good, _ := os.ReadFile(out)
	// A stored row the exporter cannot read makes the export fail half-way.
	tamper(t, db, "posts_facts_fixed", `UPDATE posts SET extra = '{broken' WHERE id = (SELECT max(post_id) FROM events)`)
	if r := triage(t, "", "export", "--db", db, "--out", out); r.code == 0 {
		t.Fatalf("export of a broken row succeeded: %+v", r)
	}
	if now, _ := os.ReadFile(out); string(now) != string(good) {
		t.Fatal("a failed export changed the previous file")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) != 0 {
		t.Fatalf("temporary files left: %v", m)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	got := make(chan []byte)
	go func() { b, _ := os.ReadFile(fifo); got <- b }()
	tamper(t, db, "posts_facts_fixed", `UPDATE posts SET extra = NULL WHERE extra = '{broken'`)
	if r := triage(t, "", "export", "--db", db, "--out", fifo, "--format", "csv"); r.code != 0 {
		t.Fatalf("export to a FIFO: %+v", r)
	}
	if b := <-got; strings.Count(string(b), "\n") < 6 {
		t.Fatalf("FIFO got %q", b)
	}
}

// A lead retracts from the command line: the event carries the lead's name
// and the account that ran the command; a reviewer is refused; the next
// takedowns run writes the retractions file.
func TestRetractCommand(t *testing.T) {
	db := demoDB(t, "20")
	rejectSome(t, db, 2)
	out := filepath.Join(t.TempDir(), "packets")
	if r := triage(t, "", "takedowns", "--db", db, "--out", out); r.code != 0 {
		t.Fatalf("takedowns: %+v", r)
	}
	h, _ := sql.Open("sqlite3", db)
	var post int64
	h.QueryRow(`SELECT id FROM posts WHERE takedown_packet IS NOT NULL ORDER BY id LIMIT 1`).Scan(&post)
	h.Close()
	id := strconv.FormatInt(post, 10)
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
	triage(t, "", "reviewer", "add", "--db", db, "lena", "--role", "lead", "--key", key)
	triage(t, "", "reviewer", "add", "--db", db, "ann", "--role", "reviewer", "--key", strings.Replace(key, "GKJl", "GKJm", 1))
	oneLineError(t, triage(t, "", "retract", "--db", db, id, "--as", "ann", "--reason", "appeal"), "only a lead")
	oneLineError(t, triage(t, "", "retract", "--db", db, id, "--as", "lena"), "flag --reason")
	if r := triage(t, "", "retract", "--db", db, id, "--as", "lena", "--reason", "the author appealed"); r.code != 0 {
		t.Fatalf("retract: %+v", r)
	}
	me, _ := user.Current()
	h, _ = sql.Open("sqlite3", db+"?mode=ro")
	var who, fp, note string
	h.QueryRow(`SELECT reviewer, key_fp, note FROM events WHERE action = 'retract'`).Scan(&who, &fp, &note)
	h.Close()
	if who != "lena" || fp != "local:"+me.Username || note != "the author appealed" {
		t.Fatalf("retract event: %q %q %q", who, fp, note)
	}
	r := triage(t, "", "takedowns", "--db", db, "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "-retractions.csv: 1 retraction") {
		t.Fatalf("retractions run: %+v", r)
	}
	if r := triage(t, "", "check", "--db", db); r.code != 0 {
		t.Fatalf("check after a retraction: %+v", r)
	}
}
