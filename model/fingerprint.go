package model

import (
	"hash/fnv"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Near-duplicate detection. A post's fingerprint is the set of its words
// after normalisation, each hashed to 64 bits. Normalisation folds case and
// drops what copy-paste campaigns vary from copy to copy: emoji, punctuation
// and symbols, links, @handles and bare numbers (amounts, counts, promo
// codes' digits stay with their letters). Two posts are near-duplicates when the Jaccard
// similarity of their word sets is at least ClusterThreshold.
//
// Finding candidates uses MinHash with locality-sensitive banding: 12
// independent minimums in 6 bands of 2. Two sets share at least one band key
// with probability 1-(1-J²)⁶: 0.98 at J=0.7 (a campaign copy with a few
// substitutions), 0.28 at J=0.23 (a news report that quotes the ad). Every
// candidate is then checked against the exact Jaccard, so banding costs
// recall, never precision.
const (
	ClusterBands     = 6
	clusterRows      = 2
	ClusterThreshold = 0.65
)

// Words returns the sorted, de-duplicated hashes of text's normalised words.
// A word is a run of letters and digits; everything else separates words.
func Words(text string) []uint64 {
	var out []uint64
	h := fnv.New64a()
	var buf []byte
	digits := true
	flush := func() {
		if len(buf) > 0 && !digits {
			h.Reset()
			h.Write(buf)
			out = append(out, h.Sum64())
		}
		buf, digits = buf[:0], true
	}
	for _, field := range strings.Fields(text) {
		if isLinkOrHandle(field) {
			continue
		}
		words(field, &buf, &digits, flush)
		flush()
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isLinkOrHandle reports whether a whitespace-separated field is a URL or an
// @handle, which campaigns rotate from copy to copy.
func isLinkOrHandle(f string) bool {
	f = strings.TrimLeftFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '@' })
	lower := strings.ToLower(f)
	return strings.HasPrefix(f, "@") || strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") ||
		strings.HasPrefix(lower, "www.") || strings.HasPrefix(lower, "t.me/")
}

// words splits one field into words, calling flush after each.
func words(field string, buf *[]byte, digits *bool, flush func()) {
	for _, r := range field {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			*buf = utf8.AppendRune(*buf, unicode.ToLower(r))
			*digits = *digits && unicode.IsDigit(r)
			continue
		}
		if unicode.Is(unicode.Mn, r) { // a combining mark belongs to its letter
			continue
		}
		flush()
	}
}

// Jaccard is |a∩b| / |a∪b| of two sorted, de-duplicated word sets.
func Jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	i, j, both := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// BandKeys returns the word set's LSH band keys. Each key includes its band
// number, so keys of different bands never meet. An empty set has none: a
// post with no words is nobody's near-duplicate.
func BandKeys(words []uint64) [ClusterBands]uint64 {
	var keys [ClusterBands]uint64
	if len(words) == 0 {
		return keys
	}
	var mins [ClusterBands * clusterRows]uint64
	for i := range mins {
		mins[i] = ^uint64(0)
	}
	for _, w := range words {
		for i := range mins {
			if v := mix(w ^ seeds[i]); v < mins[i] {
				mins[i] = v
			}
		}
	}
	for b := range keys {
		k := mix(uint64(b+1) * 0x9e3779b97f4a7c15)
		for r := range clusterRows {
			k = mix(k ^ mins[b*clusterRows+r])
		}
		keys[b] = k | 1 // never zero: zero means "no key"
	}
	return keys
}

// seeds make the 12 hash functions independent. They are fixed: fingerprints
// are compared across imports and program versions.
var seeds = [ClusterBands * clusterRows]uint64{
	0x243f6a8885a308d3, 0x13198a2e03707344, 0xa4093822299f31d0, 0x082efa98ec4e6c89,
	0x452821e638d01377, 0xbe5466cf34e90c6c, 0xc0ac29b7c97c50dd, 0x3f84d5b5b5470917,
	0x9216d5d98979fb1b, 0xd1310ba698dfb5ac, 0x2ffd72dbd01adfb7, 0xb8e1afed6a267e96,
}

// mix is the splitmix64 finaliser: a cheap, well-spread 64-bit permutation.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ (x >> 31)
}
