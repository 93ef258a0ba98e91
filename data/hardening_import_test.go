package data

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// A field name or value holding control characters is stored as valid JSON,
// and export of the whole database keeps working.
func TestUnknownFieldsAreStoredAsJSON(t *testing.T) {
	s := openTemp(t)
	_, errs := importLines(t, s,
		`{"platform":"vk","external_id":"1","text":"t","category":"fraud","\u0007bell":"\u0007\u009b[31m","nested":{"k\u0001":["\u007f",1e400,true,null]}}`)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var extra string
	s.r.QueryRow(`SELECT extra FROM posts WHERE id = 1`).Scan(&extra)
	if !json.Valid([]byte(extra)) {
		t.Fatalf("stored extra is not JSON: %q", extra)
	}
	var got map[string]any
	json.Unmarshal([]byte(extra), &got)
	if got["\abell"] != "\a\u009b[31m" {
		t.Fatalf("field not kept exactly: %q", extra)
	}
}

// A database written before the fix, with Go-quoted extras, is repaired by
// the migration: every row becomes valid JSON with the same fields.
func TestMigrationRepairsStoredExtras(t *testing.T) {
	db, path := atSchema(t, 4)
	bad := []string{
		`{"\abell":"\a","n":1,"x":{"k\x01":["\x7f",true,null]}}`,
		`{"plain":"ok"}`,
		`{not json at all`,
	}
	for i, e := range bad {
		if _, err := db.Exec(`INSERT INTO posts (id, dedup_key, platform, text, category, flagged_at, prio, extra) VALUES (?, ?, 'vk', 't', 'fraud', 1, 1, ?)`,
			i+1, fmt.Sprint("k", i), e); err != nil {
			t.Fatal(err)
		}
	}
	s := migrated(t, db, path)
	rows, _ := s.r.Query(`SELECT id, extra FROM posts ORDER BY id`)
	defer rows.Close()
	var got []map[string]any
	for rows.Next() {
		var id int
		var extra string
		rows.Scan(&id, &extra)
		var m map[string]any
		if err := json.Unmarshal([]byte(extra), &m); err != nil {
			t.Fatalf("post %d: extra still not JSON after migration: %q", id, extra)
		}
		got = append(got, m)
	}
	if len(got) != 3 || got[0]["\abell"] != "\a" || got[0]["x"].(map[string]any)["k\x01"].([]any)[0] != "\x7f" ||
		got[1]["plain"] != "ok" || got[2]["_unreadable"] != `{not json at all` {
		t.Fatalf("repaired extras %v", got)
	}
	var n int
	if _, err := s.Export(context.Background(), ExportFilter{}, func(Decided) error { n++; return nil }); err != nil {
		t.Fatalf("export after repair: %v", err)
	}
}

// Hostile lines are refused by line, with one short clean message each.
func TestImportRefusesHiddenAndImpossibleValues(t *testing.T) {
	s := openTemp(t)
	deep := strings.Repeat("[", 5000)
	res, errs := importLines(t, s,
		`{"platform":"vk","external_id":"1","text":"buy\u0000 recruitment hidden","category":"fraud"}`,
		`{"platform":"vk","external_id":"2","text":"   \t ","category":"fraud"}`,
		`{"platform":"vk","external_id":"3","text":"t","category":"fraud","flagged_at":"9999-01-01T00:00:00Z"}`,
		`{"platform":"vk","text":"t","category":"fraud","url":"https://user:pass@host/"}`,
		`{"platform":"vk","text":"t","category":"fraud","url":"https://host:99999/"}`,
		`{"platform":"vk","external_id":"6","text":"\u200b\u200d","category":"fraud"}`,
		`{"platform":"vk","external_id":"7","author":"a\u0000b","text":"t","category":"fraud"}`,
		deep,
		`{"platform":"vk","external_id":"9","text":"fine","category":"fraud","url":"HTTPS://Example.COM/Path/"}`,
	)
	want := []string{"NUL byte in text", "field text: empty", "is in the future", "credentials", "port 99999", "field text: empty", "field author: NUL byte", "invalid JSON"}
	if res.Imported != 1 || len(errs) != len(want) {
		t.Fatalf("imported %d, errors %v", res.Imported, errs)
	}
	for i, e := range errs {
		msg := e.Error()
		if e.Line != i+1 || !strings.Contains(msg, want[i]) || len(msg) > 260 || strings.ContainsAny(msg, "\n\x1b") {
			t.Errorf("line %d: %q, want %q in one short line", e.Line, msg, want[i])
		}
	}
	var url string
	s.r.QueryRow(`SELECT url FROM posts`).Scan(&url)
	if url != "https://example.com/Path" {
		t.Fatalf("url stored as %q", url)
	}
}

