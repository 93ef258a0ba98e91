package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"triage/model"
)

// A packet row set back to "writing", or deleted, cannot hide a packet that
// went out: the schema refuses both, and with its guards dropped (as
// someone with the database could) the manifest on disk is still checked
// against the chain.
func TestVerifyCannotBeBlindedByPacketRows(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	importLines(t, s, fraudPosts(3)...)
	rejectAll(t, s, 1, 2)
	p, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(p) != 1 {
		t.Fatal(p, err)
	}
	b, _ := os.ReadFile(p[0].File)
	os.WriteFile(p[0].File, []byte(strings.Replace(string(b), "vk", "evil", 1)+"x"), 0o644)
	for _, q := range []string{`UPDATE takedown_packets SET state = 'writing'`, `DELETE FROM takedown_packets`} {
		if _, err := s.w.Exec(q); err == nil || !strings.Contains(err.Error(), "takedown packet") {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, g := range []string{"takedown_packets_fixed", "takedown_packets_no_delete"} {
		if _, err := dropTrigger(s, g); err != nil {
			t.Fatal(err)
		}
	}
	s.w.Exec(`UPDATE takedown_packets SET state = 'writing'`)
	if res, _ := s.Verify(ctx, VerifyOptions{}); res.OK() {
		t.Fatalf("a packet set back to writing hid its edited file: %+v", res)
	}
	s.w.Exec(`UPDATE posts SET takedown_packet = NULL`)
	if _, err := s.w.Exec(`DELETE FROM takedown_packets`); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.Verify(ctx, VerifyOptions{}); !res.OK() {
		t.Fatalf("without packet rows there is nothing to check: %+v", res)
	}
	res, err := s.Verify(ctx, VerifyOptions{Packets: []string{dir}})
	if all := strings.Join(res.Problems, "\n"); err != nil || !strings.Contains(all, "no longer match") || !strings.Contains(all, "no record of packet 1") {
		t.Fatalf("--manifests missed the edited packet: %+v %v", res, err)
	}
}

// A file someone put at a packet's predictable name does not block the
// packet: it moves to a fresh name, and the other file is left alone.
func TestPacketMovesFromATakenName(t *testing.T) {
	s, clk := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	importLines(t, s, fraudPosts(2)...)
	rejectAll(t, s, 1)
	taken := filepath.Join(dir, packetName("vk", clk.now(), 1, KindTakedown, FormatCSV))
	os.WriteFile(taken, []byte("planted\n"), 0o644)
	p, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(p) != 1 || p[0].File == taken {
		t.Fatalf("%+v %v", p, err)
	}
	if b, _ := os.ReadFile(taken); string(b) != "planted\n" {
		t.Fatalf("the planted file changed: %q", b)
	}
	if rows := packetRows(t, p[0].File); len(rows) != 2 {
		t.Fatalf("packet rows %v", rows)
	}
	if res, _ := s.Verify(ctx, VerifyOptions{}); !res.OK() {
		t.Fatalf("verify after the move: %+v", res)
	}
	// A killed writer's temporary file is cleaned by the next run.
	stale := filepath.Join(dir, ".x.csv.999999999-abc.partial")
	os.WriteFile(stale, []byte("half"), 0o644)
	rejectAll(t, s, 2)
	clk.add(time.Minute)
	s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatal("a dead writer's partial file was left")
	}
}

// The year-1 time is not "absent"; a BOM is not part of a platform's name;
// check reports extra fields that are not JSON.
func TestSmallerImportFixes(t *testing.T) {
	s := openTemp(t)
	res, errs := importLines(t, s, `{"platform":"vk","external_id":"1","text":"t","category":"fraud","flagged_at":"0001-01-01T00:00:00Z"}`,
		`{"platform":"\ufeffvk","external_id":"2","text":"t","category":"fraud"}`)
	if res.Imported != 1 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "before 1990") {
		t.Fatalf("%+v %v", res, errs)
	}
	f, _ := s.Facets(context.Background())
	if strings.Join(f.Platforms, ",") != "vk" {
		t.Fatalf("platforms %q", f.Platforms)
	}
	editPostBehindBack(t, s, 1, `extra = '{broken'`)
	if rep, _ := s.Check(context.Background()); !strings.Contains(strings.Join(rep.Problems, "\n"), "not valid JSON") {
		t.Fatalf("check missed broken extras: %v", rep.Problems)
	}
}

// A read-only store answers reads and refuses writes.
func TestReadOnlyStore(t *testing.T) {
	path := testDB(t)
	s, err := Open(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	importLines(t, s, fraudPosts(2)...)
	s.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if res, err := ro.Verify(context.Background(), VerifyOptions{}); err != nil || !res.OK() {
		t.Fatalf("verify read-only: %+v %v", res, err)
	}
	if _, err := ro.Decide(context.Background(), model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "a"}, Action: model.ActionApprove, ReasonCode: "FRD-NONE"}); err != ErrReadOnly {
		t.Fatalf("a read-only store decided: %v", err)
	}
}

// A packet whose files were written but which a crash left "writing" is not
// a problem for verify: the next takedowns run marks it sent.
func TestVerifyAcceptsACrashInterruptedPacket(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	importLines(t, s, fraudPosts(2)...)
	rejectAll(t, s, 1, 2)
	id, err := s.cutPacket(ctx, KindTakedown, "vk", TakedownOptions{Dir: dir, Format: FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	p := Packet{ID: id, Kind: KindTakedown, Platform: "vk", Posts: 2}
	var head string
	var created int64
	s.r.QueryRow(`SELECT file, chain_head, created_at FROM takedown_packets WHERE id = ?`, id).Scan(&p.File, &head, &created)
	if _, err := s.writePacketFiles(ctx, &p, FormatCSV, head, created); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Verify(ctx, VerifyOptions{}); err != nil || !res.OK() {
		t.Fatalf("a packet interrupted before it was marked sent: %+v %v", res, err)
	}
	// Its file is still checked against its manifest.
	os.WriteFile(p.File, []byte("tampered\n"), 0o644)
	if res, _ := s.Verify(ctx, VerifyOptions{}); res.OK() {
		t.Fatal("a tampered file of an unfinished packet passed")
	}
}
