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
	oneLineError(t, triage(t, "", "view", "delete", "breaches", "--db", db), `view "breaches" is built in`)
	// Values that match nothing are refused, with the one meant.
	oneLineError(t, triage(t, "", "view", "save", "x", "category:drug", "--db", db), "did you mean drugs?")
	oneLineError(t, triage(t, "", "view", "save", "x", "platform:fb", "--db", db), "did you mean facebook?")
	// Names in any script.
	if r := triage(t, "", "view", "save", "вербовка-қаз", "category:recruitment", "--db", db); r.code != 0 {
		t.Fatalf("a Cyrillic and Kazakh view name: %+v", r)
	}
	// --help shows flags by what they are, with no machine's defaults in
	// them; --version says which build this is.
	h := triage(t, "", "review", "--help")
	if strings.Contains(h.stdout, "triage view list string") || strings.Contains(h.stdout, `(default "`) {
		t.Fatalf("review --help:\n%s", h.stdout)
	}
	if v := triage(t, "", "--version"); v.code != 0 || !strings.HasPrefix(v.stdout, "triage ") || !strings.Contains(v.stdout, "go1.") {
		t.Fatalf("--version: %+v", v)
	}
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
	// Every category of the policy has a breach count; the demo's flags are
	// up to three days old, so the one-day categories have breaches. No one
	// has decided anything yet: no hours, no mix.
	for _, cat := range []string{"recruitment", "disinformation", "extremism", "fraud", "drugs", "gambling", "other"} {
		if _, ok := s.Breaches[cat]; !ok {
			t.Fatalf("no breach count for %s: %v", cat, s.Breaches)
		}
	}
	if s.Breaches["recruitment"] == 0 || len(s.PerHour) != 0 || len(s.Mix) != 0 {
		t.Fatalf("breaches %v, per hour %v, mix %v", s.Breaches, s.PerHour, s.Mix)
	}
	rejectSome(t, db, 4)
	r = triage(t, "", "stats", "--json", "--db", db)
	json.Unmarshal([]byte(r.stdout), &s)
	if s.Mix["reject"] != 4 || len(s.PerHour["ann"]) != 24 {
		t.Fatalf("after four rejections: mix %v, per hour %v", s.Mix, s.PerHour)
	}
}
