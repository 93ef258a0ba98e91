package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestViewCommandsSaveListDeleteAndMistakes(t *testing.T) {
	db := demoDB(t, "60")
	if r := triage(t, "", "view", "save", "kk-rec", "category:recruitment", "lang:kk", "sev:4", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "saved view kk-rec: category:recruitment lang:kk sev:4") {
		t.Fatalf("save: %+v", r)
	}
	r := triage(t, "", "view", "list", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "breaches") || !strings.Contains(r.stdout, "breached (oldest first)") ||
		!strings.Contains(r.stdout, "kk-rec") || !strings.Contains(r.stdout, "tester") {
		t.Fatalf("list: %+v", r)
	}
	oneLineError(t, triage(t, "", "view", "save", "bad", "sev:9", "--db", db), `FILTER: filter term "sev:9": severity must be 1 to 5`)
	oneLineError(t, triage(t, "", "view", "save", "bad name!", "sev:3", "--db", db), `NAME: view name "bad name!"`)
	oneLineError(t, triage(t, "", "view", "save", "x", "colour:red", "--db", db), `unknown filter "colour"`)
	oneLineError(t, triage(t, "", "review", "--view", "nope", "--db", db), `flag --view: view "nope": no such view`)
	if r := triage(t, "", "view", "delete", "kk-rec", "--db", db); r.code != 0 {
		t.Fatalf("delete: %+v", r)
	}
	oneLineError(t, triage(t, "", "view", "delete", "kk-rec", "--db", db), `view "kk-rec": no such view`)
}

func TestStatsJSONCarriesClustersBreachesAndHours(t *testing.T) {
	db := demoDB(t, "300")
	r := triage(t, "", "stats", "--json", "--db", db)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	var s struct {
		Pending  int              `json:"pending"`
		Clusters *int             `json:"clusters"`
		Breaches map[string]int   `json:"sla_breaches"`
		PerHour  map[string][]int `json:"decisions_per_hour"`
		Mix      map[string]int   `json:"decision_mix"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatal(err)
	}
	// The demo reposts campaigns across many accounts: many clusters with
	// several pending copies.
	if s.Clusters == nil || *s.Clusters < 10 || s.Pending != 300 {
		t.Fatalf("clusters %v, pending %d", s.Clusters, s.Pending)
	}
	if _, ok := s.Breaches["recruitment"]; !ok || s.PerHour == nil || s.Mix == nil {
		t.Fatalf("breaches %v, per hour %v, mix %v", s.Breaches, s.PerHour, s.Mix)
	}
}
