package data

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"triage/model"
)

func TestImportGoodMergedAndBadLines(t *testing.T) {
	s := openTemp(t)
	lines := []string{
		/* 1 */ `{"platform":"Telegram","text":"Join us","category":"recruitment","url":"https://t.me/x/1","severity":5,"campaign":{"id":7},"note":"kept"}`,
		/* 2 */ `{"platform":"telegram","text":"Join us","category":"recruitment","url":"https://t.me/x/1","reports":3,"reason":"again"}`,
		/* 3 */ `{"platform":"vk","text":"scam","category":"fraud","external_id":"A1"}`,
		/* 4 */ `not json`,
		/* 5 */ `{"platform":"vk","text":"x","category":"piracy","external_id":"A2"}`,
		/* 6 */ `{"platform":"vk","text":"x","category":"fraud","url":"javascript:alert(1)"}`,
		/* 7 */ ``,
		/* 8 */ `{"platform":"vk","text":"x","category":"fraud"}`,
		/* 9 */ `{"platform":"vk","text":5,"category":"fraud","external_id":"A3"}`,
		/* 10 */ "{\"platform\":\"vk\",\"text\":\"\xff\xfe\",\"category\":\"fraud\",\"external_id\":\"A4\"}",
		/* 11 */ `{"platform":"vk","text":"` + strings.Repeat("я", 40000) + `","category":"fraud","external_id":"A5"}`,
		/* 12 */ `{"platform":"vk","text":"ok","category":"fraud","external_id":"A6","severity":9}`,
		/* 13 */ `{"platform":"vk","text":"ok","category":"fraud","external_id":"A7","flagged_at":"yesterday"}`,
		/* 14 */ `{"platform":"vk","text":"ok","category":"fraud","external_id":"A8","reports":"3"}`,
		/* 15 */ `{"platform":"vk","text":"scam","category":"fraud","external_id":"A1","severity":4}`,
		/* 16 */ `[1,2]`,
	}
	res, errs := importLines(t, s, lines...)
	if res.Imported != 2 || res.Merged != 2 || res.Rejected != 11 || res.Blank != 1 {
		t.Fatalf("result %+v", res)
	}
	want := map[int]string{
		4: "invalid JSON", 5: `unknown category "piracy"`, 6: `scheme "javascript"`, 8: "missing field: url or external_id",
		9: "field text: want a string", 10: "invalid UTF-8", 11: "over the 65536-byte limit", 12: "field severity: 9 is out of range",
		13: "not an RFC 3339 time", 14: "field reports: want an integer", 16: "want an object",
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors: %v", len(errs), errs)
	}
	for _, e := range errs {
		w, ok := want[e.Line]
		if !ok || !strings.Contains(e.Error(), w) || !strings.HasPrefix(e.Error(), "in.jsonl:") {
			t.Errorf("line %d: %q, want %q", e.Line, e.Error(), w)
		}
	}
	ctx := context.Background()
	p, err := s.Post(ctx, model.Actor{Reviewer: "t"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Reports != 4 || len(p.Flags) != 2 || p.Flags[1].Reason != "again" || p.Severity != 5 || p.Platform != "telegram" {
		t.Fatalf("merged post: reports=%d flags=%d sev=%d platform=%s", p.Reports, len(p.Flags), p.Severity, p.Platform)
	}
	var extra map[string]any
	if err := json.Unmarshal(p.Extra, &extra); err != nil || extra["note"] != "kept" || extra["campaign"].(map[string]any)["id"] != 7.0 {
		t.Fatalf("unknown fields not kept: %s", p.Extra)
	}
	p2, _ := s.Post(ctx, model.Actor{Reviewer: "t"}, 2)
	if p2.Severity != 4 || p2.Reports != 2 {
		t.Fatalf("merge by external_id: %+v", p2.Post)
	}
	if !p2.FlaggedAt.Equal(testNow) {
		t.Fatalf("flagged_at default %v, want now", p2.FlaggedAt)
	}
	st, _ := s.Stats(ctx)
	if st.Pending != 2 {
		t.Fatalf("pending %d", st.Pending)
	}
}

func TestStrictImportWritesNothing(t *testing.T) {
	s := openTemp(t)
	importLines(t, s, `{"platform":"vk","text":"existing","category":"fraud","external_id":"E"}`)
	var errs []LineError
	var b strings.Builder
	for i := 0; i < 12000; i++ { // more than two batches, so a batch commit would show
		b.WriteString(`{"platform":"x","text":"t","category":"fraud","external_id":"` + string(rune('a'+i%26)) + strings.Repeat("z", i%50) + `"}` + "\n")
	}
	b.WriteString("{broken\n")
	res, err := s.Import(context.Background(), strings.NewReader(b.String()),
		ImportOptions{Name: "bad.jsonl", Strict: true, Report: func(e LineError) { errs = append(errs, e) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejected != 1 || len(errs) != 1 || errs[0].Line != 12001 {
		t.Fatalf("res %+v errs %v", res, errs)
	}
	st, _ := s.Stats(context.Background())
	if st.Pending != 1 {
		t.Fatalf("strict import wrote: pending=%d", st.Pending)
	}
	var flags int
	s.r.QueryRow("SELECT count(*) FROM flags").Scan(&flags)
	if flags != 1 {
		t.Fatalf("flags %d", flags)
	}
}

func TestImportOverlongLineIsSkipped(t *testing.T) {
	s := openTemp(t)
	long := `{"platform":"vk","text":"` + strings.Repeat("a", MaxLineBytes+10) + `","category":"fraud","external_id":"L"}`
	res, errs := importLines(t, s, long, `{"platform":"vk","text":"fine","category":"fraud","external_id":"F"}`)
	if res.Rejected != 1 || res.Imported != 1 || errs[0].Line != 1 || !strings.Contains(errs[0].Error(), "over 1 MiB") {
		t.Fatalf("res %+v errs %v", res, errs)
	}
}
