package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportCommandReportsLinesAndExitStatus(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "q.db")
	file := filepath.Join(dir, "flags.jsonl")
	os.WriteFile(file, []byte(strings.Join([]string{
		`{"platform":"vk","text":"a","category":"fraud","external_id":"1"}`,
		`{"platform":"vk","text":"a","category":"fraud","external_id":"1","reports":2}`,
		`{"platform":"vk","text":"b","category":"weather","external_id":"2"}`,
		`{oops`,
		`{"platform":"tiktok","text":"c","category":"drugs","url":"https://www.tiktok.com/@a/video/1"}`,
	}, "\n")+"\n"), 0o644)
	r := triage(t, "", "import", "--db", db, file)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %+v", r.code, r)
	}
	errs := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(errs) != 2 || !strings.HasPrefix(errs[0], file+":3: field category") || !strings.HasPrefix(errs[1], file+":4: invalid JSON") {
		t.Fatalf("stderr %q", r.stderr)
	}
	if !strings.Contains(r.stdout, "imported 2, merged 1, rejected 2") {
		t.Fatalf("summary %q", r.stdout)
	}
	var s map[string]any
	out := triage(t, "", "stats", "--db", db, "--json")
	if err := json.Unmarshal([]byte(out.stdout), &s); err != nil || s["pending"] != 2.0 {
		t.Fatalf("stats %q", out.stdout)
	}

	strict := triage(t, `{"platform":"x","text":"new","category":"fraud","external_id":"9"}`+"\nnot json\n", "import", "--db", db, "--strict", "-")
	if strict.code != 1 || !strings.Contains(strict.stderr, "-:2: invalid JSON") || !strings.Contains(strict.stdout, "nothing written") {
		t.Fatalf("strict: %+v", strict)
	}
	out = triage(t, "", "stats", "--db", db, "--json")
	json.Unmarshal([]byte(out.stdout), &s)
	if s["pending"] != 2.0 {
		t.Fatalf("strict import wrote: %s", out.stdout)
	}
	if r := triage(t, "", "import", "--db", db, filepath.Join(dir, "absent.jsonl")); r.code == 0 || !strings.Contains(r.stderr, "absent.jsonl") {
		t.Fatalf("missing file: %+v", r)
	}
}
