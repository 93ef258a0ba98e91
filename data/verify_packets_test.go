package data

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every field of a manifest is held to the database's record of its packet,
// not only its id, head and sha256: a changed platform, row count, file
// name, creation time, kind or format, or a field added, is named.
func TestVerifyHoldsEveryManifestField(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	importLines(t, s, fraudPosts(3)...)
	rejectAll(t, s, 1, 2)
	p, err := s.Takedowns(ctx, TakedownOptions{Dir: t.TempDir()})
	if err != nil || len(p) != 1 {
		t.Fatal(p, err)
	}
	orig, _ := os.ReadFile(p[0].Manifest)
	for _, c := range []struct {
		field string
		value any
	}{
		{"platform", "tg"}, {"rows", 5}, {"file", filepath.Base(p[0].Manifest)}, {"created_at", "2020-01-01T00:00:00Z"},
		{"kind", KindRetractions}, {"format", FormatJSONL}, {"sent_to", "nobody"},
	} {
		var m map[string]any
		json.Unmarshal(orig, &m)
		m[c.field] = c.value
		b, _ := json.Marshal(m)
		os.WriteFile(p[0].Manifest, b, 0o644)
		res, err := s.Verify(ctx, VerifyOptions{})
		all := strings.Join(res.Problems, "\n")
		if err != nil || !strings.Contains(all, p[0].Manifest+": differs from the database's record of packet 1 in "+c.field+" (manifest ") {
			t.Errorf("%s changed: %q %v", c.field, res.Problems, err)
		}
	}
	os.WriteFile(p[0].Manifest, orig, 0o644)
	if res, err := s.Verify(ctx, VerifyOptions{}); err != nil || !res.OK() {
		t.Fatalf("restored: %+v %v", res, err)
	}
}

// verify --packets DIR names every packet the database says was written to
// DIR that is no longer there, file or manifest; without --packets a packet
// whose files are gone (to the platform, say) is no problem.
func TestVerifyPacketsNamesMissingPackets(t *testing.T) {
	s, _ := openClocked(t)
	ctx := context.Background()
	dir := t.TempDir()
	tg := fraudPosts(2)
	for i := range tg {
		tg[i] = strings.Replace(tg[i], `"vk"`, `"tg"`, 1)
	}
	importLines(t, s, append(fraudPosts(2), tg...)...)
	rejectAll(t, s, 1, 2, 3, 4)
	p, err := s.Takedowns(ctx, TakedownOptions{Dir: dir})
	if err != nil || len(p) != 2 {
		t.Fatal(p, err)
	}
	if res, err := s.Verify(ctx, VerifyOptions{Packets: []string{dir}}); err != nil || !res.OK() || res.Packets != 2 {
		t.Fatalf("all there: %+v %v", res, err)
	}
	os.Remove(p[0].File)
	os.Remove(p[0].Manifest)
	os.Remove(p[1].Manifest)
	if res, err := s.Verify(ctx, VerifyOptions{}); err != nil || !res.OK() {
		t.Fatalf("without --packets: %+v %v", res, err)
	}
	res, err := s.Verify(ctx, VerifyOptions{Packets: []string{dir}})
	want := []string{
		"packet " + itoa(p[0].ID) + ": " + filepath.Base(p[0].File) + " and " + filepath.Base(p[0].Manifest) + " missing from " + dir,
		"packet " + itoa(p[1].ID) + ": " + filepath.Base(p[1].Manifest) + " missing from " + dir,
	}
	if err != nil || strings.Join(res.Problems, "\n") != strings.Join(want, " (deleted after it was sent)\n")+" (deleted after it was sent)" {
		t.Fatalf("missing packets: %q %v", res.Problems, err)
	}
	// The whole folder gone: every packet recorded there is named.
	os.RemoveAll(dir)
	if res, err := s.Verify(ctx, VerifyOptions{Packets: []string{dir}}); err != nil || len(res.Problems) != 2 {
		t.Fatalf("folder gone: %q %v", res.Problems, err)
	}
}
