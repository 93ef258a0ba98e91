package data

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"triage/model"
)

// Times an import accepts: from 1990 (before any social network) to a day
// past the importer's clock (time zones and clock skew; a flag from the
// future would jump the queue and break every age shown).
var earliestTime = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

const futureSlack = 24 * time.Hour

func checkTimes(in model.Incoming, now time.Time) error {
	for _, t := range []struct {
		name string
		at   time.Time
	}{{"posted_at", in.PostedAt}, {"flagged_at", in.FlaggedAt}} {
		switch {
		case t.at.IsZero():
		case t.at.Before(earliestTime):
			return fmt.Errorf("field %s: %s is before 1990", t.name, t.at.Format(time.RFC3339))
		case t.at.After(now.Add(futureSlack)):
			return fmt.Errorf("field %s: %s is in the future", t.name, t.at.Format(time.RFC3339))
		}
	}
	return nil
}

// visible reports whether s has anything a reviewer can see: not only
// spaces and invisible format characters.
func visible(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// cut shortens a message to at most n bytes on a character boundary: a
// parser's error may quote kilobytes of the input it failed on.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
