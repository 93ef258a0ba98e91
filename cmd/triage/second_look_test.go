package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"triage/data"
	"triage/model"
)

// Twelve fraud posts decided by alice, all sampled for QA (the policy
// samples the category whole), checked blind by bob, who agrees on ten:
// export --qa writes the twelve pairs, and stats --json reports the
// agreement worked out by hand below.
func TestExportQAAndAgreement(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "qa.db")
	var lines []string
	for i := 1; i <= 12; i++ {
		lines = append(lines, `{"platform":"vk","text":"win","category":"fraud","external_id":"f`+strings.Repeat("x", i)+`"}`)
	}
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	if r := triage(t, "", "import", "--db", db, in); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	p := model.DefaultPolicy()
	for i := range p.Categories {
		if p.Categories[i].Key == "fraud" {
			p.Categories[i].QASample = 1
		}
	}
	st, err := data.Open(db, data.Options{Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	do := func(id int64, who string, a model.Action, code string) {
		t.Helper()
		if _, err := st.Decide(ctx, model.Decision{PostID: id, Actor: model.Actor{Reviewer: who}, Action: a, ReasonCode: code}); err != nil {
			t.Fatal(err)
		}
	}
	for id := int64(1); id <= 12; id++ {
		if id <= 6 {
			do(id, "alice", model.ActionApprove, "FRD-NONE")
		} else {
			do(id, "alice", model.ActionReject, "FRD-INV")
		}
	}
	for id := int64(1); id <= 12; id++ {
		code := map[bool]string{true: "FRD-NONE", false: "FRD-INV"}[id <= 5]
		if id == 12 {
			code = "FRD-LEGIT"
		}
		do(id, "bob", model.ActionQA, code)
	}
	st.Close()

	out := filepath.Join(dir, "pairs.csv")
	r := triage(t, "", "export", "--db", db, "--qa", "--format", "csv", "--out", out)
	if r.code != 0 || !strings.Contains(r.stderr, "12 review pairs") {
		t.Fatalf("export --qa: %+v", r)
	}
	f, _ := os.Open(out)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != 13 {
		t.Fatalf("pairs file: %d rows, %v", len(rows), err)
	}
	if strings.Join(rows[0][:6], ",") != "post_id,category,kind,first_reviewer,first_action,first_reason" ||
		strings.Join(rows[12][:6], ",") != "12,fraud,qa,alice,reject,FRD-INV" || rows[12][7] != "bob" || rows[12][8] != "approve" || rows[12][9] != "FRD-LEGIT" {
		t.Fatalf("pairs: %q … %q", rows[0], rows[12])
	}
	if r := triage(t, "", "export", "--db", db, "--qa", "--status", "rejected", "--out", out); r.code == 0 || !strings.Contains(r.stderr, "--status") {
		t.Fatalf("--qa with --status: %+v", r)
	}

	r = triage(t, "", "stats", "--db", db, "--json")
	var s struct {
		Agreement model.AgreementStats `json:"agreement"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatal(err)
	}
	// By hand: 10 of 12 agree. Actions: each reviewer 6 approve, 6 reject,
	// so chance agreement is 0.5 and κ = (10/12 − 0.5)/0.5 = 2/3. Reasons:
	// alice NONE 6, INV 6; bob NONE 5, INV 6, LEGIT 1; chance agreement
	// (6·5 + 6·6)/144 = 66/144, κ = (120/144 − 66/144)/(78/144) = 54/78.
	a := s.Agreement.All
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	if a.Action.N != 12 || !near(a.Action.Percent, 100*10.0/12) || !near(a.Action.Kappa, 2.0/3) || !a.Action.HasCI || !near(a.Reason.Kappa, 54.0/78) {
		t.Fatalf("agreement: %+v", a)
	}
	if len(s.Agreement.ByKind) != 1 || s.Agreement.ByKind[0].Kind != model.LookQA || s.Agreement.ByKind[0].Action.N != 12 {
		t.Fatalf("by kind: %+v", s.Agreement.ByKind)
	}
	if len(s.Agreement.ByPair) != 1 || s.Agreement.ByPair[0].Reviewer != "alice" || s.Agreement.ByPair[0].Other != "bob" ||
		len(s.Agreement.ByCategory) != 1 || s.Agreement.ByCategory[0].Category != "fraud" {
		t.Fatalf("groups: %+v", s.Agreement)
	}
	if len(s.Agreement.QADisagreements) != 2 || s.Agreement.QADisagreements[0].PostID != 12 || s.Agreement.QADisagreements[1].PostID != 6 {
		t.Fatalf("QA disagreements: %+v", s.Agreement.QADisagreements)
	}
	if r := triage(t, "", "stats", "--db", db); !strings.Contains(r.stdout, "alice + bob") || !strings.Contains(r.stdout, "κ  0.67") ||
		!strings.Contains(r.stdout, "#12 fraud  alice reject FRD-INV  ≠  bob approve FRD-LEGIT") {
		t.Fatalf("stats text:\n%s", r.stdout)
	}
}
