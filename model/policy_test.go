package model

import (
	"math"
	"strings"
	"testing"
)

func TestDefaultPolicyIsValid(t *testing.T) {
	p := DefaultPolicy()
	if err := p.Validate(); err != nil {
		t.Fatalf("default policy invalid: %v", err)
	}
	for _, key := range []string{"recruitment", "disinformation", "extremism", "fraud", "drugs", "gambling", "other"} {
		c, ok := p.Category(key)
		if !ok {
			t.Fatalf("default policy lacks category %q", key)
		}
		if n := len(c.Violations()); n < 3 || n > 6 {
			t.Errorf("%s: %d violation reasons, want 3-6", key, n)
		}
		if len(c.Approvals()) < 1 {
			t.Errorf("%s: no approval reason", key)
		}
		if c.DefaultApproval().Violation {
			t.Errorf("%s: default approval is a violation reason", key)
		}
	}
}

func TestValidateFindsEveryProblem(t *testing.T) {
	cases := []struct {
		name string
		edit func(p *Policy)
		want string
	}{
		{"duplicate code", func(p *Policy) { p.Categories[1].Reasons[0].Code = p.Categories[0].Reasons[0].Code }, "duplicate reason code \"REC-AD\""},
		{"duplicate key", func(p *Policy) { p.Categories[1].Key = "recruitment" }, "duplicate category key"},
		{"no approvals", func(p *Policy) { p.Categories[6].Reasons = p.Categories[6].Violations() }, "category \"other\": has 0 \"no violation\" reasons"},
		{"no violations", func(p *Policy) { p.Categories[0].Reasons = p.Categories[0].Approvals() }, "has 0 violation reasons"},
		{"empty code", func(p *Policy) { p.Categories[2].Reasons[1].Code = "" }, "a reason has no code"},
		{"no label", func(p *Policy) { p.Categories[3].Label = Text{} }, "category \"fraud\": no label"},
		{"no categories", func(p *Policy) { p.Categories = nil }, "no categories"},
		{"no escalation", func(p *Policy) { p.Escalation = nil }, "0 escalation reasons"},
		{"escalation clashes", func(p *Policy) { p.Escalation[0].Code = "OTH-NONE" }, "escalation: duplicate reason code"},
		{"four eyes on an approval", func(p *Policy) { p.Categories[0].Reasons[4].SecondReview = true }, "reason \"REC-NEWS\": second_review applies only to violation reasons"},
		{"four eyes on an escalation", func(p *Policy) { p.Escalation[0].SecondReview = true }, "escalation: reason \"ESC-LEGAL\": second_review applies"},
		{"sample above one", func(p *Policy) { p.Categories[3].QASample = 1.5 }, "category \"fraud\": qa_sample 1.5 is not between 0 and 1"},
		{"sample not a number", func(p *Policy) { p.Categories[3].QASample = math.NaN() }, "qa_sample NaN is not between 0 and 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := DefaultPolicy()
			tc.edit(p)
			err := p.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want error containing %q", err, tc.want)
			}
		})
	}
}

func TestReasonLookup(t *testing.T) {
	p := DefaultPolicy()
	if r, ok := p.Reason("ESC-LEGAL"); !ok || r.Label.Default == "" {
		t.Fatalf("escalation reason not found")
	}
	if r, ok := p.Reason("FRD-PHISH"); !ok || !r.Violation {
		t.Fatalf("FRD-PHISH = %+v, %v", r, ok)
	}
	if _, ok := p.Reason("NOPE"); ok {
		t.Fatalf("unknown code found")
	}
}

// A label with control characters is written back in a form TOML reads
// (Go's %q wrote \a, which TOML refuses); a label whose English is empty
// falls back to a language that has one.
func TestTextQuotingAndDefault(t *testing.T) {
	b, _ := Text{Default: "bell\a", ByLang: map[string]string{"ru": "звонок\a \"x\""}}.MarshalTOML()
	if got := string(b); got != `{ en = "bell\u0007", ru = "звонок\u0007 \"x\"" }` {
		t.Fatalf("%s", got)
	}
	var tx Text
	if err := tx.UnmarshalTOML(map[string]any{"en": "", "ru": "x"}); err != nil || tx.Default != "x" {
		t.Fatalf("%+v %v", tx, err)
	}
}

func TestCountIsSingularForOne(t *testing.T) {
	for n, want := range map[int64]string{0: "0 rows", 1: "1 row", 2: "2 rows", 11: "11 rows", 21: "21 rows"} {
		if got := Count(n, "row", "rows"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
