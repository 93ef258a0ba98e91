package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Filter narrows a queue. The zero Filter passes every post. Filters have a
// one-line text form, which the filter bar reads, the header shows and saved
// views store:
//
//	platform:telegram,vk category:recruitment lang:kk sev:4 age>2h age<3d breached
//
// Terms combine with AND; a comma list within a term is any of its values.
type Filter struct {
	Platforms   []string
	Categories  []string
	Languages   []string
	MinSeverity int           // 0: any
	OlderThan   time.Duration // 0: any; flagged longer ago than this
	NewerThan   time.Duration // 0: any; flagged more recently than this
	// Breached keeps only posts past their category's target time, and
	// orders them oldest first: the SLA breach view.
	Breached bool
}

// FilterSyntax is the one-line reminder the filter bar shows.
const FilterSyntax = "platform:A,B category:K lang:L sev:N age>4h age<2d breached"

// IsZero reports whether the filter passes everything.
func (f Filter) IsZero() bool {
	return len(f.Platforms) == 0 && len(f.Categories) == 0 && len(f.Languages) == 0 &&
		f.MinSeverity == 0 && f.OlderThan == 0 && f.NewerThan == 0 && !f.Breached
}

// ParseFilter reads a filter's text form. An error names the term at fault.
func ParseFilter(s string) (Filter, error) {
	var f Filter
	for _, term := range strings.Fields(s) {
		if err := f.parseTerm(term); err != nil {
			return Filter{}, fmt.Errorf("filter term %q: %w", term, err)
		}
	}
	return f, nil
}

func (f *Filter) parseTerm(term string) error {
	lower := strings.ToLower(term)
	switch {
	case lower == "breached" || lower == "sla:breached":
		f.Breached = true
		return nil
	case strings.HasPrefix(lower, "age>") || strings.HasPrefix(lower, "age<"):
		d, err := ParseAge(term[4:])
		if err != nil {
			return err
		}
		if lower[3] == '>' {
			f.OlderThan = d
		} else {
			f.NewerThan = d
		}
		return nil
	case strings.HasPrefix(lower, "sev>="):
		return f.severity(term[5:])
	}
	name, value, ok := strings.Cut(term, ":")
	if !ok || value == "" {
		return fmt.Errorf("want NAME:VALUE, age>DUR, age<DUR or breached (%s)", FilterSyntax)
	}
	list := func() ([]string, error) {
		var out []string
		for _, v := range strings.Split(value, ",") {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("no value")
		}
		return out, nil
	}
	var err error
	switch strings.ToLower(name) {
	case "platform", "pl":
		f.Platforms, err = list()
	case "category", "cat":
		f.Categories, err = list()
	case "lang", "language":
		f.Languages, err = list()
	case "sev", "severity":
		err = f.severity(value)
	default:
		err = fmt.Errorf("unknown filter %q (%s)", name, FilterSyntax)
	}
	return err
}

func (f *Filter) severity(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 5 {
		return fmt.Errorf("severity must be 1 to 5")
	}
	f.MinSeverity = n
	return nil
}

// ParseAge reads a duration as Go writes them (90m, 4h) or in days (2d).
func ParseAge(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("bad age %q: want e.g. 30m, 4h or 2d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad age %q: want e.g. 30m, 4h or 2d", s)
	}
	return d, nil
}

// String is the filter's text form; ParseFilter(f.String()) gives f back.
func (f Filter) String() string {
	var terms []string
	add := func(name string, vs []string) {
		if len(vs) > 0 {
			terms = append(terms, name+":"+strings.Join(vs, ","))
		}
	}
	add("platform", f.Platforms)
	add("category", f.Categories)
	add("lang", f.Languages)
	if f.MinSeverity > 0 {
		terms = append(terms, fmt.Sprintf("sev:%d", f.MinSeverity))
	}
	if f.OlderThan > 0 {
		terms = append(terms, "age>"+FormatAge(f.OlderThan))
	}
	if f.NewerThan > 0 {
		terms = append(terms, "age<"+FormatAge(f.NewerThan))
	}
	if f.Breached {
		terms = append(terms, "breached")
	}
	return strings.Join(terms, " ")
}

// FormatAge writes a duration in the shortest form ParseAge reads back.
func FormatAge(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d%day == 0:
		return fmt.Sprintf("%dd", d/day)
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// View is a saved, named filter.
type View struct {
	Name   string
	Filter Filter
	By     string    // who saved it
	At     time.Time // when
}

// ValidViewName reports whether name can name a view: a short word of
// letters (any script), digits, '-', '_' or '.', so it works as
// `triage review --view NAME` without quoting.
func ValidViewName(name string) error {
	if name == "" || len(name) > MaxNameBytes || !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		return fmt.Errorf("view name %q: use 1 to %d bytes of letters, digits, '-', '_' or '.'", name, MaxNameBytes)
	}
	return nil
}
