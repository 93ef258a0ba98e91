package fold

import "testing"

// Look-alike spellings fold to what a reviewer types, and plain words of
// either script stay themselves.
func TestLookAlikesFoldTogether(t *testing.T) {
	for _, tc := range []struct{ typed, evasive string }{
		{"вербовка", "vербовка"}, // Latin v for в
		{"вербовка", "вeрбoвкa"}, // Latin e, o, a
		{"казино", "кaзинo"},     // Latin a and o
		{"жұмыс", "ЖҰМЫС"},       // Kazakh, case
		{"ещё", "еще"},           // ё and е
		{"casino", "сasinо"},     // Cyrillic с and о in a Latin word
		{"casino", "𝐜𝐚𝐬𝐢𝐧𝐨"},     // mathematical bold
		{"casino", "ｃａｓｉｎｏ"},     // fullwidth
		{"bitcoin", "bitcοin"},   // Greek omicron
		{"жұмысқа", "жұмысқa"},   // Kazakh word with a Latin a
	} {
		if a, b := Word(tc.typed), Word(tc.evasive); a != b {
			t.Errorf("%q folds to %q, %q to %q", tc.typed, a, tc.evasive, b)
		}
	}
	for _, w := range []string{"вербовка", "қазақстан", "bitcoin"} {
		if f := Word(w); f != w {
			t.Errorf("plain %q folded to %q", w, f)
		}
	}
	if got := Text("Работа! @vербовка, 18+"); got != "работа! @вербовка, 18+" {
		t.Errorf("Text kept the separators wrongly: %q", got)
	}
}
