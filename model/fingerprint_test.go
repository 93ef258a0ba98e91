package model

import (
	"testing"
)

// Words ignores what campaigns rotate from copy to copy (links, @handles,
// numbers alone), case and order, and keeps every real word once.
func TestWordsIgnoreWhatCampaignsRotate(t *testing.T) {
	a := Words("Требуются мужчины! Пиши @job_abroad https://t.me/x 500 000 ₸")
	b := Words("пиши  ТРЕБУЮТСЯ мужчины @other_handle http://bit.ly/y 700")
	if len(a) != 3 || Jaccard(a, b) != 1 {
		t.Fatalf("words %v and %v: Jaccard %v", a, b, Jaccard(a, b))
	}
	if w := Words("18–45 лет"); len(w) != 1 {
		t.Fatalf("a number run is not a word: %v", w)
	}
}

// Jaccard is the share of words two texts have in common.
func TestJaccard(t *testing.T) {
	x, y := Words("one two three four"), Words("one two three five")
	if j := Jaccard(x, y); j != 3.0/5 {
		t.Fatalf("Jaccard = %v, want 0.6", j)
	}
	if Jaccard(x, nil) != 0 || Jaccard(nil, x) != 0 {
		t.Fatal("a text resembles an empty one")
	}
	if Jaccard(nil, nil) != 1 {
		t.Fatal("two empty word sets are not the same set")
	}
}

// Texts that share most words share at least one band key; unrelated texts
// share none.
func TestBandKeys(t *testing.T) {
	base := "срочно требуются крепкие мужчины для работы по контракту за рубежом оплата сразу документы оформим"
	near := Words(base + " пишите")
	far := Words("investment scam guaranteed profit bitcoin every day join now")
	k1, k2, k3 := BandKeys(Words(base)), BandKeys(near), BandKeys(far)
	shared := func(a, b [ClusterBands]uint64) bool {
		for i := range a {
			if a[i] == b[i] {
				return true
			}
		}
		return false
	}
	if !shared(k1, k2) {
		t.Fatal("near-identical texts share no band key")
	}
	if shared(k1, k3) {
		t.Fatal("unrelated texts share a band key")
	}
}

// ParseFilter(f.String()) gives f back, whatever the filter.
func FuzzFilterRoundTrip(f *testing.F) {
	for _, s := range []string{"", "platform:telegram,vk category:recruitment lang:kk sev:4 age>2h age<3d breached", "sev:1", "age>90m", "platform:вк"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := ParseFilter(s)
		if err != nil {
			return
		}
		back, err := ParseFilter(flt.String())
		if err != nil {
			t.Fatalf("%q parsed, but its String %q does not: %v", s, flt.String(), err)
		}
		if back.String() != flt.String() || back.IsZero() != flt.IsZero() {
			t.Fatalf("%q → %q → %q", s, flt.String(), back.String())
		}
	})
}
