package demo

import (
	"bufio"
	"bytes"
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
