package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"triage/data"
	"triage/model"
)

// rejectSome rejects the first n posts of the queue through the store, as a
// reviewer's session would.
func rejectSome(t *testing.T, db string, n int) {
	t.Helper()
	st, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	a := model.Actor{Reviewer: "ann"}
	a.Session, _ = st.StartSession(ctx, a, data.OriginLocal)
	defer st.EndSession(ctx, a.Session)
	// One reviewer holds at most the policy's limit of posts at a time:
	// claimed and rejected a batch at a time.
	for done := 0; done < n; {
		got, _ := st.Claim(ctx, a.Session, min(n-done, model.ClaimBatch), time.Hour)
		if got == 0 {
			return
		}
		done += got
		rejectHeld(t, st, a, got)
	}
}

// rejectHeld rejects the n posts a's session holds, with a reason that
// needs no second reviewer.
func rejectHeld(t *testing.T, st *data.Store, a model.Actor, n int) {
	t.Helper()
	ctx := context.Background()
	items, _ := st.Page(ctx, model.PageQuery{Queue: model.QueuePending, Actor: a, Dir: model.First, Limit: n})
	for _, it := range items {
		// A reason that needs no second reviewer: these are to be sent.
		c, _ := st.Policy().Category(it.Category)
		code := ""
		for _, r := range c.Violations() {
			if code == "" && !st.Policy().NeedsSecondReview(c.Key, r.Code) {
				code = r.Code
			}
		}
		if _, err := st.Decide(ctx, model.Decision{PostID: it.PostID, Actor: a, Action: model.ActionReject, ReasonCode: code}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestHandOffCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "h.db")
	csvIn := filepath.Join(dir, "flags.csv")
	os.WriteFile(csvIn, []byte("\uFEFFplatform,external_id,text,category,severity,batch\n"+
		"vk,1,\"два\nабзаца\",fraud,4,b1\nvk,2,x,fraud,3,b1\ntelegram,3,y,drugs,5,b2\nvk,4,z,astrology,1,b2\n"), 0o644)
	r := triage(t, "", "import", "--db", db, csvIn)
	if r.code != 1 || !strings.Contains(r.stderr, csvIn+":6: field category") || !strings.Contains(r.stdout, "imported 3, merged 0, rejected 1") {
		t.Fatalf("csv import: %+v", r)
	}
	rejectSome(t, db, 3)

	out := filepath.Join(dir, "packets")
	if r := triage(t, "", "takedowns", "--db", db, "--out", out, "--dry-run"); r.code != 0 || !strings.Contains(r.stdout, "would write") {
		t.Fatalf("dry run: %+v", r)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("--dry-run created the output directory")
	}
	r = triage(t, "", "takedowns", "--db", db, "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "takedowns: 2 packets, 3 posts") {
		t.Fatalf("takedowns: %+v", r)
	}
	if r := triage(t, "", "takedowns", "--db", db, "--out", out); !strings.Contains(r.stdout, "takedowns: 0 packets, 0 posts") {
		t.Fatalf("re-run: %+v", r)
	}
	files, _ := filepath.Glob(filepath.Join(out, "vk-*.csv"))
	if len(files) != 1 {
		t.Fatalf("vk packets: %v", files)
	}

	expFile := filepath.Join(dir, "rejected.jsonl")
	if r := triage(t, "", "export", "--db", db, "--status", "rejected", "--out", expFile); r.code != 0 || !strings.Contains(r.stderr, "3 decided posts") {
		t.Fatalf("export: %+v", r)
	}
	raw, _ := os.ReadFile(expFile)
	var first map[string]any
	json.Unmarshal([]byte(strings.SplitN(string(raw), "\n", 2)[0]), &first)
	if first["batch"] != "b1" || first["text"] != "два\nабзаца" || first["decision"].(map[string]any)["reviewer"] != "ann" {
		t.Fatalf("exported record: %v", first)
	}
	if r := triage(t, "", "export", "--db", db, "--status", "maybe"); r.code == 0 || !strings.Contains(r.stderr, "flag --status") {
		t.Fatalf("bad --status: %+v", r)
	}

	outcomes := filepath.Join(dir, "out.jsonl")
	os.WriteFile(outcomes, []byte(`{"platform":"vk","external_id":"1","outcome":"removed"}`+"\n"+`{"platform":"vk","external_id":"999","outcome":"removed"}`+"\n"), 0o644)
	r = triage(t, "", "outcomes", "--db", db, outcomes)
	if r.code != 1 || !strings.Contains(r.stderr, outcomes+`:2: no post "999" on "vk"`) || !strings.Contains(r.stdout, "recorded 1, rejected 1") {
		t.Fatalf("outcomes: %+v", r)
	}
	var stats struct {
		Platforms map[string]data.PlatformStats `json:"platforms"`
	}
	json.Unmarshal([]byte(triage(t, "", "stats", "--db", db, "--json").stdout), &stats)
	if vk := stats.Platforms["vk"]; vk.Sent != 2 || vk.Removed != 1 || vk.StillUp != 1 || vk.RemovalRate != 0.5 {
		t.Fatalf("platform stats: %+v", stats.Platforms)
	}

	if r := triage(t, "", "verify", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "verify ok") {
		t.Fatalf("verify: %+v", r)
	}
	h, _ := sql.Open("sqlite3", db)
	h.Exec(`DROP TRIGGER events_append_only_update`)
	h.Exec(`UPDATE events SET reason_code = 'FRD-PHISH' WHERE id = 2`)
	h.Close()
	if r := triage(t, "", "verify", "--db", db); r.code != 1 || !strings.Contains(r.stdout, "verify FAILED") || !strings.Contains(r.stdout, "event 2 ") {
		t.Fatalf("tampered verify: %+v", r)
	}
}
