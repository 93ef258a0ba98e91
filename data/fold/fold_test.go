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

// A Folder folds exactly as Text does — the first time it meets a word,
// when it meets it again, past its memory's bound, and for words too long to
// remember — so an import that uses one indexes what a search finds.
func TestFolderFoldsAsText(t *testing.T) {
	texts := []string{
		"Работа! @vербовка, 18+ кaзинo ЖҰМЫС",
		"Работа! @vербовка, 18+ кaзинo ЖҰМЫС", // every word remembered
		"𝐜𝐚𝐬𝐢𝐧𝐨 ｃａｓｉｎｏ bitcοin ещё оченьдлинноесловооченьдлинноесловооченьдлинноеслово",
		"plain ascii Text",
	}
	var f Folder
	for round := 0; round < 2; round++ {
		for _, s := range texts {
			if got, want := f.Text(s), Text(s); got != want {
				t.Errorf("Folder.Text(%q) = %q, Text = %q", s, got, want)
			}
		}
	}
	// Past the bound the memory starts afresh and folds still agree.
	for i := 0; i < maxMemoWords+10; i++ {
		w := "слово" + string(rune('а'+i%32)) + string(rune('a'+i/32%26)) + string(rune('а'+i/832%32))
		if got, want := f.Text(w), Text(w); got != want {
			t.Fatalf("word %d: %q vs %q", i, got, want)
		}
	}
	if len(f.seen) > maxMemoWords {
		t.Errorf("the memory holds %d words, over its bound of %d", len(f.seen), maxMemoWords)
	}
}
