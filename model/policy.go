package model

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Reason is one reason code a reviewer can give.
type Reason struct {
	Code       string `toml:"code"`
	Label      Text   `toml:"label"`
	LegalBasis string `toml:"legal_basis"`
	// Violation is true for reasons that justify removal, false for the
	// "no violation" reasons used when approving.
	Violation bool `toml:"violation"`
	// SecondReview marks a violation reason whose rejections another
	// reviewer must confirm before they can be sent (four eyes).
	SecondReview bool `toml:"second_review,omitempty"`
}

// Category is a kind of illegal or harmful content with its reasons.
type Category struct {
	Key       string `toml:"key"`
	Label     Text   `toml:"label"`
	Sensitive bool   `toml:"sensitive"` // text collapsed until the reviewer asks
	// Target is the service level: the time from flag to decision a post of
	// this category should not exceed. Zero means no target.
	Target Span `toml:"target"`
	// SecondReview puts every rejection of the category under four eyes.
	SecondReview bool `toml:"second_review,omitempty"`
	// QASample is the share (0–1) of the category's decisions re-queued
	// for a blind check by another reviewer.
	QASample float64  `toml:"qa_sample,omitzero"`
	Reasons  []Reason `toml:"reason"`
}

// Policy is the full set of categories and the reasons for escalation.
type Policy struct {
	Categories []Category `toml:"category"`
	Escalation []Reason   `toml:"escalation"`
	Care       Care       `toml:"care"`
	Limits     Limits     `toml:"limits"`
	// QASeed picks which posts the QA sample takes (model.InQASample):
	// the same seed, the same sample. Unset (0), each database uses its
	// own, drawn when it was made, so the sample cannot be worked out from
	// the policy.
	QASeed int64 `toml:"qa_seed,omitzero"`
}

// NeedsSecondReview reports whether rejecting a post of category with
// code needs another reviewer's confirmation.
func (p *Policy) NeedsSecondReview(category, code string) bool {
	c, ok := p.Category(category)
	if !ok {
		return false
	}
	for _, r := range c.Reasons {
		if r.Code == code && r.Violation {
			return c.SecondReview || r.SecondReview
		}
	}
	return false
}

// QARate is the share of category's decisions re-queued for a blind check.
func (p *Policy) QARate(category string) float64 {
	c, _ := p.Category(category)
	return c.QASample
}

// Care is what the policy asks for the people who read this all day: past
// either limit the console suggests a break (it never forces one), and a
// break keeps the reviewer's batch for BreakLength.
type Care struct {
	BreakAfterReveals int  `toml:"break_after_reveals"` // sensitive posts whose text was shown; 0: 40
	BreakAfter        Span `toml:"break_after"`         // time in the console since the last break; 0: 90m
	BreakLength       Span `toml:"break_length"`        // how long a break holds the batch; 0: 15m
}

// RevealLimit is the number of sensitive reveals that suggests a break.
func (c Care) RevealLimit() int {
	if c.BreakAfterReveals > 0 {
		return c.BreakAfterReveals
	}
	return 40
}

// TimeLimit is the time without a break that suggests one.
func (c Care) TimeLimit() time.Duration {
	if c.BreakAfter.Duration > 0 {
		return c.BreakAfter.Duration
	}
	return 90 * time.Minute
}

// Length is how long a break keeps the batch.
func (c Care) Length() time.Duration {
	if c.BreakLength.Duration > 0 {
		return c.BreakLength.Duration
	}
	return 15 * time.Minute
}

// Limits is what one reviewer may hold at once, whatever their role: an
// authenticated key is an insider, and one reviewer with thirty consoles
// would otherwise lease the whole queue away from everyone else.
type Limits struct {
	ConsolesPerReviewer int `toml:"consoles_per_reviewer"` // open consoles, local and SSH, on any server; 0: 3
	PostsPerReviewer    int `toml:"posts_per_reviewer"`    // pending posts leased across those consoles; 0: 50
}

// DefaultPostsPerReviewer is posts_per_reviewer unset: a tall console's
// batch (MaxClaimBatch) and one more of the usual size.
const DefaultPostsPerReviewer = MaxClaimBatch + ClaimBatch

// Consoles is how many consoles one reviewer may have open at once.
func (l Limits) Consoles() int {
	if l.ConsolesPerReviewer > 0 {
		return l.ConsolesPerReviewer
	}
	return 3
}

// Posts is how many pending posts one reviewer may hold at once.
func (l Limits) Posts() int {
	if l.PostsPerReviewer > 0 {
		return l.PostsPerReviewer
	}
	return DefaultPostsPerReviewer
}

// Category returns the category with the given key.
func (p *Policy) Category(key string) (Category, bool) {
	for _, c := range p.Categories {
		if c.Key == key {
			return c, true
		}
	}
	return Category{}, false
}

// Violations returns the reasons that justify rejecting a post of this category.
func (c Category) Violations() []Reason { return c.filter(true) }

// Approvals returns the "no violation" reasons of this category.
func (c Category) Approvals() []Reason { return c.filter(false) }

// DefaultApproval is the reason `a` records: the first "no violation" reason.
func (c Category) DefaultApproval() Reason { return c.Approvals()[0] }

func (c Category) filter(violation bool) []Reason {
	var out []Reason
	for _, r := range c.Reasons {
		if r.Violation == violation {
			out = append(out, r)
		}
	}
	return out
}

