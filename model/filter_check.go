package model

import (
	"fmt"
	"sort"
	"strings"
)

// Facets are the values present in the database that filters name:
// platforms and languages (categories come from the policy).
type Facets struct {
	Platforms []string
	Languages []string
}

// CheckFilter refuses a filter that names a category the policy lacks, or
// a platform or language no post has: such a filter would silently show an
// empty queue. A near miss names the value meant (`platform:fb — did you
// mean facebook?`). Facets with no platforms (not read yet) check only
// categories.
func CheckFilter(f Filter, p *Policy, facets Facets) error {
	var cats []string
	for _, c := range p.Categories {
		cats = append(cats, c.Key)
	}
	if err := checkValues("category", f.Categories, cats); err != nil {
		return err
	}
	if facets.Platforms != nil {
		if err := checkValues("platform", f.Platforms, facets.Platforms); err != nil {
			return err
		}
	}
	if facets.Languages != nil {
		if err := checkValues("lang", f.Languages, facets.Languages); err != nil {
			return err
		}
	}
	return nil
}

func checkValues(term string, values, known []string) error {
	for _, v := range values {
		if contains(known, v) {
			continue
		}
		if s := Suggest(v, known); s != "" {
			return fmt.Errorf("%s:%s — no such %s; did you mean %s?", term, v, termNoun[term], s)
		}
		return fmt.Errorf("%s:%s — no such %s (there are: %s)", term, v, termNoun[term], listSome(known, 8))
	}
	return nil
}

var termNoun = map[string]string{"category": "category in the policy", "platform": "platform in the database", "lang": "language in the database"}

func contains(xs []string, v string) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func listSome(xs []string, n int) string {
	if len(xs) == 0 {
		return "none yet"
	}
	if len(xs) > n {
		return strings.Join(xs[:n], ", ") + ", …"
	}
	return strings.Join(xs, ", ")
}

// Suggest returns the known value v most likely stands for: one it starts,
// one whose letters it abbreviates in order from the first ("fb" for
// facebook), or one within two edits; "" when none is close.
func Suggest(v string, known []string) string {
	v = strings.ToLower(v)
	best, bestScore := "", 1<<30
	for _, k := range known {
		score := 1 << 30
		switch {
		case strings.HasPrefix(k, v):
			score = 0
		case v != "" && k != "" && v[0] == k[0] && subsequence(v, k):
			score = 1
		default:
			if d := editDistance(v, k); d <= 2 && d < len(k) {
				score = 2 + d
			}
		}
		if score < bestScore || score == bestScore && k < best {
			best, bestScore = k, score
		}
	}
	return best
}

// subsequence reports whether a's letters occur in b in order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; j < len(b) && i < len(a); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

// editDistance is the Levenshtein distance between a and b, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// CompleteFilter completes the last term of a filter being typed: a term's
// name ("pla" → "platform:"), or the value after its last comma from the
// known values. It returns the new text and, when several values fit, a
// line listing them.
func CompleteFilter(text string, p *Policy, facets Facets) (string, string) {
	start := strings.LastIndexAny(text, " ") + 1
	head, term := text[:start], text[start:]
	name, value, hasColon := strings.Cut(term, ":")
	if !hasColon {
		var names []string
		for _, n := range []string{"platform:", "category:", "lang:", "sev:", "age>", "age<", "breached"} {
			if strings.HasPrefix(n, strings.ToLower(term)) {
				names = append(names, n)
			}
		}
		return complete(head, "", names, strings.ToLower(term))
	}
	var known []string
	switch strings.ToLower(name) {
	case "platform":
		known = facets.Platforms
	case "lang", "language":
		known = facets.Languages
	case "category":
		for _, c := range p.Categories {
			known = append(known, c.Key)
		}
	default:
		return text, ""
	}
	done, last := "", value
	if i := strings.LastIndex(value, ","); i >= 0 {
		done, last = value[:i+1], value[i+1:]
	}
	var fits []string
	for _, k := range known {
		if strings.HasPrefix(k, strings.ToLower(last)) {
			fits = append(fits, k)
		}
	}
	return complete(head+name+":"+done, "", fits, strings.ToLower(last))
}

// complete finishes typed as far as every fit agrees.
func complete(prefix, _ string, fits []string, typed string) (string, string) {
	sort.Strings(fits)
	switch len(fits) {
	case 0:
		return prefix + typed, "nothing to complete"
	case 1:
		return prefix + fits[0], ""
	}
	common := fits[0]
	for _, f := range fits[1:] {
		for !strings.HasPrefix(f, common) {
			common = common[:len(common)-1]
		}
	}
	if len(common) < len(typed) {
		common = typed
	}
	return prefix + common, "any of: " + listSome(fits, 10)
}