// Every short field has a limit: a record over one is refused with the line
// and the field named, and nothing of it is stored.
func TestImportRefusesOversizedShortFields(t *testing.T) {
	s := openTemp(t)
	long := func(n int) string { return strings.Repeat("a", n) }
	lines := []string{
		`{"platform":"vk","text":"ok","category":"fraud","url":"https://vk.com/` + long(8<<10) + `"}`,
		`{"platform":"vk","text":"ok","category":"fraud","external_id":"1","author":"` + long(2000) + `"}`,
		`{"platform":"` + long(100) + `","text":"ok","category":"fraud","external_id":"2"}`,
		`{"platform":"vk","text":"ok","category":"fraud","external_id":"` + long(1025) + `"}`,
		`{"platform":"vk","text":"ok","category":"fraud","url":"https://vk.com/` + long(8000) + `"}`,
	}
	res, errs := importLines(t, s, lines...)
	want := []string{"in.jsonl:1: field url: 8207 bytes, over the 8192-byte limit", "in.jsonl:2: field author: 2000 bytes",
		"in.jsonl:3: field platform: 100 bytes", "in.jsonl:4: field external_id: 1025 bytes"}
	if res.Imported != 1 || len(errs) != len(want) {
		t.Fatalf("imported %d, errors %v", res.Imported, errs)
	}
	for i, e := range errs {
		if !strings.HasPrefix(e.Error(), want[i]) {
			t.Errorf("error %d: %q, want %q…", i, e.Error(), want[i])
		}
	}
}

// An identifier a platform is told to find a post by must be what it looks
// like: platform, external id, URL and author id holding bidi controls,
// tag characters, other format characters or controls are refused (the
// platform was silently stripped; the others reached packets as
// placeholders or raw).
func TestImportRefusesHiddenCharactersInIdentifiers(t *testing.T) {
	s := openTemp(t)
	lines := []string{
		`{"platform":"tele\u202Egram","text":"ok","category":"fraud","external_id":"1"}`,
		`{"platform":"vk","text":"ok","category":"fraud","external_id":"h7\uDB40\uDC78"}`,
		`{"platform":"vk","text":"ok","category":"fraud","url":"https://exa\u202Emple.com/x"}`,
		`{"platform":"vk","text":"ok","category":"fraud","external_id":"4","author_id":"id\u200B4"}`,
		`{"platform":"vk","text":"ok \u202E but text may","category":"fraud","external_id":"5","author":"and \u202E authors"}`,
	}
	res, errs := importLines(t, s, lines...)
	want := []string{"in.jsonl:1: field platform: holds an invisible or control character (U+202E)", "in.jsonl:2: field external_id",
		"in.jsonl:3: field url", "in.jsonl:4: field author_id"}
	if res.Imported != 1 || len(errs) != len(want) {
		t.Fatalf("imported %d, errors %v", res.Imported, errs)
	}
	for i, e := range errs {
		if !strings.HasPrefix(e.Error(), want[i]) {
			t.Errorf("error %d: %q, want %q…", i, e.Error(), want[i])
		}
	}
}