// Reason finds a reason code anywhere in the policy.
func (p *Policy) Reason(code string) (Reason, bool) {
	for _, c := range p.Categories {
		for _, r := range c.Reasons {
			if r.Code == code {
				return r, true
			}
		}
	}
	for _, r := range p.Escalation {
		if r.Code == code {
			return r, true
		}
	}
	return Reason{}, false
}

// Validate checks the policy is usable: categories and codes are present and
// unique, every category can be both rejected and approved, and the number of
// violation reasons fits the 1–9 digits of the reason picker.
func (p *Policy) Validate() error {
	var errs []error
	if len(p.Categories) == 0 {
		errs = append(errs, errors.New("no categories"))
	}
	keys := map[string]bool{}
	codes := map[string]string{}
	addCode := func(where, code string) {
		if code == "" {
			errs = append(errs, fmt.Errorf("%s: a reason has no code", where))
			return
		}
		if prev, dup := codes[code]; dup {
			errs = append(errs, fmt.Errorf("%s: duplicate reason code %q (also in %s)", where, code, prev))
			return
		}
		codes[code] = where
	}
	for i, c := range p.Categories {
		where := fmt.Sprintf("category %d", i+1)
		if c.Key != "" {
			where = fmt.Sprintf("category %q", c.Key)
		}
		switch {
		case c.Key == "":
			errs = append(errs, fmt.Errorf("%s: no key", where))
		case strings.ContainsAny(c.Key, " \t\n"):
			errs = append(errs, fmt.Errorf("%s: key must not contain spaces", where))
		case keys[c.Key]:
			errs = append(errs, fmt.Errorf("%s: duplicate category key", where))
		}
		keys[c.Key] = true
		if c.Label.Default == "" {
			errs = append(errs, fmt.Errorf("%s: no label", where))
		}
		if c.Target.Duration < 0 {
			errs = append(errs, fmt.Errorf("%s: target %s is negative", where, c.Target))
		}
		for _, r := range c.Reasons {
			addCode(where, r.Code)
			if r.Label.Default == "" {
				errs = append(errs, fmt.Errorf("%s: reason %q has no label", where, r.Code))
			}
			if r.SecondReview && !r.Violation {
				errs = append(errs, fmt.Errorf("%s: reason %q: second_review applies only to violation reasons", where, r.Code))
			}
		}
		if !(c.QASample >= 0 && c.QASample <= 1) {
			errs = append(errs, fmt.Errorf("%s: qa_sample %v is not between 0 and 1", where, c.QASample))
		}
		if n := len(c.Violations()); n < 1 || n > 9 {
			errs = append(errs, fmt.Errorf("%s: has %d violation reasons, want 1 to 9", where, n))
		}
		if n := len(c.Approvals()); n < 1 || n > 9 {
			errs = append(errs, fmt.Errorf("%s: has %d \"no violation\" reasons, want 1 to 9", where, n))
		}
	}
	if p.Care.BreakAfterReveals < 0 || p.Care.BreakAfter.Duration < 0 || p.Care.BreakLength.Duration < 0 {
		errs = append(errs, errors.New("care: limits must not be negative"))
	}
	if p.Limits.ConsolesPerReviewer < 0 || p.Limits.PostsPerReviewer < 0 {
		errs = append(errs, errors.New("limits: consoles_per_reviewer and posts_per_reviewer must not be negative"))
	}
	if n := len(p.Escalation); n < 1 || n > 9 {
		errs = append(errs, fmt.Errorf("has %d escalation reasons, want 1 to 9", n))
	}
	for _, r := range p.Escalation {
		addCode("escalation", r.Code)
		if r.SecondReview {
			errs = append(errs, fmt.Errorf("escalation: reason %q: second_review applies only to violation reasons", r.Code))
		}
	}
	return errors.Join(errs...)
}

// Breached reports whether a post of this category flagged at flagged has
// waited past its target by now.
func (c Category) Breached(flagged, now time.Time) bool {
	return c.Target.Duration > 0 && now.Sub(flagged) > c.Target.Duration
}

// Span is a length of time as a policy spells it: "90m", "24h", "1d" (days
// as well as Go's units). It keeps the spelling, so the console shows a
// target the way the policy wrote it.
type Span struct {
	time.Duration
	text string
}

// Minutes is a span of n minutes.
func Minutes(n int) Span {
	return Span{Duration: time.Duration(n) * time.Minute, text: fmt.Sprintf("%dm", n)}
}

// Days is a span of n whole days.
func Days(n int) Span {
	return Span{Duration: time.Duration(n) * 24 * time.Hour, text: fmt.Sprintf("%dd", n)}
}

// UnmarshalText reads a span from the policy.
func (s *Span) UnmarshalText(b []byte) error {
	switch string(b) {
	case "0", "0d", "0h", "0m", "0s":
		*s = Span{} // none: how `triage policy` writes a category without a target
		return nil
	}
	d, err := ParseAge(string(b))
	if err != nil {
		return err
	}
	s.Duration, s.text = d, string(b)
	return nil
}

// MarshalText writes the span as it was spelt, or in its shortest form.
func (s Span) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s Span) String() string {
	if s.text != "" {
		return s.text
	}
	return FormatAge(s.Duration)
}
