package data

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
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
	if vk.Posts != 2 || filepath.Base(vk.File) != "vk-20261120T090000Z.csv" {
		t.Fatalf("vk packet %+v", vk)
	}
	if base := filepath.Base(byPlatform["evil/../platform"].File); base != "evil____platform-20261120T090000Z.csv" {
		t.Fatalf("hostile platform name became file %q", base)
	}
	rows := packetRows(t, vk.File)
	if len(rows) != 4 || strings.Join(rows[0], ",") != strings.Join(takedownColumns, ",") {
		t.Fatalf("vk rows %v", rows)
	}
	if rows[1][0] != "https://x.y/a" || rows[1][4] != "FRD-INV" || !strings.Contains(rows[1][5], "fraud") || rows[1][7] != "alice" || len(rows[1][8]) != 64 {
		t.Fatalf("vk row %v", rows[1])
	}
	head, n, _ := s.ChainHead(ctx)
	if last := rows[3]; last[0] != "#chain_head" || last[1] != head || last[3] != "5" || n != 5 {
		t.Fatalf("trailer %v, chain head %s (%d)", last, head, n)
	}
	// A re-run sends nothing new; a new rejection goes in a new packet alone.
	if again, _ := s.Takedowns(ctx, TakedownOptions{Dir: dir}); len(again) != 0 {
		t.Fatalf("re-run sent %+v", again)
	}
	decide(t, s, 4, "alice", model.ActionUndo, "")
	rejectAll(t, s, 4)
	clk.add(time.Minute)
	next, _ := s.Takedowns(ctx, TakedownOptions{Dir: dir, Platform: "vk"})
	if len(next) != 1 || next[0].Posts != 1 || len(packetRows(t, next[0].File)) != 3 {
		t.Fatalf("second vk packet %+v", next)
	}
}

func TestTakedownsSurviveACrashBetweenWritingAndMarking(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	importLines(t, s, fraudPosts(6)...)
	rejectAll(t, s, 1, 2, 3)
	// Crash 1: the packet was cut but its file never finished.
	id, err := s.cutPacket(ctx, "vk", TakedownOptions{Dir: dir, Format: FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	var file string
	s.r.QueryRow(`SELECT file FROM takedown_packets WHERE id = ?`, id).Scan(&file)
	os.WriteFile(file+".partial", []byte("url,exter"), 0o644)
	rejectAll(t, s, 4)
	clk.add(time.Minute)
	// The next run finishes the crashed packet (same three posts) and cuts
	// a new one for the post rejected since: nothing lost, nothing twice.
	packets, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(packets) != 2 || !packets[0].Resumed || packets[0].Posts != 3 || packets[1].Posts != 1 {
		t.Fatalf("after crash 1: %+v %v", packets, err)
	}
	if rows := packetRows(t, packets[0].File); len(rows) != 5 {
		t.Fatalf("resumed packet rows %v", rows)
	}
	seen := map[string]int{}
	for _, p := range packets {
		for _, r := range packetRows(t, p.File)[1:] {
			if r[0] != "#chain_head" {
				seen[r[1]]++
			}
		}
	}
	for ext, n := range seen {
		if n != 1 {
			t.Fatalf("post %s sent %d times", ext, n)
		}
	}
	// Crash 2: the file was complete and renamed, but not marked sent. The
	// re-run rewrites the identical file and marks it.
	rejectAll(t, s, 5)
	clk.add(time.Minute)
	id, _ = s.cutPacket(ctx, "vk", TakedownOptions{Dir: dir, Format: FormatCSV})
	s.r.QueryRow(`SELECT file FROM takedown_packets WHERE id = ?`, id).Scan(&file)
	var head string
	s.r.QueryRow(`SELECT chain_head FROM takedown_packets WHERE id = ?`, id).Scan(&head)
	sum1, err := s.writePacketFile(ctx, id, file, FormatCSV, head)
	if err != nil {
		t.Fatal(err)
	}
	packets, _ = s.Takedowns(ctx, TakedownOptions{Dir: dir})
	var sum2 string
	s.r.QueryRow(`SELECT sha256 FROM takedown_packets WHERE id = ?`, id).Scan(&sum2)
	if len(packets) != 1 || !packets[0].Resumed || sum1 != sum2 {
		t.Fatalf("after crash 2: %+v, sums %s %s", packets, sum1, sum2)
	}
}
