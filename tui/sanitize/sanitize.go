// Package sanitize makes untrusted text safe to put on a terminal. Every post
// text, author, URL and unknown field passes through it before any style
// touches it. Nothing in its output can move the cursor, change colours, set
// a title, write the clipboard, make a hyperlink or reorder text: every byte
// that could is replaced by a visible placeholder, so a reviewer sees that the
// post tried.
package sanitize

import (
	"strings"
	"unicode/utf8"

	"triage/model"
)

// TabWidth is how many spaces a tab becomes. Tabs are expanded because a
// literal tab jumps to the terminal's tab stop, which the layout cannot know.
const TabWidth = 4

// Text sanitises multi-line text: newlines are kept, everything else that a
// terminal would act on becomes a placeholder.
func Text(s string) string { return clean(s, false) }

// Line sanitises text for a single line: newlines become "⏎" as well.
func Line(s string) string { return clean(s, true) }

func clean(s string, oneLine bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if shown, n := showHidden(r, s[i:]); n > 0 {
			b.WriteString(shown) // bidi controls, hidden tags, other invisible formatting
			i += n
			continue
		}
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError) // invalid UTF-8
		case r == '\n':
			if oneLine {
				b.WriteString("⏎")
			} else {
				b.WriteByte('\n')
			}
		case r == '\t':
			b.WriteString(strings.Repeat(" ", TabWidth))
		case r == '\r':
			// A bare CR would return the cursor and let the rest of the line
			// overwrite what the reviewer just read; CRLF is just a newline.
			if i < len(s) && s[i] == '\n' {
				continue
			}
			b.WriteString("␍")
		case r < 0x20:
			b.WriteRune(0x2400 + r) // control pictures: ␀ … ␟, ESC is ␛
		case r == 0x7F:
			b.WriteString("␡")
		case r >= 0x80 && r <= 0x9F:
			b.WriteString("⟨C1⟩") // 8-bit CSI, OSC, DCS, ST … in UTF-8 form
		case r == 0x2028 || r == 0x2029:
			if oneLine {
				b.WriteString("⏎")
			} else {
				b.WriteByte('\n')
			}
		case r == 0xAD:
			// soft hyphen: invisible, and terminals disagree on its width
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// showHidden is model.ShowHidden for a string starting with r, asked only
// where it can answer: nothing in ASCII hides or reorders text.
func showHidden(r rune, s string) (string, int) {
	if r < utf8.RuneSelf {
		return "", 0
	}
	return model.ShowHidden(s)
}

// isPlain is the fast path: printable ASCII, tabs excluded, needs no work.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F {
			return false
		}
	}
	return true
}
