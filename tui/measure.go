package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Width is measured the way the client's terminal will measure it. Bubble
// Tea asks the terminal for grapheme clustering (mode 2027); a terminal that
// has it draws 👨‍👩‍👧‍👦 as one two-cell cluster, one that does not (tmux,
// most xterms) draws each code point, eight cells. Until the terminal says
// it clusters, the console measures per code point, and shows the sequences
// that terminals draw inconsistently in that mode decomposed: joiners and
// variation selectors dropped, a flag's regional indicators as its letters.
// Either way a row's columns never move because of its text.

// cellWidth measures s in the context's method.
func (c *Context) cellWidth(s string) int {
	if c.Graphemes {
		return ansi.StringWidth(s)
	}
	return ansi.StringWidthWc(s)
}

// fit makes s (one line) exactly w cells wide: cut with an ellipsis, or padded.
func (c *Context) fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = c.cut(s, w)
	if pad := w - c.cellWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// cut shortens s (one line) to at most w cells, with an ellipsis if cut.
func (c *Context) cut(s string, w int) string {
	if c.cellWidth(s) <= w {
		return s
	}
	if c.Graphemes {
		return ansi.Truncate(s, w, "…")
	}
	return ansi.TruncateWc(s, w, "…")
}

// padLeft right-aligns s in w cells.
func (c *Context) padLeft(s string, w int) string {
	if pad := w - c.cellWidth(s); pad > 0 {
		return strings.Repeat(" ", pad) + s
	}
	return s
}

// cutAtSpace is the longest start of s (plain text) that ends before a
// space and fits w cells with "…" after it; "" if no word fits.
func (c *Context) cutAtSpace(s string, w int) string {
	best := ""
	for i, r := range s {
		if r != ' ' || i == 0 {
			continue
		}
		head := strings.TrimRight(s[:i], " ·")
		if head == "" {
			continue
		}
		if c.cellWidth(head)+1 > w {
			break
		}
		best = head + "…"
	}
	return best
}

// fitWords is fit for the console's own words: plain text too wide is cut
// at a space ("…"), not in a word; styled text is fit as it is.
func (c *Context) fitWords(s string, w int) string {
	if c.cellWidth(s) <= w || ansi.Strip(s) != s {
		return c.fit(s, w)
	}
	if cut := c.cutAtSpace(s, w); cut != "" {
		return c.fit(cut, w)
	}
	return c.fit(s, w)
}

// padRight left-aligns s in w cells, never cutting it.
func (c *Context) padRight(s string, w int) string {
	if pad := w - c.cellWidth(s); pad > 0 {
		return s + strings.Repeat(" ", pad)
	}
	return s
}

// wrap breaks s into lines of at most w cells: at spaces where it can, hard
// elsewhere (long URLs, unbroken scripts). Never at a hyphen, where the
// wrapping functions always break: a code (ESC-CAMP, REC-GLO) split over
// two lines reads as two. Hyphens are swapped for non-breaking ones, which
// are as wide, for the wrapping and back after it (unless s holds
// non-breaking hyphens of its own, which would come back changed).
func (c *Context) wrap(s string, w int) []string {
	swap := strings.Contains(s, "-") && !strings.Contains(s, nbHyphen)
	if swap {
		s = strings.ReplaceAll(s, "-", nbHyphen)
	}
	if c.Graphemes {
		s = ansi.Wrap(s, w, "")
	} else {
		s = ansi.WrapWc(s, w, "")
	}
	if swap {
		s = strings.ReplaceAll(s, nbHyphen, "-")
	}
	return strings.Split(s, "\n")
}

const nbHyphen = "\u2011"

// shown prepares untrusted text (already sanitised) for this terminal: in
// per-code-point mode, the sequences terminals disagree on are decomposed.
func (c *Context) shown(s string) string {
	if c.Graphemes || isSimple(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 0x200D, r == 0xFE0E, r == 0xFE0F, r >= 0xE0020 && r <= 0xE007F:
			// joiner, variation selectors, tag characters: drawn inconsistently
		case r >= 0x1F1E6 && r <= 0x1F1FF:
			b.WriteRune('A' + (r - 0x1F1E6)) // a regional indicator: its letter
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isSimple is the fast path: nothing above the Basic Multilingual Plane's
// letters that could need decomposing.
func isSimple(s string) bool {
	for _, r := range s {
		if r >= 0x2000 && (r == 0x200D || r == 0xFE0E || r == 0xFE0F || r >= 0x1F000) {
			return false
		}
	}
	return true
}
