package data

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// translit spells the Cyrillic letters of Russian and Kazakh platform names
// in ASCII, so a file name says which platform it is for ("вк" → "vk").
var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "iu", 'я': "ia", 'ә': "a", 'ғ': "g", 'қ': "q", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u",
	'һ': "h", 'і': "i",
}

// maxSlug bounds the readable part of a packet file name.
const maxSlug = 40

// platformSlug is the platform's name as a file-name part: lower-case ASCII
// letters, digits, '-' and '_' only. When that spelling is not the name
// itself, 8 hex digits of the name's sha256 follow, so two platforms whose
// names reduce to the same letters still get different slugs.
func platformSlug(platform string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(platform) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_':
			b.WriteRune(r)
		case translit[r] != "":
			b.WriteString(translit[r])
		default:
			b.WriteByte('_')
		}
	}
	slug := b.String()
	if strings.HasPrefix(slug, "-") {
		slug = "_" + slug[1:] // a leading dash reads as an option to every shell tool
	}
	if len(slug) > maxSlug {
		slug = slug[:maxSlug]
	}
	if slug == platform && slug != "" {
		return slug
	}
	sum := sha256.Sum256([]byte(platform))
	if slug == "" {
		slug = "_"
	}
	return slug + "-" + hex.EncodeToString(sum[:4])
}
