package model

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Text that hides or reorders itself: bidirectional controls can make a
// line read in another order than the one stored ("Trojan Source"), and
// Unicode tag characters (U+E0020–E007F) are invisible letters — a post can
// show "Warehouse job" and carry a recruiter's address in tags. Whatever
// shows untrusted text to a person (the console, the CLI, a packet's CSV)
// shows them as visible placeholders instead.

// bidiNames labels the bidirectional controls.
var bidiNames = map[rune]string{
	0x061C: "ALM", 0x200E: "LRM", 0x200F: "RLM",
	0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
	0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
}

const (
	tagFirst   = 0xE0020
	tagCancel  = 0xE007F
	blackFlag  = 0x1F3F4 // the base of the emoji tag sequences in use (🏴󠁧󠁢󠁳󠁣󠁴󠁿)
	maxFlagTag = 8       // tag letters in a flag: a region and subdivision code
)

func isTag(r rune) bool { return r >= tagFirst && r <= tagCancel }

// ShowHidden is how the start of s is shown: when s starts with a
// bidirectional control, a format character other than the joiners real
// text needs, or tag characters outside an emoji tag sequence, n is how
// many bytes that covers and shown its placeholder. A valid emoji tag
// sequence (🏴 with its region's tag letters and a cancel tag) is shown as
// itself, whole. n is 0 when s starts with none of these.
func ShowHidden(s string) (shown string, n int) {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == blackFlag:
		if end := flagEnd(s[size:]); end > 0 {
			return s[:size+end], size + end
		}
		return "", 0
	case isTag(r):
		return tagRun(s)
	case r < 0x80 || !unicode.Is(unicode.Cf, r) || r == 0x200C || r == 0x200D || r == 0xAD:
		return "", 0 // joiners and the soft hyphen are format characters text needs
	case bidiNames[r] != "":
		return "⟨" + bidiNames[r] + "⟩", size
	}
	return fmt.Sprintf("⟨U+%04X⟩", r), size
}

// flagEnd is the length of the tag letters and cancel tag that follow a
// flag's base, or 0 if they do not form a region code.
func flagEnd(s string) int {
	i, letters := 0, 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == tagCancel:
			if letters == 0 {
				return 0
			}
			return i
		case letters < maxFlagTag && (r >= 0xE0030 && r <= 0xE0039 || r >= 0xE0061 && r <= 0xE007A):
			letters++
		default:
			return 0
		}
	}
	return 0
}

// tagRun shows a run of tag characters as the ASCII they spell, so the
// reader sees what was hidden: ⟨tags:join via t.me/x⟩.
func tagRun(s string) (string, int) {
	var b strings.Builder
	b.WriteString("⟨tags:")
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isTag(r) {
			break
		}
		if r != tagCancel {
			b.WriteRune(r - 0xE0000)
		}
		i += size
	}
	b.WriteString("⟩")
	return b.String(), i
}

// RevealHidden replaces, throughout s, what ShowHidden shows differently;
// it returns s itself when there is nothing to replace.
func RevealHidden(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		shown, n := ShowHidden(s[i:])
		if n == 0 {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		if shown != s[i:i+n] {
			b.WriteString(s[last:i])
			b.WriteString(shown)
			last = i + n
		}
		i += n
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// EscapeJSON writes, in JSON that encoding/json made, every character a
// terminal or a reader would act on unseen — C1 controls, DEL, the line and
// paragraph separators, format characters (bidi controls, tags) — as its
// \u escape: the same JSON, read back exactly, that shows nothing hidden
// when printed. A rune past U+FFFF is a UTF-16 surrogate pair.
func EscapeJSON(b []byte) []byte {
	if !needsJSONEscape(b) {
		return b
	}
	var out []byte
	for _, r := range string(b) {
		if !jsonHidden(r) {
			out = utf8.AppendRune(out, r)
			continue
		}
		if r1, r2 := utf16.EncodeRune(r); r1 != unicode.ReplacementChar {
			out = fmt.Appendf(out, `\u%04x\u%04x`, r1, r2)
		} else {
			out = fmt.Appendf(out, `\u%04x`, r)
		}
	}
	return out
}

func jsonHidden(r rune) bool {
	return r == 0x7F || (r >= 0x80 && r <= 0x9F) || r == 0x2028 || r == 0x2029 || unicode.Is(unicode.Cf, r)
}

func needsJSONEscape(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			if b[i] == 0x7F {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if jsonHidden(r) {
			return true
		}
		i += size
	}
	return false
}
