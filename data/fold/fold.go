// Package fold spells text the way search and near-duplicate clustering
// compare it, so the usual ways of dodging a keyword monitor do not work:
// letters from another script that look (or sound) like the intended ones —
// "vербовка" with a Latin v, "кaзино" with a Latin a — Greek or mathematical
// look-alikes, fullwidth letters, ё for е. The stored text stays exactly as
// imported; only what is indexed and what is searched for is folded, both
// by this one function.
package fold

import (
	"strings"
	"unicode"

	"github.com/mtibben/confusables"
	"golang.org/x/text/unicode/norm"
)

// Text folds every word of s and keeps everything else (spaces,
// punctuation) in place, so the search tokenizer sees the same word
// boundaries.
func Text(s string) string { return foldText(s, Word) }

// A Folder is Text with a memory of the words it has folded: posts repeat
// their words (a campaign's copies, a language's common words), and folding
// a word — normalisation, case, look-alikes — costs far more than finding
// it in a map. It is for one goroutine; its memory is bounded.
type Folder struct {
	seen map[string]string
}

// Folder limits: a word longer than maxMemoWord is folded each time, and
// the memory starts afresh after maxMemoWords words.
const (
	maxMemoWord  = 48
	maxMemoWords = 1 << 16
)

// Text is fold.Text, remembering the words it folds.
func (f *Folder) Text(s string) string { return foldText(s, f.word) }

func (f *Folder) word(w string) string {
	if len(w) > maxMemoWord {
		return Word(w)
	}
	if v, ok := f.seen[w]; ok {
		return v
	}
	if f.seen == nil || len(f.seen) >= maxMemoWords {
		f.seen = make(map[string]string, 1024)
	}
	v := Word(w)
	f.seen[strings.Clone(w)] = v
	return v
}

func foldText(s string, word func(string) string) string {
	if isPlainASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			b.WriteString(word(s[start:i]))
			start = -1
		}
		b.WriteRune(r)
	}
	if start >= 0 {
		b.WriteString(word(s[start:]))
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Word folds one word: compatibility forms to their letters (NFKC: ｖ and 𝐯
// are v), lower case; letters outside Latin and Cyrillic to
// their Unicode TR39 skeleton (Greek ο, 𝐯, ｖ become o, v, v); ё to е; then,
// in a word that mixes Latin and Cyrillic letters, every letter of the
// minority script to its counterpart in the majority one.
func Word(w string) string {
	var rs []rune
	latin, cyrillic := 0, 0
	for _, r := range strings.ToLower(norm.NFKC.String(w)) {
		if r < 0x80 || unicode.Is(unicode.Cyrillic, r) {
			rs = append(rs, r)
		} else {
			for _, s := range strings.ToLower(confusables.Skeleton(string(r))) {
				rs = append(rs, s)
			}
		}
	}
	for i, r := range rs {
		switch {
		case r == 'ё':
			rs[i] = 'е'
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		}
	}
	if latin > 0 && cyrillic > 0 {
		table := toCyrillic
		if latin > cyrillic {
			table = toLatin
		}
		for i, r := range rs {
			if t, ok := table[r]; ok {
				rs[i] = t
			}
		}
	}
	return string(rs)
}

// toCyrillic spells Latin letters in a mostly Cyrillic word: by look where
// one exists, else by sound (the way evaders transliterate).
var toCyrillic = map[rune]rune{
	'a': 'а', 'b': 'в', 'c': 'с', 'd': 'д', 'e': 'е', 'f': 'ф', 'g': 'г', 'h': 'н', 'i': 'и', 'j': 'й',
	'k': 'к', 'l': 'л', 'm': 'м', 'n': 'п', 'o': 'о', 'p': 'р', 'q': 'к', 'r': 'г', 's': 'с', 't': 'т',
	'u': 'у', 'v': 'в', 'w': 'ш', 'x': 'х', 'y': 'у', 'z': 'з',
}

// toLatin spells Cyrillic (and Kazakh) letters in a mostly Latin word by look.
var toLatin = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'һ': 'h', 'ө': 'o', 'ү': 'y', 'ә': 'a',
}
