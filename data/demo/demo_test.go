package demo

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func TestGenerateIsDeterministicAndVaried(t *testing.T) {
	var a, b, c bytes.Buffer
	Generate(&a, Options{Posts: 500, Seed: 1, Now: now})
	Generate(&b, Options{Posts: 500, Seed: 1, Now: now})
	Generate(&c, Options{Posts: 500, Seed: 2, Now: now})
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed gave different output")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatal("different seeds gave the same output")
	}
	seen := map[string]map[string]bool{"platform": {}, "category": {}, "language": {}}
	campaigns := map[string]int{}
	var benign, hostile, long int
	ids := map[string]bool{}
	all := a.String()
	sc := bufio.NewScanner(&a)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		ids[r.Platform+r.ExternalID] = true
		seen["platform"][r.Platform] = true
		seen["category"][r.Category] = true
		seen["language"][r.Language] = true
		if r.Campaign != "" {
			campaigns[r.Campaign]++
		}
		if r.Expected == "approve" {
			benign++
		}
		if r.DemoHostile {
			hostile++
		}
		if strings.Contains(r.Text, "\n\n") {
			long++
		}
	}
	if len(ids) != 500 {
		t.Fatalf("%d distinct posts, want 500", len(ids))
	}
	if len(seen["platform"]) != 7 || len(seen["category"]) != 7 || len(seen["language"]) != 3 {
		t.Fatalf("coverage: %v", seen)
	}
	if campaigns["rec-contract"] < 10 || campaigns["dis-blackout"] < 5 {
		t.Fatalf("campaigns too small: %v", campaigns)
	}
	if benign < 30 || hostile < 5 || long < 10 {
		t.Fatalf("benign=%d hostile=%d long=%d", benign, hostile, long)
	}
	if !strings.ContainsAny(all, "әғқңөұүһі") {
		t.Fatal("no Kazakh letters")
	}
}

func TestGenerateCSVHasTheSameRecords(t *testing.T) {
	var j, c bytes.Buffer
	Generate(&j, Options{Posts: 50, Seed: 4, Now: now})
	Generate(&c, Options{Posts: 50, Seed: 4, Now: now, CSV: true})
	rows, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(j.String()), "\n")
	if len(rows) != len(lines)+1 || rows[0][0] != "platform" {
		t.Fatalf("%d CSV rows for %d JSONL lines", len(rows), len(lines))
	}
	for i, line := range lines {
		var r record
		json.Unmarshal([]byte(line), &r)
		if rows[i+1][6] != r.Text || rows[i+1][1] != r.ExternalID {
			t.Fatalf("row %d differs: %q vs %q", i+1, rows[i+1][6], r.Text)
		}
	}
}
