package data

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"triage/model"
)

func exportAll(t *testing.T, s *Store, f ExportFilter, format string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewExportWriter(&buf, format, s.policy)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Export(context.Background(), f, w.Write); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportDecideExportRoundTrip(t *testing.T) {
	s, clk := openClocked(t)
	importLines(t, s,
		`{"platform":"telegram","external_id":"a1","url":"https://t.me/c/1","text":"Ищем бойцов <срочно> & \"быстро\"","category":"recruitment","author":"Нұрлан","severity":5,"campaign":{"id":7,"tags":["x"]},"seen_by":["ngo"],"score":0.25}`,
		`{"platform":"vk","external_id":"b2","text":"fine","category":"fraud"}`,
		`{"platform":"vk","external_id":"c3","text":"pending","category":"fraud"}`,
		`{"platform":"telegram","external_id":"a1","text":"Ищем бойцов","category":"recruitment","reason":"again","reports":2}`)
	sess, _ := s.StartSession(context.Background(), model.Actor{Reviewer: "alice"}, OriginLocal)
	alice := model.Actor{Reviewer: "alice", Session: sess, KeyFP: "SHA256:abc"}
	s.Claim(context.Background(), sess, 10, time.Hour)
	if _, err := s.Decide(context.Background(), model.Decision{PostID: 1, Actor: alice, Action: model.ActionReject, ReasonCode: "REC-AD", Note: "clear ad"}); err != nil {
		t.Fatal(err)
	}
	// REC-AD needs four eyes: bob confirms it.
	if _, err := s.Decide(context.Background(), model.Decision{PostID: 1, Actor: model.Actor{Reviewer: "bob"}, Action: model.ActionConfirm}); err != nil {
		t.Fatal(err)
	}
	clk.add(time.Hour)
	if _, err := s.Decide(context.Background(), model.Decision{PostID: 2, Actor: alice, Action: model.ActionApprove, ReasonCode: "FRD-NONE"}); err != nil {
		t.Fatal(err)
	}
	out := exportAll(t, s, ExportFilter{}, FormatJSONL)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		t.Fatalf("exported %d records, want the 2 decided posts:\n%s", len(lines), out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got["text"] != `Ищем бойцов <срочно> & "быстро"` || got["author"] != "Нұрлан" || got["status"] != "rejected" || got["severity"] != 5.0 {
		t.Fatalf("post fields: %v", got)
	}
	if c := got["campaign"].(map[string]any); c["id"] != 7.0 || got["score"] != 0.25 || got["seen_by"].([]any)[0] != "ngo" {
		t.Fatalf("unknown fields not preserved: %v", got)
	}
	d := got["decision"].(map[string]any)
	if d["action"] != "reject" || d["reason_code"] != "REC-AD" || d["reviewer"] != "alice" || d["key_fingerprint"] != "SHA256:abc" ||
		d["note"] != "clear ad" || !strings.Contains(d["legal_basis"].(string), "mercenarism") || d["reason_label"] != "Recruitment advertisement" ||
		d["confirmed_by"] != "bob" {
		t.Fatalf("decision: %v", d)
	}
	if flags := got["flags"].([]any); len(flags) != 2 || flags[1].(map[string]any)["reason"] != "again" {
		t.Fatalf("flags: %v", got["flags"])
	}
	// Filters: by status and by decision time.
	if out := exportAll(t, s, ExportFilter{Status: model.StatusApproved}, FormatJSONL); bytes.Count(out, []byte("\n")) != 1 || !bytes.Contains(out, []byte(`"external_id":"b2"`)) {
		t.Fatalf("status filter: %s", out)
	}
	if out := exportAll(t, s, ExportFilter{Since: testNow.Add(30 * time.Minute)}, FormatJSONL); bytes.Count(out, []byte("\n")) != 1 {
		t.Fatalf("since filter: %s", out)
	}
	// CSV flattens the same.
	rows, err := csv.NewReader(bytes.NewReader(exportAll(t, s, ExportFilter{}, FormatCSV))).ReadAll()
	if err != nil || len(rows) != 3 || len(rows[0]) != len(exportColumns) {
		t.Fatalf("csv: %v %v", rows, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	r := rows[1]
	if r[col["text"]] != `Ищем бойцов <срочно> & "быстро"` || r[col["decision_reason_code"]] != "REC-AD" || !strings.Contains(r[col["extra"]], `"campaign":{"id":7`) {
		t.Fatalf("csv row: %v", r)
	}
}

// JSONL stays exact, and shows nothing hidden when printed: bidi controls
// and tag characters leave as \u escapes, which read back as themselves.
func TestJSONLExportEscapesHiddenCharacters(t *testing.T) {
	s := openTemp(t)
	text := "Warehouse job\U000E006A\U000E006F\U000E0069\U000E006E, good pay"
	author := "HR \u202EtpeD"
	b, _ := json.Marshal(map[string]any{"platform": "vk", "external_id": "1", "text": text, "author": author, "category": "fraud"})
	importLines(t, s, string(b))
	decide(t, s, 1, "alice", model.ActionApprove, "FRD-NONE")
	out := exportAll(t, s, ExportFilter{}, FormatJSONL)
	if bytes.ContainsRune(out, 0x202E) || bytes.ContainsRune(out, 0xE006A) || !bytes.Contains(out, []byte(`\u202e`)) {
		t.Fatalf("hidden characters left raw: %q", out)
	}
	var got map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(out), &got); err != nil {
		t.Fatal(err)
	}
	if got["text"] != text || got["author"] != author {
		t.Fatalf("read back %q / %q", got["text"], got["author"])
	}
}
