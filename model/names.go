package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes bounds reviewer and view names.
const MaxNameBytes = 64

// ValidReviewerName checks a name that will stand in the audit trail and on
// every reviewer's screen: 1 to 64 bytes of valid UTF-8, printable characters
// only (letters of any script, digits, punctuation, symbols, plain spaces
// inside), so it can carry no escape, control, bidi override or invisible
// character that would make it display as something else.
func ValidReviewerName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("a reviewer name cannot be empty")
	case len(name) > MaxNameBytes:
		return fmt.Errorf("a reviewer name is at most %d bytes", MaxNameBytes)
	case !utf8.ValidString(name):
		return fmt.Errorf("a reviewer name must be valid UTF-8")
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("a reviewer name cannot start or end with a space")
	case strings.ContainsFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }):
		return fmt.Errorf("a reviewer name may hold only printable characters (no controls, escapes or invisible formatting)")
	}
	return nil
}
